/*  ex_lexicon — weighted phrase lists that sort text into a vocabulary.

    A lexicon file (data/themes.csv, data/polarity.csv) lists a phrase, a
    word of one section 5 vocabulary (a theme, a polarity) and a weight.
    Scoring a passage adds the weights of the phrases found at its word
    starts, per vocabulary value; callers decide what wins. Phrases of
    four letters or fewer ("mash", "plo", "send") must be whole words or
    their plurals, or they would match inside longer words ("sending").
*/
#ifndef EX_LEXICON_H
#define EX_LEXICON_H

#include <stddef.h>
#include "ow_pb.h"

#define EX_LEXICON_VALUES 64

typedef struct _ex_lexicon_t ex_lexicon_t;

typedef struct {
    int score [EX_LEXICON_VALUES];
    size_t first_seen [EX_LEXICON_VALUES];     // SIZE_MAX when not seen
} ex_scores_t;

//  Loads data_dir/file_name, whose vocabulary words are values of
//  `values`. NULL and *error (caller frees) when the file is missing or
//  malformed or names a word the vocabulary lacks.
ex_lexicon_t *ex_lexicon_load (const char *data_dir, const char *file_name,
                               const ProtobufCEnumDescriptor *values, char **error);
void ex_lexicon_destroy (ex_lexicon_t **self_p);

//  Scores a passage.
void ex_lexicon_score (const ex_lexicon_t *self, const char *text, size_t length,
                       ex_scores_t *scores);

//  The theme of a passage: the highest score, the earliest seen on a tie,
//  THEME_OTHER when nothing matches or self is NULL.
Ofwatch__V1__Theme ex_themes_classify (const ex_lexicon_t *themes, const char *text, size_t length);

#endif
