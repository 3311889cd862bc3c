/*  ex_features — what the findings classifier sees of a statement.

    A statement becomes named features: its words and word pairs, stemmed
    (Snowball's English stemmer, so "assessments" and "assessed" meet);
    its first words (procedure opens "It was confirmed", "The Committee
    sought"; findings open with what is judged); the heading and list it
    sits under; whether a council or Ofsted wrote it; the words a
    negation governs ("not consistently effective"); and the scores of
    the hand-written lexicons (data/polarity.csv, data/themes.csv), over
    the whole statement, over its opening words and its subject, where
    what is judged is named ("Management oversight of plans is weak"),
    and over what the visit looked at (a letter about care leavers
    speaks of them when it says "pathway plans"). The lexicons carry
    what the labelled set is too small to teach; the words learn the
    rest.

    A vocabulary turns names into the column numbers of a liblinear
    problem. Training grows it; extraction only looks names up, and a
    name it has never seen is left out.
*/
#ifndef EX_FEATURES_H
#define EX_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <linear.h>

#include "ex_headings.h"
#include "ex_lexicon.h"

typedef struct {
    const char *text;           // the statement's words, one line
    size_t length;
    ex_context_t heading, lead_in;
    unsigned sentences;
    bool item, terminated, titled;
    bool council;               // a council's paper, not Ofsted's own
    const char *focus;          // what the visit looked at, as its letter
                                // says ("children in care"); NULL if unsaid
} ex_feature_input_t;

typedef struct _ex_features_t ex_features_t;
typedef struct _ex_vocabulary_t ex_vocabulary_t;

//  A feature maker: one per thread (the stemmer keeps state). The
//  lexicons may be NULL and must outlive it.
ex_features_t *ex_features_new (const ex_lexicon_t *polarity, const ex_lexicon_t *themes);
void ex_features_destroy (ex_features_t **self_p);

//  The features of a statement, as a liblinear vector over vocabulary:
//  sorted by column, scaled to length 1, then the bias column when bias
//  is not negative (liblinear's convention), then the terminator. Names
//  the vocabulary lacks are added when `grow`, else left out. The vector
//  lives until the next call.
const struct feature_node *ex_features_vector (ex_features_t *self, const ex_feature_input_t *input,
                                               ex_vocabulary_t *vocabulary, bool grow, double bias);

//  True when a statement says whose judgement it reports ("Inspectors
//  concluded that ...", "was considered to be ...").
bool ex_features_attributed (const char *text, size_t length);

//  The names of the last statement's features, for inspection.
size_t ex_features_count (const ex_features_t *self);
const char *ex_features_name (const ex_features_t *self, size_t index);

//  ---------------------------------------------------------------------
//  Vocabulary: feature names and their columns, from 1.

ex_vocabulary_t *ex_vocabulary_new (void);
void ex_vocabulary_destroy (ex_vocabulary_t **self_p);

//  A vocabulary file: one name per line, line n being column n. NULL and
//  *error (caller frees) when it cannot be read.
ex_vocabulary_t *ex_vocabulary_load (const char *path, char **error);
bool ex_vocabulary_save (const ex_vocabulary_t *self, const char *path, char **error);

//  Column of a name, 0 when unknown; ex_vocabulary_add adds it if new.
int ex_vocabulary_find (const ex_vocabulary_t *self, const char *name);
int ex_vocabulary_add (ex_vocabulary_t *self, const char *name);
size_t ex_vocabulary_size (const ex_vocabulary_t *self);
const char *ex_vocabulary_name (const ex_vocabulary_t *self, int column);

#endif
