/*  ex_training — training and measuring the findings classifier on the
    labelled set, the same way for tools/findings_train and the tests.

    A labelled document is read as extraction reads it: decoded, parsed
    (so the parsers' list items are known and set aside as they are in
    extraction), cut into candidate statements (ex_findings). Each
    candidate and list item is an example, with its label when the
    labelled set has one.

    Training makes three liblinear problems over one vocabulary (the
    feature names of at least settings.min_count labelled statements):
    finding or not over the candidates, polarity over the candidates
    labelled findings, theme over every labelled finding (list items
    too).

    Measuring extracts from a document with a given classifier and
    compares with the labels: an extracted finding is right when the
    labelled set has its text as a finding of the same polarity and
    theme; one the set lacks is wrong. Recall is the share of the
    document's labelled findings extracted right. Held out, each document
    is measured with a classifier trained without it.
*/
#ifndef EX_TRAINING_H
#define EX_TRAINING_H

#include <stdio.h>

#include "ex_classifier.h"
#include "ex_findings.h"
#include "ex_labels.h"
#include "ow_register.h"

typedef enum {
    EX_FAMILY_REPORT, EX_FAMILY_FOCUSED, EX_FAMILY_MONITORING, EX_FAMILY_COUNCIL,
    EX_FAMILY_OTHER, EX_FAMILY_COUNT
} ex_family_t;

typedef struct {
    char *text;                 // the statement or list item
    ex_feature_input_t input;   // its text points at `text`
    ex_statement_t statement;   // candidates: as ex_statements made it
    Ofwatch__V1__Polarity given;    // list items: the list's polarity; 0 for candidates
    const ex_label_t *label;    // NULL when the labelled set lacks it
} ex_example_t;

typedef struct {
    char *path;                 // as in the labelled set
    ex_family_t family;
    ex_example_t *examples;
    size_t count;
    size_t labelled;            // findings the labelled set gives it
    char *focus;                // what its visit looked at; NULL if unsaid
    Ofwatch__V1__Extraction *extraction;    // as extraction made it
} ex_document_t;

typedef struct {
    size_t extracted, right, unlabelled;    // extracted findings
    size_t labelled, found;                 // labelled findings, extracted right
    size_t candidates;
} ex_score_t;

//  The family's name ("inspection report", ...).
const char *ex_family_name (ex_family_t family);

//  Reads a labelled document. NULL and *error when it cannot be read or
//  extracted.
ex_document_t *ex_document_read (const ow_register_t *reg, const ex_findings_tools_t *tools,
                                 const ex_labels_t *labels, const char *path, char **error);
void ex_document_destroy (ex_document_t **self_p);

//  Trains on the documents whose `use` flag is true (all when use is
//  NULL). NULL and *error when a problem has fewer than two classes.
ex_classifier_t *ex_training_train (ex_document_t **documents, size_t count, const bool *use,
                                    const ex_findings_tools_t *tools,
                                    const ex_classifier_settings_t *settings, char **error);

//  Calls visit with each document and a classifier trained on all the
//  others. False and *error when a training fails.
typedef void (ex_held_out_fn) (void *arg, const ex_document_t *document,
                               const ex_classifier_t *classifier);
bool ex_training_held_out (ex_document_t **documents, size_t count,
                           const ex_findings_tools_t *tools,
                           const ex_classifier_settings_t *settings, ex_held_out_fn *visit,
                           void *arg, char **error);

//  Extracts from one document with a classifier and adds to score. When
//  `wrong` is not NULL, prints what was extracted wrongly and what was
//  missed.
void ex_training_measure (const ex_document_t *document, const ex_classifier_t *classifier,
                          const ex_findings_tools_t *tools, ex_score_t *score, FILE *wrong);

//  Whether extraction with settings adds an example so judged, and with
//  which polarity (a list item's own, else as ex_findings_decide).
bool ex_training_decide (const ex_classifier_settings_t *settings, const ex_example_t *example,
                         const ex_judgement_t *judgement, Ofwatch__V1__Polarity *polarity);

//  Whether a finding of that polarity and theme is right by the
//  example's label (false when the labelled set lacks it).
bool ex_training_right (const ex_example_t *example, int polarity, int theme);

//  Judges every example of a document with a classifier, as extraction
//  does: `extracted` says whether extraction would add it, with that
//  polarity (a list item's own) and the judgement's theme.
typedef void (ex_judged_fn) (void *arg, const ex_example_t *example,
                             const ex_judgement_t *judgement, Ofwatch__V1__Polarity polarity,
                             bool extracted);
void ex_training_judge (const ex_document_t *document, const ex_classifier_t *classifier,
                        const ex_findings_tools_t *tools, ex_judged_fn *each, void *arg);

//  The findings the classifier extracts from a document, as extraction
//  would add them (for checking that measuring is extraction).
size_t ex_training_extract (const ex_document_t *document, const ex_classifier_t *classifier,
                            const ex_findings_tools_t *tools,
                            void (*each) (void *arg, const char *text, int polarity, int theme),
                            void *arg);

//  How each model does alone on a document's labelled examples: finding
//  or not over the candidates, polarity and theme over the labelled
//  findings (the list's polarity counts for list items).
typedef struct {
    size_t candidates, finding_right;
    size_t findings, polarity_right, theme_right;
} ex_parts_t;

void ex_training_parts (const ex_document_t *document, const ex_classifier_t *classifier,
                        const ex_findings_tools_t *tools, ex_parts_t *parts);
void ex_training_print_parts (FILE *out, const ex_parts_t *parts);

//  Prints scores per family, one line each.
void ex_training_print (FILE *out, const char *title, const ex_score_t scores [EX_FAMILY_COUNT]);

#endif
