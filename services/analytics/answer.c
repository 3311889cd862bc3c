/*  answer — the questions analytics answers, for its ROUTER and its HTTP
    server alike: an authority's history with its state, its benchmark,
    themes, the national picture, the summary export and reports. Each is
    built from the model under its lock (views.h); an authority is named
    any way the register knows.
*/

#include "analytics.h"
#include "themes.h"
#include "ow_date.h"
#include "ow_wire.h"

static Ofwatch__V1__Reply *
new_reply (Ofwatch__V1__Reply__BodyCase body_case)
{
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = body_case;
    return reply;
}

//  The history of the authority named, or NULL with *error set.
static const model_history_t *
find (analytics_t *self, const char *name, Ofwatch__V1__Reply **error)
{
    const ow_authority_t *authority = (name && *name) ? ow_register_find (self->reg, name) : NULL;
    const model_history_t *history = model_history (self->model, authority);
    if (!history)
        *error = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_NOT_FOUND,
                                "no authority is known as \"%s\"", name ? name : "");
    return history;
}

static Ofwatch__V1__Reply *
themes (analytics_t *self, const view_t *view, const Ofwatch__V1__ThemesQuery *query)
{
    int since = OW_DATE_NONE;
    if (query->since && *query->since) {
        since = ow_date_from_iso (query->since);
        if (since == OW_DATE_NONE)
            return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST,
                                  "since must be a date YYYY-MM-DD, not \"%s\"", query->since);
    }
    const model_history_t *history = NULL;
    Ofwatch__V1__Reply *error = NULL;
    if (query->authority && *query->authority && !(history = find (self, query->authority, &error)))
        return error;
    Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_THEMES);
    reply->themes = themes_reply (self->model, history, since);
    if (history) {
        Ofwatch__V1__Authority *a = OW_PB_NEW (Ofwatch__V1__Authority,
                                               ofwatch__v1__authority__init);
        ow_pb_set_string (&a->code, history->authority->code);
        ow_pb_set_string (&a->name, history->authority->name);
        ow_pb_set_string (&a->la_code, history->authority->la_code);
        ow_pb_set_string (&a->urn, history->authority->urn);
        reply->themes->authority = a;
    }
    return reply;
}

//  The questions about one authority.
static Ofwatch__V1__Reply *
about_authority (analytics_t *self, const view_t *view, const Ofwatch__V1__Request *request)
{
    const char *name = request->body_case == OFWATCH__V1__REQUEST__BODY_AUTHORITY_HISTORY
                     ? request->authority_history->authority
                     : request->body_case == OFWATCH__V1__REQUEST__BODY_BENCHMARK
                     ? request->benchmark->authority : request->report->authority;
    Ofwatch__V1__Reply *error = NULL;
    const model_history_t *history = find (self, name, &error);
    if (!history)
        return error;
    switch (request->body_case) {
        case OFWATCH__V1__REQUEST__BODY_AUTHORITY_HISTORY: {
            Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_AUTHORITY_HISTORY);
            reply->authority_history = view_history (view, history);
            return reply;
        }
        case OFWATCH__V1__REQUEST__BODY_BENCHMARK: {
            Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_BENCHMARK);
            reply->benchmark = view_benchmark (view, history);
            return reply;
        }
        default: {
            Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_REPORT);
            reply->report = view_report_authority (view, history);
            return reply;
        }
    }
}

static Ofwatch__V1__Reply *
answer_locked (analytics_t *self, const view_t *view, const Ofwatch__V1__Request *request)
{
    switch (request->body_case) {
        case OFWATCH__V1__REQUEST__BODY_AUTHORITY_HISTORY:
        case OFWATCH__V1__REQUEST__BODY_BENCHMARK:
            return about_authority (self, view, request);
        case OFWATCH__V1__REQUEST__BODY_REPORT:
            if (!request->report->national)
                return about_authority (self, view, request);
            Ofwatch__V1__Reply *report = new_reply (OFWATCH__V1__REPLY__BODY_REPORT);
            report->report = view_report_national (view);
            return report;
        case OFWATCH__V1__REQUEST__BODY_THEMES:
            return themes (self, view, request->themes);
        case OFWATCH__V1__REQUEST__BODY_NATIONAL: {
            Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_NATIONAL);
            reply->national = view_national (view);
            return reply;
        }
        case OFWATCH__V1__REQUEST__BODY_SUMMARY: {
            Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_SUMMARY);
            reply->summary = view_summary (view);
            return reply;
        }
        case OFWATCH__V1__REQUEST__BODY_HISTORY_EXPORT: {
            Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_HISTORY_EXPORT);
            reply->history_export = view_history_export (view);
            return reply;
        }
        default:
            return NULL;
    }
}

//  Every authority's state as of today, computed again only when the
//  model or the day has changed since. The caller holds the model's lock.
static const state_t *
states_as_of (analytics_t *self, int today)
{
    uint64_t generation = model_generation (self->model);
    if (self->states && self->states_generation == generation && self->states_day == today)
        return self->states;
    size_t size = model_size (self->model);
    free (self->states);
    self->states = ow_calloc (size ? size : 1, sizeof (state_t));
    for (size_t i = 0; i < size; i++)
        state_compute (model_at (self->model, i), today, &self->states [i]);
    self->states_generation = generation;
    self->states_day = today;
    return self->states;
}

Ofwatch__V1__Reply *
analytics_answer (analytics_t *self, const Ofwatch__V1__Request *request)
{
    switch (request->body_case) {
        case OFWATCH__V1__REQUEST__BODY_AUTHORITY_HISTORY:
        case OFWATCH__V1__REQUEST__BODY_BENCHMARK:
        case OFWATCH__V1__REQUEST__BODY_REPORT:
        case OFWATCH__V1__REQUEST__BODY_THEMES:
        case OFWATCH__V1__REQUEST__BODY_NATIONAL:
        case OFWATCH__V1__REQUEST__BODY_SUMMARY:
        case OFWATCH__V1__REQUEST__BODY_HISTORY_EXPORT:
            break;
        default:
            return NULL;
    }
    model_lock (self->model);
    Ofwatch__V1__Reply *reply = NULL;
    if (!self->loaded)
        reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                               "analytics has not read the histories from PostgreSQL yet;"
                               " try again");
    else {
        int today = analytics_today (self);
        view_t view = { self->model, self->reg, self->sheet, today, states_as_of (self, today) };
        reply = answer_locked (self, &view, request);
    }
    model_unlock (self->model);
    return reply;
}
