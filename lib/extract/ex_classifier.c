/*  ex_classifier — loading, saving and applying the findings models.

    liblinear's own text format holds each model; its predict_probability
    is read-only on the model, so one classifier serves every thread.
*/

#include "ex_classifier.h"
#include "ow_csv.h"
#include "ow_pb.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLASSES 64

struct _ex_classifier_t {
    ex_vocabulary_t *vocabulary;
    struct model *finding, *polarity, *theme;
    ex_classifier_settings_t settings;
};

static const char *s_model_files [] = { "finding.model", "polarity.model", "theme.model" };

void
ex_classifier_settings_default (ex_classifier_settings_t *settings)
{
    *settings = (ex_classifier_settings_t) {
        .finding = 0.5, .finding_sided = 0.5, .finding_attributed = 0.5, .polarity = 0.5,
        .theme = 0.3, .theme_item = 0, .cost = 1.0, .min_count = 2
    };
}

bool
ex_classifier_settings_load (const char *path, ex_classifier_settings_t *settings, char **error)
{
    ex_classifier_settings_default (settings);
    ow_csv_t *csv = ow_csv_open (path, error);
    if (!csv)
        return false;
    ow_csv_set_comment (csv, '#');
    while (!*error && ow_csv_next (csv)) {
        const char *name = ow_csv_field (csv, 0), *value = ow_csv_field (csv, 1);
        char *end;
        double number = strtod (value, &end);
        if (strcmp (name, "setting") == 0)
            continue;
        if (!*value || *end) {
            *error = ow_printf ("%s line %zu: '%s' is not a number", path, ow_csv_line (csv), value);
            break;
        }
        if (strcmp (name, "finding") == 0)
            settings->finding = number;
        else
        if (strcmp (name, "finding_sided") == 0)
            settings->finding_sided = number;
        else
        if (strcmp (name, "finding_attributed") == 0)
            settings->finding_attributed = number;
        else
        if (strcmp (name, "polarity") == 0)
            settings->polarity = number;
        else
        if (strcmp (name, "theme") == 0)
            settings->theme = number;
        else
        if (strcmp (name, "theme_item") == 0)
            settings->theme_item = number;
        else
        if (strcmp (name, "cost") == 0)
            settings->cost = number;
        else
        if (strcmp (name, "cost_finding") == 0)
            settings->cost_finding = number;
        else
        if (strcmp (name, "cost_polarity") == 0)
            settings->cost_polarity = number;
        else
        if (strcmp (name, "cost_theme") == 0)
            settings->cost_theme = number;
        else
        if (strcmp (name, "min_count") == 0)
            settings->min_count = (int) number;
        else
            *error = ow_printf ("%s line %zu: no setting is called '%s'", path, ow_csv_line (csv), name);
    }
    ow_csv_destroy (&csv);
    return !*error;
}

bool
ex_classifier_settings_save (const ex_classifier_settings_t *settings, const char *path, char **error)
{
    FILE *file = fopen (path, "w");
    if (!file) {
        *error = ow_printf ("%s: %s", path, strerror (errno));
        return false;
    }
    fprintf (file,
             "# The findings classifier's settings (tools/findings_train writes this\n"
             "# file beside the models it trains; edit it and train again).\n"
             "# finding, polarity, theme: the least probability each model must give\n"
             "# a statement for it to be extracted; finding_sided: for a statement\n"
             "# under a list or heading that takes a side (\"strengths\", \"areas for\n"
             "# improvement\"); finding_attributed: for one that says it reports the\n"
             "# inspectors' judgement (\"Inspectors found that ...\"); theme_item: the\n"
             "# least probability of a list item's theme (\"what needs to improve\",\n"
             "# priority actions) for the item to be a finding too (a priority action\n"
             "# always is): it is one of the inspection's improvements whatever its\n"
             "# theme; cost: liblinear's\n"
             "# C, and cost_finding, cost_polarity, cost_theme a model's own (0: cost);\n"
             "# min_count: statements of the labelled set a feature must occur in\n"
             "# to be kept.\n"
             "setting,value\n"
             "finding,%g\nfinding_sided,%g\nfinding_attributed,%g\npolarity,%g\ntheme,%g\n"
             "theme_item,%g\ncost,%g\ncost_finding,%g\ncost_polarity,%g\ncost_theme,%g\nmin_count,%d\n",
             settings->finding, settings->finding_sided, settings->finding_attributed,
             settings->polarity, settings->theme, settings->theme_item, settings->cost,
             settings->cost_finding,
             settings->cost_polarity, settings->cost_theme, settings->min_count);
    if (fclose (file) != 0) {
        *error = ow_printf ("%s: %s", path, strerror (errno));
        return false;
    }
    return true;
}

ex_classifier_t *
ex_classifier_new (ex_vocabulary_t *vocabulary, struct model *finding, struct model *polarity,
                   struct model *theme, const ex_classifier_settings_t *settings)
{
    assert (vocabulary && finding && polarity && theme && settings);
    ex_classifier_t *self = ow_calloc (1, sizeof (ex_classifier_t));
    self->vocabulary = vocabulary;
    self->finding = finding;
    self->polarity = polarity;
    self->theme = theme;
    self->settings = *settings;
    return self;
}

void
ex_classifier_destroy (ex_classifier_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ex_classifier_t *self = *self_p;
    ex_vocabulary_destroy (&self->vocabulary);
    if (self->finding)
        free_and_destroy_model (&self->finding);
    if (self->polarity)
        free_and_destroy_model (&self->polarity);
    if (self->theme)
        free_and_destroy_model (&self->theme);
    free (self);
    *self_p = NULL;
}

//  A model fits when it is logistic regression (probabilities) over the
//  vocabulary's columns.
static char *
check_model (const struct model *model, const ex_vocabulary_t *vocabulary, const char *file)
{
    if (!check_probability_model (model))
        return ow_printf ("%s is not a logistic regression model", file);
    if ((size_t) get_nr_feature (model) != ex_vocabulary_size (vocabulary))
        return ow_printf ("%s has %d features, the vocabulary %zu", file,
                          get_nr_feature (model), ex_vocabulary_size (vocabulary));
    if (get_nr_class (model) < 2 || get_nr_class (model) > MAX_CLASSES)
        return ow_printf ("%s has %d classes", file, get_nr_class (model));
    return NULL;
}

ex_classifier_t *
ex_classifier_load (const char *dir, char **error)
{
    char *path = ow_printf ("%s/features.txt", dir);
    ex_vocabulary_t *vocabulary = ex_vocabulary_load (path, error);
    free (path);
    struct model *models [3] = { NULL, NULL, NULL };
    for (int i = 0; i < 3 && vocabulary && !*error; i++) {
        path = ow_printf ("%s/%s", dir, s_model_files [i]);
        models [i] = load_model (path);
        if (!models [i])
            *error = ow_printf ("%s cannot be read as a liblinear model", path);
        else
            *error = check_model (models [i], vocabulary, path);
        free (path);
    }
    ex_classifier_settings_t settings;
    if (!*error) {
        path = ow_printf ("%s/settings.csv", dir);
        ex_classifier_settings_load (path, &settings, error);
        free (path);
    }
    if (*error) {
        ex_vocabulary_destroy (&vocabulary);
        for (int i = 0; i < 3; i++)
            if (models [i])
                free_and_destroy_model (&models [i]);
        return NULL;
    }
    return ex_classifier_new (vocabulary, models [0], models [1], models [2], &settings);
}

bool
ex_classifier_save (const ex_classifier_t *self, const char *dir, char **error)
{
    char *path = ow_printf ("%s/features.txt", dir);
    bool saved = ex_vocabulary_save (self->vocabulary, path, error);
    free (path);
    const struct model *models [3] = { self->finding, self->polarity, self->theme };
    for (int i = 0; i < 3 && saved; i++) {
        path = ow_printf ("%s/%s", dir, s_model_files [i]);
        if (save_model (path, models [i]) != 0) {
            *error = ow_printf ("%s cannot be written", path);
            saved = false;
        }
        free (path);
    }
    if (saved) {
        path = ow_printf ("%s/settings.csv", dir);
        saved = ex_classifier_settings_save (&self->settings, path, error);
        free (path);
    }
    return saved;
}

const ex_classifier_settings_t *
ex_classifier_settings (const ex_classifier_t *self)
{
    return &self->settings;
}

ex_vocabulary_t *
ex_classifier_vocabulary (const ex_classifier_t *self)
{
    return self->vocabulary;
}

const struct model *
ex_classifier_model (const ex_classifier_t *self, const char *which)
{
    if (strcmp (which, "finding") == 0)
        return self->finding;
    if (strcmp (which, "polarity") == 0)
        return self->polarity;
    return self->theme;
}

//  The most probable label and its probability.
static int
best (const struct model *model, const struct feature_node *x, double *probability)
{
    double estimates [MAX_CLASSES];
    int labels [MAX_CLASSES];
    int n = get_nr_class (model);
    get_labels (model, labels);
    predict_probability (model, x, estimates);
    int chosen = 0;
    for (int i = 1; i < n; i++)
        if (estimates [i] > estimates [chosen])
            chosen = i;
    if (probability)
        *probability = estimates [chosen];
    return labels [chosen];
}

void
ex_classifier_judge (const ex_classifier_t *self, const struct feature_node *x,
                     ex_judgement_t *judgement)
{
    double estimates [MAX_CLASSES];
    int labels [MAX_CLASSES];
    get_labels (self->finding, labels);
    predict_probability (self->finding, x, estimates);
    judgement->finding = labels [0] == 1 ? estimates [0] : estimates [1];
    judgement->polarity = (Ofwatch__V1__Polarity) best (self->polarity, x, &judgement->polarity_p);
    judgement->theme = (Ofwatch__V1__Theme) best (self->theme, x, &judgement->theme_p);
}

Ofwatch__V1__Theme
ex_classifier_theme (const ex_classifier_t *self, const struct feature_node *x, double *probability)
{
    return (Ofwatch__V1__Theme) best (self->theme, x, probability);
}
