/*  ex_thresholds — choosing the extraction thresholds by a rule from
    held-out judgements, and the nested measure of that choice (see the
    header). */

#include "ex_thresholds.h"
#include "ow_pb.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

//  The grid the rule chooses from: from as loose as the models' own
//  judgement is useful to as strict as leaves a useful recall.
static const double s_finding [] = { 0.8, 0.85, 0.9, 0.93, 0.95 };
static const double s_polarity [] = { 0.8, 0.85, 0.9, 0.93 };
static const double s_theme [] = { 0.75, 0.8, 0.85, 0.9 };
static const double s_theme_item [] = { 0.7, 0.76, 0.8, 0.85 };

#define COUNT_OF(array) (sizeof (array) / sizeof (array) [0])
#define GRID (COUNT_OF (s_finding) * COUNT_OF (s_polarity) * COUNT_OF (s_theme) \
              * COUNT_OF (s_theme_item))
#define NONE SIZE_MAX

typedef struct {
    const ex_example_t *example;
    ex_judgement_t judgement;
} judged_t;

typedef struct {
    const ex_document_t *document;
    judged_t *judged;
    size_t count;
} recorded_t;

typedef struct {
    size_t extracted, right;
} tally_t;

struct _ex_thresholds_t {
    recorded_t *documents;
    size_t count;
};

ex_thresholds_t *
ex_thresholds_new (void)
{
    return ow_calloc (1, sizeof (ex_thresholds_t));
}

void
ex_thresholds_destroy (ex_thresholds_t **self_p)
{
    assert (self_p);
    ex_thresholds_t *self = *self_p;
    if (!self)
        return;
    for (size_t d = 0; d < self->count; d++)
        free (self->documents [d].judged);
    free (self->documents);
    free (self);
    *self_p = NULL;
}

static void
record_one (void *arg, const ex_example_t *example, const ex_judgement_t *judgement,
            Ofwatch__V1__Polarity polarity, bool extracted)
{
    (void) polarity;
    (void) extracted;
    recorded_t *recorded = arg;
    assert (recorded->count < recorded->document->count);
    recorded->judged [recorded->count++] = (judged_t) { example, *judgement };
}

void
ex_thresholds_add (ex_thresholds_t *self, const ex_document_t *document,
                   const ex_classifier_t *classifier, const ex_findings_tools_t *tools)
{
    self->documents = realloc (self->documents, (self->count + 1) * sizeof (recorded_t));
    if (!self->documents)
        abort ();
    recorded_t *recorded = &self->documents [self->count++];
    *recorded = (recorded_t) { document, ow_calloc (document->count + 1, sizeof (judged_t)), 0 };
    ex_training_judge (document, classifier, tools, record_one, recorded);
}

//  The settings at a point of the grid: base with its thresholds.
static ex_classifier_settings_t
settings_at (const ex_classifier_settings_t *base, size_t point)
{
    assert (point < GRID);
    ex_classifier_settings_t settings = *base;
    settings.theme_item = s_theme_item [point % COUNT_OF (s_theme_item)];
    point /= COUNT_OF (s_theme_item);
    settings.theme = s_theme [point % COUNT_OF (s_theme)];
    point /= COUNT_OF (s_theme);
    settings.polarity = s_polarity [point % COUNT_OF (s_polarity)];
    point /= COUNT_OF (s_polarity);
    settings.finding = s_finding [point];
    return settings;
}

//  What extraction with settings takes from a recorded document.
static tally_t
tally (const recorded_t *recorded, const ex_classifier_settings_t *settings)
{
    tally_t tally = { 0, 0 };
    for (size_t i = 0; i < recorded->count; i++) {
        const ex_example_t *example = recorded->judged [i].example;
        const ex_judgement_t *judgement = &recorded->judged [i].judgement;
        Ofwatch__V1__Polarity polarity;
        if (!ex_training_decide (settings, example, judgement, &polarity))
            continue;
        tally.extracted++;
        tally.right += ex_training_right (example, (int) polarity, (int) judgement->theme);
    }
    return tally;
}

static void
add_score (ex_score_t scores [EX_FAMILY_COUNT], const recorded_t *recorded, tally_t tally)
{
    ex_score_t *score = &scores [recorded->document->family];
    score->extracted += tally.extracted;
    score->right += tally.right;
    score->found += tally.right;
    score->labelled += recorded->document->labelled;
    score->candidates += recorded->document->count;
}

//  The point of the grid the rule gives the documents other than
//  `except` (NONE: all of them), or NONE when no point meets it.
static size_t
best_point (const ex_thresholds_t *self, tally_t *const *tallies, size_t except, double least)
{
    size_t best = NONE, best_right = 0;
    for (size_t point = 0; point < GRID; point++) {
        tally_t kinds [EX_FAMILY_COUNT] = { { 0, 0 } };
        size_t right = 0;
        for (size_t d = 0; d < self->count; d++) {
            if (d == except)
                continue;
            tally_t *kind = &kinds [self->documents [d].document->family];
            kind->extracted += tallies [d][point].extracted;
            kind->right += tallies [d][point].right;
            right += tallies [d][point].right;
        }
        bool meets = true;
        for (int family = 0; family < EX_FAMILY_COUNT && meets; family++)
            meets = kinds [family].extracted < EX_THRESHOLDS_MIN_EXTRACTED
                 || (double) kinds [family].right >= least * (double) kinds [family].extracted;
        if (meets && (best == NONE || right > best_right)) {
            best = point;
            best_right = right;
        }
    }
    return best;
}

bool
ex_thresholds_choose (const ex_thresholds_t *self, double least,
                      const ex_classifier_settings_t *base, ex_classifier_settings_t *chosen,
                      ex_score_t scores [EX_FAMILY_COUNT], ex_score_t nested [EX_FAMILY_COUNT])
{
    tally_t **tallies = ow_calloc (self->count + 1, sizeof (tally_t *));
    for (size_t d = 0; d < self->count; d++) {
        tallies [d] = ow_calloc (GRID, sizeof (tally_t));
        for (size_t point = 0; point < GRID; point++) {
            ex_classifier_settings_t settings = settings_at (base, point);
            tallies [d][point] = tally (&self->documents [d], &settings);
        }
    }
    size_t point = best_point (self, tallies, NONE, least);
    *chosen = point == NONE ? *base : settings_at (base, point);
    for (size_t d = 0; d < self->count; d++)
        add_score (scores, &self->documents [d],
                   point == NONE ? tally (&self->documents [d], base) : tallies [d][point]);
    for (size_t d = 0; d < self->count && nested; d++) {
        size_t own = best_point (self, tallies, d, least);
        add_score (nested, &self->documents [d],
                   own == NONE ? tally (&self->documents [d], base) : tallies [d][own]);
    }
    for (size_t d = 0; d < self->count; d++)
        free (tallies [d]);
    free (tallies);
    return point != NONE;
}
