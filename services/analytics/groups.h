/*  groups — authorities compared with each other.

    A group is a set of histories (statistical neighbours, a region,
    England): how many there are, how many have an overall grade, how
    their latest overall grades are spread, where one of them ranks,
    how many are inadequate now, and how long those that left inadequate
    took. Ranks are competition ranks on the overall grade (1 + the number
    of members graded better), so equal grades share a rank; "adequate"
    ranks with "requires improvement", as ow_grade_rank orders them. A
    latest full inspection of the April 2026 framework prints no overall
    grade: its authority is counted with those not graded and not ranked
    (rank 0), never given a grade made up from its other judgements.
*/
#ifndef GROUPS_H
#define GROUPS_H

#include "state.h"
#include "views.h"

//  True for an authority that still exists (not abolished).
bool groups_is_current (const model_history_t *history);

//  Summarises the members (members [i] for model index i). `self` is the
//  model index of the authority to rank, or SIZE_MAX for none.
Ofwatch__V1__Group *groups_summarise (const view_t *view, const state_t *states,
                                      const bool *members, size_t self, const char *kind,
                                      const char *name);

//  Rank of `grade` among the members' latest grades; 0 when not graded.
uint32_t groups_rank (const view_t *view, const state_t *states, const bool *members,
                      Ofwatch__V1__Grade grade);

//  The model index of a history.
size_t groups_index (const view_t *view, const model_history_t *history);

#endif
