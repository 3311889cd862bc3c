/*  state — where an authority stands as of a day; see state.h.  */

#include "state.h"
#include "themes.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <stdlib.h>
#include <string.h>

static bool
is_visit (const model_inspection_t *inspection)
{
    return inspection->kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT;
}

//  The first inspection of the unbroken run of `grade` in `area` that
//  ends with inspection `last`, walking back over full inspections.
static const model_inspection_t *
run_start (const model_history_t *history, size_t last, const char *area,
           Ofwatch__V1__Grade grade)
{
    const model_inspection_t *first = &history->inspections [last];
    for (size_t j = last + 1; j-- > 0;) {
        const model_inspection_t *inspection = &history->inspections [j];
        Ofwatch__V1__Grade g = model_is_dated_full (inspection)
                             ? model_grade (inspection, area) : 0;
        if (!model_is_graded (g))
            continue;
        if (g != grade)
            break;
        first = inspection;
    }
    return first;
}

static void
add_spell (state_t *state, int from, int to, int today)
{
    if (state->n_spells == STATE_MAX_SPELLS)
        return;
    state_spell_t *spell = &state->spells [state->n_spells++];
    spell->from = from;
    spell->to = to;
    spell->months = rules_months_between (from, to != OW_DATE_NONE ? to : today);
}

//  The first full inspection of the unbroken run that left the authority
//  inadequate and ends with inspection `last`.
static const model_inspection_t *
inadequate_run_start (const model_history_t *history, size_t last)
{
    const model_inspection_t *first = &history->inspections [last];
    for (size_t j = last + 1; j-- > 0;) {
        const model_inspection_t *inspection = &history->inspections [j];
        if (!model_is_graded_full (inspection))
            continue;
        if (!model_judged_inadequate (inspection))
            break;
        first = inspection;
    }
    return first;
}

//  Spells in inadequate from the full inspections, each judged as
//  model_judged_inadequate says.
static void
find_spells (const model_history_t *history, int today, state_t *state)
{
    int from = OW_DATE_NONE;
    for (size_t i = 0; i < history->n_inspections; i++) {
        const model_inspection_t *inspection = &history->inspections [i];
        if (!model_is_graded_full (inspection))
            continue;
        bool inadequate = model_judged_inadequate (inspection);
        if (inadequate && from == OW_DATE_NONE)
            from = model_inspection_day (inspection);
        else if (!inadequate && from != OW_DATE_NONE) {
            add_spell (state, from, model_inspection_day (inspection), today);
            from = OW_DATE_NONE;
        }
    }
    if (from != OW_DATE_NONE)
        add_spell (state, from, OW_DATE_NONE, today);
}

//  A monitoring letter later than any graded inspection may be all we
//  know: "the fifth monitoring visit since the local authority was
//  judged inadequate in July 2022".
static void
inadequate_from_letters (const model_history_t *history, int after, int today, state_t *state)
{
    for (size_t i = history->n_inspections; i-- > 0;) {
        const model_inspection_t *visit = &history->inspections [i];
        if (!is_visit (visit) || !*visit->inadequate_since
            || (after != OW_DATE_NONE && model_inspection_day (visit) <= after))
            continue;
        char iso [16];
        snprintf (iso, sizeof iso, "%.7s-01", visit->inadequate_since);
        int since = ow_date_from_iso (iso);
        if (since == OW_DATE_NONE)
            continue;
        state->inadequate = true;
        state->inadequate_since = since;
        snprintf (state->inadequate_month, sizeof state->inadequate_month, "%.7s",
                  visit->inadequate_since);
        state->inadequate_published = rules_add_months (since, RULES_PUBLICATION_AFTER_MONTHS);
        add_spell (state, since, OW_DATE_NONE, today);
        return;
    }
}

static void
count_visits (const model_history_t *history, state_t *state)
{
    for (size_t i = 0; i < history->n_inspections; i++) {
        const model_inspection_t *visit = &history->inspections [i];
        int day = model_inspection_day (visit);
        if (!is_visit (visit) || day == OW_DATE_NONE || day < state->inadequate_since)
            continue;
        state->monitoring_visits++;
        //  Letters number their visits; the record may lack some of them.
        if (visit->visit_number > state->monitoring_visits)
            state->monitoring_visits = visit->visit_number;
        int last = visit->end != OW_DATE_NONE ? visit->end : day;
        if (state->last_visit == OW_DATE_NONE || last > state->last_visit)
            state->last_visit = last;
    }
}

//  The grades of a full inspection that decide what follows it.
static void
rules_grades_of (const model_inspection_t *inspection, rules_grades_t *grades)
{
    Ofwatch__V1__Grade together = model_grade (inspection, "in_care_and_care_leavers");
    Ofwatch__V1__Grade in_care = model_grade (inspection, "in_care");
    Ofwatch__V1__Grade care_leavers = model_grade (inspection, "care_leavers");
    *grades = (rules_grades_t) {
        .april_2026 = model_is_post_reform (inspection),
        .overall = model_grade (inspection, "overall"),
        .leaders = model_grade (inspection, "leaders"),
        .practice = { model_grade (inspection, "help_and_protection"),
                      in_care ? in_care : together, care_leavers ? care_leavers : together }
    };
}

static bool
is_send (const model_inspection_t *inspection)
{
    return inspection->kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND
        || inspection->kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND_MONITORING;
}

//  The latest area SEND inspection and what its report says comes next.
static void
find_send (const model_history_t *history, state_t *state)
{
    for (size_t i = 0; i < history->n_inspections; i++)
        if (is_send (&history->inspections [i]))
            state->send = &history->inspections [i];
    if (!state->send)
        return;
    int from = state->send->published != OW_DATE_NONE ? state->send->published
                                                      : state->send->end;
    state->has_send_next = rules_next_send (state->send->next_inspection, from,
                                            &state->send_next);
}

void
state_compute (const model_history_t *history, int today, state_t *state)
{
    memset (state, 0, sizeof *state);
    state->overall_since = state->inadequate_since = OW_DATE_NONE;
    state->inadequate_published = state->last_visit = OW_DATE_NONE;
    size_t latest = 0;
    for (size_t i = 0; i < history->n_inspections; i++)
        if (model_is_graded_full (&history->inspections [i]))
            state->latest = &history->inspections [latest = i];
    find_spells (history, today, state);
    if (state->latest) {
        //  Not guessed: an April 2026 report has no overall judgement.
        state->overall = model_grade (state->latest, "overall");
        if (model_is_graded (state->overall))
            state->overall_since = model_inspection_day (
                run_start (history, latest, "overall", state->overall));
        else
            state->overall = 0;
        if (model_judged_inadequate (state->latest)) {
            const model_inspection_t *first = inadequate_run_start (history, latest);
            state->inadequate = true;
            state->inadequate_since = model_inspection_day (first);
            if (first->start_month) {
                char iso [11];
                ow_date_to_iso (first->start, iso);
                snprintf (state->inadequate_month, sizeof state->inadequate_month, "%.7s", iso);
            }
            state->inadequate_published = first->published != OW_DATE_NONE
                ? first->published
                : rules_add_months (state->inadequate_since, RULES_PUBLICATION_AFTER_MONTHS);
        }
    }
    if (!state->inadequate)
        inadequate_from_letters (history,
                                 state->latest ? model_inspection_day (state->latest)
                                               : OW_DATE_NONE, today, state);
    if (state->inadequate) {
        state->months_inadequate = rules_months_between (state->inadequate_since, today);
        count_visits (history, state);
        rules_next_visit (state->last_visit, state->inadequate_published,
                          state->monitoring_visits, &state->next);
        state->has_next = true;
    }
    else if (state->latest) {
        rules_grades_t grades;
        rules_grades_of (state->latest, &grades);
        state->has_next = rules_next_inspection (&grades, model_inspection_day (state->latest),
                                                 &state->next);
    }
    find_send (history, state);
}

//  --------------------------------------------------------------------------
//  Messages

void
state_set_date (char **field, int day)
{
    char iso [11];
    ow_date_to_iso (day, iso);
    ow_pb_set_string (field, iso);
}

bool
state_is_weakness (Ofwatch__V1__Polarity polarity)
{
    return polarity == OFWATCH__V1__POLARITY__POLARITY_WEAKNESS
        || polarity == OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED
        || polarity == OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION;
}

int
state_area_order (const char *area)
{
    //  As the reports' tables print them: ILACS, then SIF, then SLAC,
    //  with the overall judgement first.
    static const char *order [] = {
        "overall", "leaders", "help_and_protection", "in_care_and_care_leavers", "in_care",
        "care_leavers", "leadership", "looked_after", "adoption", "lscb",
        "leadership_and_management", "capacity_to_improve", "outcomes",
        "quality_of_provision", NULL
    };
    for (int i = 0; order [i]; i++)
        if (strcmp (order [i], area) == 0)
            return i;
    return 100;
}

static int
compare_areas (const void *a, const void *b)
{
    const Ofwatch__V1__AreaStanding *x = *(Ofwatch__V1__AreaStanding *const *) a;
    const Ofwatch__V1__AreaStanding *y = *(Ofwatch__V1__AreaStanding *const *) b;
    int order = state_area_order (x->area) - state_area_order (y->area);
    return order ? order : strcmp (x->area, y->area);
}

static void
add_areas (const model_history_t *history, const state_t *state,
           Ofwatch__V1__AuthorityState *message)
{
    size_t latest = (size_t) (state->latest - history->inspections);
    for (size_t i = 0; i < state->latest->n_grades; i++) {
        const model_grade_t *grade = &state->latest->grades [i];
        if (!model_is_graded (grade->grade))
            continue;
        Ofwatch__V1__AreaStanding *area = OW_PB_NEW (Ofwatch__V1__AreaStanding,
                                                     ofwatch__v1__area_standing__init);
        ow_pb_set_string (&area->area, grade->area);
        area->grade = grade->grade;
        state_set_date (&area->since, model_inspection_day (
            run_start (history, latest, grade->area, grade->grade)));
        state_set_date (&area->judged_on, model_inspection_day (state->latest));
        ow_pb_append ((void ***) &message->areas, &message->n_areas, area);
    }
    if (message->n_areas)
        qsort (message->areas, message->n_areas, sizeof (void *), compare_areas);
}

void
state_append_spells (const state_t *state, Ofwatch__V1__InadequateSpell ***spells,
                     size_t *count)
{
    for (size_t i = 0; i < state->n_spells; i++) {
        Ofwatch__V1__InadequateSpell *spell = OW_PB_NEW (Ofwatch__V1__InadequateSpell,
                                                         ofwatch__v1__inadequate_spell__init);
        state_set_date (&spell->from, state->spells [i].from);
        state_set_date (&spell->to, state->spells [i].to);
        spell->months = (uint32_t) state->spells [i].months;
        spell->ongoing = state->spells [i].to == OW_DATE_NONE;
        ow_pb_append ((void ***) spells, count, spell);
    }
}

static void
add_open_deadlines (const model_history_t *history, int today,
                    Ofwatch__V1__AuthorityState *message)
{
    for (size_t i = 0; i < history->n_deadlines; i++) {
        const model_deadline_t *d = &history->deadlines [i];
        if (d->due == OW_DATE_NONE || d->due < today)
            continue;
        Ofwatch__V1__Deadline *deadline = OW_PB_NEW (Ofwatch__V1__Deadline,
                                                     ofwatch__v1__deadline__init);
        ow_pb_set_string (&deadline->kind, d->kind);
        state_set_date (&deadline->due, d->due);
        ow_pb_set_string (&deadline->basis, d->basis);
        ow_pb_append ((void ***) &message->open_deadlines, &message->n_open_deadlines,
                      deadline);
    }
}

static Ofwatch__V1__ExpectedActivity *
expected (const rules_expectation_t *expectation, int today)
{
    Ofwatch__V1__ExpectedActivity *next = OW_PB_NEW (Ofwatch__V1__ExpectedActivity,
                                                     ofwatch__v1__expected_activity__init);
    next->kind = expectation->kind;
    state_set_date (&next->earliest, expectation->earliest);
    state_set_date (&next->latest, expectation->latest);
    ow_pb_set_string (&next->rule, expectation->rule);
    ow_pb_set_string (&next->framework, expectation->framework);
    next->overdue = expectation->latest != OW_DATE_NONE && today > expectation->latest;
    return next;
}

Ofwatch__V1__AuthorityState *
state_message (const model_history_t *history, int today)
{
    state_t state;
    state_compute (history, today, &state);
    Ofwatch__V1__AuthorityState *message = OW_PB_NEW (Ofwatch__V1__AuthorityState,
                                                      ofwatch__v1__authority_state__init);
    state_set_date (&message->as_of, today);
    if (state.latest) {
        message->overall = state.overall;
        state_set_date (&message->overall_since, state.overall_since);
        message->latest_kind = state.latest->kind;
        state_set_date (&message->latest_start, model_inspection_day (state.latest));
        state_set_date (&message->latest_published, state.latest->published);
        add_areas (history, &state, message);
    }
    message->inadequate = state.inadequate;
    if (*state.inadequate_month)
        ow_pb_set_string (&message->inadequate_since, state.inadequate_month);
    else
        state_set_date (&message->inadequate_since, state.inadequate_since);
    message->months_inadequate = (uint32_t) state.months_inadequate;
    message->monitoring_visits = (uint32_t) state.monitoring_visits;
    state_set_date (&message->last_visit, state.last_visit);
    if (state.has_next)
        message->next = expected (&state.next, today);
    if (state.send) {
        message->send_outcome = state.send->outcome;
        message->send_kind = state.send->kind;
        state_set_date (&message->send_inspected_on, model_inspection_day (state.send));
        if (state.has_send_next)
            message->send_next = expected (&state.send_next, today);
    }
    add_open_deadlines (history, today, message);
    themes_recurring (history, &message->recurring, &message->n_recurring);
    state_append_spells (&state, &message->spells, &message->n_spells);
    return message;
}

Ofwatch__V1__Standing *
state_standing (const model_history_t *history, const state_t *state)
{
    const ow_authority_t *a = history->authority;
    Ofwatch__V1__Standing *standing = OW_PB_NEW (Ofwatch__V1__Standing,
                                                 ofwatch__v1__standing__init);
    standing->authority = OW_PB_NEW (Ofwatch__V1__Authority, ofwatch__v1__authority__init);
    ow_pb_set_string (&standing->authority->code, a->code);
    ow_pb_set_string (&standing->authority->name, a->name);
    ow_pb_set_string (&standing->authority->la_code, a->la_code);
    ow_pb_set_string (&standing->authority->urn, a->urn);
    ow_pb_set_string (&standing->region, a->region_name);
    if (state->latest) {
        standing->overall = state->overall;
        standing->kind = state->latest->kind;
        state_set_date (&standing->inspected_on, model_inspection_day (state->latest));
        state_set_date (&standing->published_on, state->latest->published);
    }
    standing->months_inadequate = (uint32_t) state->months_inadequate;
    return standing;
}
