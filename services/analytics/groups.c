/*  groups — authorities compared with each other; see groups.h.  */

#include "groups.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <stdlib.h>
#include <string.h>

//  Grades in the order tables show them; 0 (not known) last.
static const Ofwatch__V1__Grade s_grade_order [] = {
    OFWATCH__V1__GRADE__GRADE_OUTSTANDING, OFWATCH__V1__GRADE__GRADE_GOOD,
    OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT, OFWATCH__V1__GRADE__GRADE_ADEQUATE,
    OFWATCH__V1__GRADE__GRADE_INADEQUATE, 0
};
#define GRADE_ORDER_COUNT (sizeof s_grade_order / sizeof s_grade_order [0])

bool
groups_is_current (const model_history_t *history)
{
    return !history->authority->ended || !*history->authority->ended;
}

size_t
groups_index (const view_t *view, const model_history_t *history)
{
    return (size_t) (history - model_at (view->model, 0));
}

uint32_t
groups_rank (const view_t *view, const state_t *states, const bool *members,
             Ofwatch__V1__Grade grade)
{
    int rank = ow_grade_rank (grade);
    if (!rank)
        return 0;
    uint32_t better = 0;
    for (size_t i = 0; i < model_size (view->model); i++)
        better += members [i] && ow_grade_rank (states [i].overall) > rank;
    return better + 1;
}

static int
compare_months (const void *a, const void *b)
{
    return *(const int *) a - *(const int *) b;
}

Ofwatch__V1__Group *
groups_summarise (const view_t *view, const state_t *states, const bool *members, size_t self,
                  const char *kind, const char *name)
{
    Ofwatch__V1__Group *group = OW_PB_NEW (Ofwatch__V1__Group, ofwatch__v1__group__init);
    ow_pb_set_string (&group->kind, kind);
    ow_pb_set_string (&group->name, name);
    size_t size = model_size (view->model);
    uint32_t counts [GRADE_ORDER_COUNT] = { 0 };
    int *months = ow_calloc (size * STATE_MAX_SPELLS + 1, sizeof (int));
    size_t n_months = 0;
    for (size_t i = 0; i < size; i++) {
        if (!members [i])
            continue;
        const state_t *state = &states [i];
        group->authorities++;
        group->graded += state->overall != 0;
        group->inadequate_now += state->inadequate;
        for (size_t g = 0; g < GRADE_ORDER_COUNT; g++)
            counts [g] += s_grade_order [g] == state->overall;
        for (size_t s = 0; s < state->n_spells; s++)
            if (state->spells [s].to != OW_DATE_NONE)
                months [n_months++] = state->spells [s].months;
    }
    for (size_t g = 0; g < GRADE_ORDER_COUNT; g++) {
        if (!counts [g])
            continue;
        Ofwatch__V1__GradeCount *count = OW_PB_NEW (Ofwatch__V1__GradeCount,
                                                    ofwatch__v1__grade_count__init);
        count->grade = s_grade_order [g];
        count->count = counts [g];
        ow_pb_append ((void ***) &group->grades, &group->n_grades, count);
    }
    if (self < size && states [self].overall)
        group->rank = groups_rank (view, states, members, states [self].overall);
    group->improved_spells = (uint32_t) n_months;
    if (n_months) {
        qsort (months, n_months, sizeof (int), compare_months);
        group->median_months_to_improve = n_months % 2
            ? (uint32_t) months [n_months / 2]
            : (uint32_t) ((months [n_months / 2 - 1] + months [n_months / 2] + 1) / 2);
    }
    free (months);
    return group;
}
