/*  ex_classifier — the trained findings model: is a statement a finding,
    which way does it lean, and what does it judge.

    Three logistic regression models (liblinear) over one vocabulary
    (ex_features), trained by tools/findings_train from the labelled set
    in tests/findings/ and kept as data in data/findings/:

      features.txt      the vocabulary, one feature name a line
      finding.model     finding or not (labels 1, 0)
      polarity.model    strength, weakness or improvement_needed (the
                        Polarity enum's numbers)
      theme.model       the theme (the Theme enum's numbers)
      settings.csv      the least probabilities a statement needs to be
                        extracted, and what training used

    A statement is extracted only when all three models are sure enough:
    an alert on a misread sentence costs a subscriber more than a finding
    left out.
*/
#ifndef EX_CLASSIFIER_H
#define EX_CLASSIFIER_H

#include <linear.h>

#include "ex_features.h"
#include "ow_pb.h"

#define EX_CLASSIFIER_DIR "findings"     // under the data directory

typedef struct {
    double finding;             // least probability of being a finding
    double finding_sided;       // ... under a list or heading that takes a side
    double finding_attributed;  // ... when it says it reports the inspectors' judgement
    double polarity;            // of the polarity chosen
    double theme;               // of the theme chosen
    double theme_item;          // of a list item's theme, for it to be a finding
    double cost;                // liblinear's C, for training
    double cost_finding, cost_polarity, cost_theme;     // a model's own C; 0: cost
    int min_count;              // statements a feature must occur in, for training
} ex_classifier_settings_t;

typedef struct {
    double finding;             // probability of being a finding
    Ofwatch__V1__Polarity polarity;
    double polarity_p;
    Ofwatch__V1__Theme theme;
    double theme_p;
} ex_judgement_t;

typedef struct _ex_classifier_t ex_classifier_t;

//  Loads the files of dir (the data directory's findings/). NULL and
//  *error (caller frees) when a file is missing or does not fit the
//  others.
ex_classifier_t *ex_classifier_load (const char *dir, char **error);

//  A classifier made of parts (training): takes ownership of all of them.
ex_classifier_t *ex_classifier_new (ex_vocabulary_t *vocabulary, struct model *finding,
                                    struct model *polarity, struct model *theme,
                                    const ex_classifier_settings_t *settings);
void ex_classifier_destroy (ex_classifier_t **self_p);

//  Writes the classifier's files into dir (which must exist).
bool ex_classifier_save (const ex_classifier_t *self, const char *dir, char **error);

//  Reads a settings file; defaults for what it does not name. False and
//  *error when it cannot be read or a value is not a number.
bool ex_classifier_settings_load (const char *path, ex_classifier_settings_t *settings, char **error);
void ex_classifier_settings_default (ex_classifier_settings_t *settings);

//  Writes settings to path, with a comment saying what each means.
bool ex_classifier_settings_save (const ex_classifier_settings_t *settings, const char *path,
                                  char **error);

const ex_classifier_settings_t *ex_classifier_settings (const ex_classifier_t *self);
ex_vocabulary_t *ex_classifier_vocabulary (const ex_classifier_t *self);

//  Judges a statement's features (from ex_features_vector over this
//  classifier's vocabulary, bias 1).
void ex_classifier_judge (const ex_classifier_t *self, const struct feature_node *x,
                          ex_judgement_t *judgement);

//  The theme alone (for list items, which are findings by position).
Ofwatch__V1__Theme ex_classifier_theme (const ex_classifier_t *self, const struct feature_node *x,
                                        double *probability);

//  The models, for tests.
const struct model *ex_classifier_model (const ex_classifier_t *self, const char *which);

#endif
