/*  derive — theme.recurring, deadline.approaching, deadline.passed and
    visit.overdue.

    Each derived event's dedupe key names its cause, so deriving again (on
    every change to an authority, on every new day, after a restart) adds
    nothing that is already in the log:

    - theme.recurring/AUTHORITY/THEME/IDS: the set of inspections the
      theme recurs in; a new inspection with the theme makes a new set,
      and so a new event carrying every occurrence;
    - deadline.approaching and deadline.passed/AUTHORITY/KIND/DUE: once
      each per deadline. A deadline first seen after it fell due is only
      passed;
    - visit.overdue/AUTHORITY/SINCE: once per gap, named by the visit (or
      the inadequate report's publication) it is counted from, and only
      while the authority is inadequate.

    Dates in the world: an occurrence's inspection, a deadline's first day
    in its approaching window or its due date, a visit's first overdue day.
*/

#include "analytics.h"
#include "rules.h"
#include "state.h"
#include "themes.h"
#include "ow_date.h"
#include "ow_vocab.h"

Ofwatch__V1__Event *
analytics_event_new (Ofwatch__V1__EventType type, const char *authority, const char *occurred_on)
{
    Ofwatch__V1__Event *event = OW_PB_NEW (Ofwatch__V1__Event, ofwatch__v1__event__init);
    event->type = type;
    ow_pb_set_string (&event->authority, authority);
    ow_pb_set_string (&event->occurred_on, occurred_on);
    event->payload = OW_PB_NEW (Ofwatch__V1__Payload, ofwatch__v1__payload__init);
    return event;
}

static char *
iso (int day)
{
    char text [11];
    ow_date_to_iso (day, text);
    return ow_strdup (text);
}

void
analytics_derive_themes (analytics_t *self, const model_history_t *history)
{
    Ofwatch__V1__ThemeRecurring **recurring = NULL;
    size_t count = 0;
    themes_recurring (history, &recurring, &count);
    const char *code = history->authority->code;
    for (size_t i = 0; i < count; i++) {
        Ofwatch__V1__ThemeRecurring *r = recurring [i];
        const char *last = r->n_occurrences ? r->occurrences [r->n_occurrences - 1]->date : "";
        char *ids = themes_inspection_ids (r);
        char *key = ow_printf ("theme.recurring/%s/%s/%s", code, ow_theme_word (r->theme), ids);
        Ofwatch__V1__Event *event = analytics_event_new (
            OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_THEME_RECURRING, code, last);
        event->theme = r->theme;
        event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_THEME_RECURRING;
        event->payload->theme_recurring = r;
        analytics_emit (self, key, event);
        free (key);
        free (ids);
    }
    free (recurring);
}

static void
emit_deadline (analytics_t *self, const model_history_t *history, const model_deadline_t *d,
               Ofwatch__V1__EventType type, int day)
{
    const char *code = history->authority->code;
    char *due = iso (d->due), *when = iso (day);
    Ofwatch__V1__Event *event = analytics_event_new (type, code, when);
    Ofwatch__V1__DeadlineEvent *body = OW_PB_NEW (Ofwatch__V1__DeadlineEvent,
                                                  ofwatch__v1__deadline_event__init);
    body->deadline = OW_PB_NEW (Ofwatch__V1__Deadline, ofwatch__v1__deadline__init);
    ow_pb_set_string (&body->deadline->kind, d->kind);
    ow_pb_set_string (&body->deadline->due, due);
    ow_pb_set_string (&body->deadline->basis, d->basis);
    body->inspection_id = d->inspection_id;
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_DEADLINE;
    event->payload->deadline = body;
    char *key = ow_printf ("%s/%s/%s/%s", ow_event_type_word (type), code, d->kind, due);
    analytics_emit (self, key, event);
    free (key);
    free (due);
    free (when);
}

void
analytics_derive_deadlines (analytics_t *self, const model_history_t *history, int today)
{
    for (size_t i = 0; i < history->n_deadlines; i++) {
        const model_deadline_t *d = &history->deadlines [i];
        if (d->due == OW_DATE_NONE)
            continue;
        if (today > d->due)
            emit_deadline (self, history, d, OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_PASSED,
                           d->due);
        else if (today >= d->due - RULES_APPROACHING_DAYS)
            emit_deadline (self, history, d,
                           OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_APPROACHING,
                           d->due - RULES_APPROACHING_DAYS);
    }
}

//  Only while the authority is inadequate: on the clock's day, and on the
//  day the event is dated (the first day past the window), which is then
//  within the same spell. A spell that has ended raises nothing, however
//  long its visits went unrecorded.
bool
analytics_derive_overdue (analytics_t *self, const model_history_t *history, int today,
                          bool settled)
{
    state_t state;
    state_compute (history, today, &state);
    if (!state.inadequate || !state.has_next || state.next.latest == OW_DATE_NONE
        || today <= state.next.latest || state.next.latest + 1 < state.inadequate_since)
        return true;
    if (!settled)
        return false;
    int since = state.last_visit != OW_DATE_NONE ? state.last_visit : state.inadequate_published;
    if (since == OW_DATE_NONE)
        return true;
    const char *code = history->authority->code;
    char *from = iso (since), *when = iso (state.next.latest + 1);
    Ofwatch__V1__Event *event = analytics_event_new (
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_VISIT_OVERDUE, code, when);
    Ofwatch__V1__VisitOverdue *body = OW_PB_NEW (Ofwatch__V1__VisitOverdue,
                                                 ofwatch__v1__visit_overdue__init);
    if (state.last_visit != OW_DATE_NONE)
        ow_pb_set_string (&body->last_visit, from);
    body->days_since = (uint32_t) (today - since);
    body->expected_within_days = (uint32_t) (state.next.latest - since);
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_VISIT_OVERDUE;
    event->payload->visit_overdue = body;
    char *key = ow_printf ("visit.overdue/%s/%s", code, from);
    analytics_emit (self, key, event);
    free (key);
    free (from);
    free (when);
    return true;
}

void
analytics_derive_time (analytics_t *self, const model_history_t *history, int today)
{
    analytics_derive_deadlines (self, history, today);
    analytics_derive_overdue (self, history, today, true);
}
