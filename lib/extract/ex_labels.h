/*  ex_labels — the labelled set of findings (tests/findings/labels.tsv).

    One line a statement, tab-separated: the document (a path from the
    repository's root, "../shared/corpus/..." or "samples/..."), the
    label (`not_a_finding`, or a polarity of CONTRACTS.md section 5), the
    theme (empty for not_a_finding; "a|b" when the statement judges two
    things alike, either being right, the first the one trained on) and
    the statement's text as extraction gives it. Lines starting with '#' are comments. Texts are
    compared after white space, quotes and dashes are made plain, so a
    curly apostrophe in the file matches a straight one in a document.
*/
#ifndef EX_LABELS_H
#define EX_LABELS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *document;
    int polarity;               // Polarity enum; 0: not a finding
    int theme;                  // Theme enum; 0 when not a finding
    int also;                   // a second theme that is as right, or 0
    char *text;                 // as written
    char *key;                  // plain form, for matching
    size_t line;
} ex_label_t;

typedef struct _ex_labels_t ex_labels_t;

//  NULL and *error (caller frees) when the file cannot be read or a line
//  is malformed (the error names the line).
ex_labels_t *ex_labels_load (const char *path, char **error);
void ex_labels_destroy (ex_labels_t **self_p);

size_t ex_labels_count (const ex_labels_t *self);
const ex_label_t *ex_labels_at (const ex_labels_t *self, size_t index);

//  True when a theme is the label's (its first or its second).
bool ex_label_theme_is (const ex_label_t *label, int theme);

//  The label of a statement of a document, or NULL.
const ex_label_t *ex_labels_find (const ex_labels_t *self, const char *document, const char *text);

//  The documents labelled, in the order they first appear.
size_t ex_labels_documents (const ex_labels_t *self);
const char *ex_labels_document (const ex_labels_t *self, size_t index);

//  The plain form of a text (caller frees).
char *ex_labels_key (const char *text);

#endif
