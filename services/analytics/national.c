/*  national — England at a glance (`ofwatch national`).

    Every current authority's latest overall grade, by region; the
    transition matrix of overall grades between consecutive full
    inspections of one authority (abolished authorities included: their
    inspections happened); and how often each theme is found, by year and
    by grade (themes.c).
*/

#include "groups.h"
#include "themes.h"
#include "ow_vocab.h"

#include <stdlib.h>
#include <string.h>

#define GRADES 8

//  Moves a group's grade counts into another message's repeated field.
static void
take_grades (Ofwatch__V1__Group *group, Ofwatch__V1__GradeCount ***grades, size_t *count)
{
    *grades = group->grades;
    *count = group->n_grades;
    group->grades = NULL;
    group->n_grades = 0;
}

//  Every cell of the matrix, zeros included, from-major in the order of
//  s_order, so readers walk it without looking cells up.
static void
add_transitions (const view_t *view, Ofwatch__V1__National *national)
{
    static const Ofwatch__V1__Grade s_order [] = {
        OFWATCH__V1__GRADE__GRADE_OUTSTANDING, OFWATCH__V1__GRADE__GRADE_GOOD,
        OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT, OFWATCH__V1__GRADE__GRADE_ADEQUATE,
        OFWATCH__V1__GRADE__GRADE_INADEQUATE
    };
    uint32_t matrix [GRADES][GRADES] = { { 0 } };
    for (size_t h = 0; h < model_size (view->model); h++) {
        const model_history_t *history = model_at (view->model, h);
        Ofwatch__V1__Grade previous = 0;
        for (size_t i = 0; i < history->n_inspections; i++) {
            const model_inspection_t *inspection = &history->inspections [i];
            Ofwatch__V1__Grade grade = model_is_dated_full (inspection)
                                     ? model_grade (inspection, "overall") : 0;
            if (!ow_grade_rank (grade) || grade >= GRADES)
                continue;
            if (previous)
                matrix [previous][grade]++;
            previous = grade;
        }
    }
    size_t n = sizeof s_order / sizeof s_order [0];
    for (size_t from = 0; from < n; from++)
        for (size_t to = 0; to < n; to++) {
            Ofwatch__V1__Transition *cell = OW_PB_NEW (Ofwatch__V1__Transition,
                                                       ofwatch__v1__transition__init);
            cell->from = s_order [from];
            cell->to = s_order [to];
            cell->count = matrix [s_order [from]][s_order [to]];
            ow_pb_append ((void ***) &national->transitions, &national->n_transitions, cell);
        }
}

static int
compare_regions (const void *a, const void *b)
{
    const Ofwatch__V1__RegionStanding *x = *(Ofwatch__V1__RegionStanding *const *) a;
    const Ofwatch__V1__RegionStanding *y = *(Ofwatch__V1__RegionStanding *const *) b;
    return strcmp (x->name, y->name);
}

static int
compare_standings (const void *a, const void *b)
{
    const Ofwatch__V1__Standing *x = *(Ofwatch__V1__Standing *const *) a;
    const Ofwatch__V1__Standing *y = *(Ofwatch__V1__Standing *const *) b;
    return strcmp (x->authority->name, y->authority->name);
}

static bool
region_listed (const Ofwatch__V1__National *national, const char *code)
{
    for (size_t r = 0; r < national->n_regions; r++)
        if (strcmp (national->regions [r]->code, code) == 0)
            return true;
    return false;
}

//  The name most of a region's members give it: the register has a row
//  or two whose region name and code disagree.
static const char *
region_name (const view_t *view, const bool *members)
{
    const char *best = "";
    size_t best_count = 0, size = model_size (view->model);
    for (size_t i = 0; i < size; i++) {
        if (!members [i])
            continue;
        const char *name = model_at (view->model, i)->authority->region_name;
        size_t count = 0;
        for (size_t j = 0; j < size; j++)
            count += members [j]
                  && strcmp (model_at (view->model, j)->authority->region_name, name) == 0;
        if (count > best_count) {
            best = name;
            best_count = count;
        }
    }
    return best;
}

static void
add_region (const view_t *view, const state_t *states, const bool *current,
            const ow_authority_t *first, Ofwatch__V1__National *national)
{
    size_t size = model_size (view->model);
    bool *members = ow_calloc (size + 1, sizeof (bool));
    Ofwatch__V1__RegionStanding *region = OW_PB_NEW (Ofwatch__V1__RegionStanding,
                                                     ofwatch__v1__region_standing__init);
    ow_pb_set_string (&region->code, first->region_code);
    for (size_t i = 0; i < size; i++) {
        const model_history_t *history = model_at (view->model, i);
        members [i] = current [i]
                   && strcmp (history->authority->region_code, first->region_code) == 0;
        if (members [i])
            ow_pb_append ((void ***) &region->authorities, &region->n_authorities,
                          state_standing (history, &states [i]));
    }
    ow_pb_set_string (&region->name, region_name (view, members));
    qsort (region->authorities, region->n_authorities, sizeof (void *), compare_standings);
    Ofwatch__V1__Group *group = groups_summarise (view, states, members, SIZE_MAX,
                                                  "region", region->name);
    take_grades (group, &region->grades, &region->n_grades);
    ow_pb_free (&group);
    free (members);
    ow_pb_append ((void ***) &national->regions, &national->n_regions, region);
}

Ofwatch__V1__National *
view_national (const view_t *view)
{
    size_t size = model_size (view->model);
    const state_t *states = view->states;
    bool *current = ow_calloc (size + 1, sizeof (bool));
    for (size_t i = 0; i < size; i++)
        current [i] = groups_is_current (model_at (view->model, i));

    Ofwatch__V1__National *national = OW_PB_NEW (Ofwatch__V1__National,
                                                 ofwatch__v1__national__init);
    state_set_date (&national->as_of, view->today);
    Ofwatch__V1__Group *england = groups_summarise (view, states, current, SIZE_MAX,
                                                    "england", "England");
    national->authorities = england->authorities;
    national->inadequate_now = england->inadequate_now;
    national->improved_spells = england->improved_spells;
    national->median_months_to_improve = england->median_months_to_improve;
    take_grades (england, &national->grades, &national->n_grades);
    ow_pb_free (&england);

    for (size_t i = 0; i < size; i++) {
        const ow_authority_t *a = model_at (view->model, i)->authority;
        if (current [i] && a->region_code && *a->region_code
            && !region_listed (national, a->region_code))
            add_region (view, states, current, a, national);
    }
    if (national->n_regions)
        qsort (national->regions, national->n_regions, sizeof (void *), compare_regions);
    add_transitions (view, national);
    themes_prevalence (view->model, national);
    free (current);
    return national;
}
