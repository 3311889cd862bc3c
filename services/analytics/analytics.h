/*  analytics — what the histories mean, derived from the event log.

    Follows store's log (ow_follower), keeps every authority's history in
    memory (model.h), reloading an authority from PostgreSQL (read-only)
    when the log says something about it was stored, derives from the
    model, and answers queries
    from memory on its ROUTER and on its HTTP server (views.h). What it
    derives (grade changes, recurring themes, deadlines approaching and
    passed, overdue visits) goes back through store, each derived event
    with a dedupe key naming its cause and committed together with
    analytics' cursor: a restart derives nothing twice.

    Time-dependent events are computed against a clock: OFWATCH_CLOCK
    (YYYY-MM-DD) when set, so tests can stand on any day, else today (UTC).
*/
#ifndef ANALYTICS_H
#define ANALYTICS_H

#include "ow_calls.h"
#include "ow_client.h"
#include "ow_config.h"
#include "ow_db.h"
#include "ow_follower.h"
#include "ow_leader.h"
#include "ow_metrics.h"
#include "ow_pb.h"
#include "ow_register.h"
#include "keyset.h"
#include "model.h"
#include "status_log.h"
#include "views.h"

//  Authorities whose histories changed since the last flush.
#define ANALYTICS_MAX_PENDING 256
#define ANALYTICS_HTTP_PORT_DEFAULT 7180

typedef struct _analytics_http_t analytics_http_t;

typedef struct {
    ow_config_t config;
    ow_register_t *reg;
    sheet_register_t *sheet;
    ow_db_t *db;                    // read-only (OFWATCH_PG_READ)
    ow_leader_t *leader;            // whether this replica derives (ow_leader.h)
    ow_client_t *store;             // the log's name and endpoint; the last commit
    ow_calls_t *calls;              // commits, answered on the reactor
    status_log_t *status_log;       // reads the log's status changes once (status_log.h)
    ow_follower_t *follower;
    ow_metrics_t *metrics;
    model_t *model;
    analytics_http_t *http;
    int clock;                      // OFWATCH_CLOCK as a day, or OW_DATE_NONE: today
    int http_port;                  // OFWATCH_HTTP_PORT; 0: no HTTP server
    bool loaded;                    // the model has been read whole once
    bool derive_all;                // derive for every authority at the next flush
    int derived_day;                // the day time-dependent events were derived for
    int64_t derived_at;             // monotonic ms of the last derivation
    uint64_t derived_through;       // the log's seq everything is derived from
    char *pending [ANALYTICS_MAX_PENDING];
    size_t n_pending;
    //  Authorities whose overdue visit waits for their history to stop
    //  moving (main.c says why), and when a fact of each was last heard
    //  (code -> int64_t monotonic ms).
    char *timed [ANALYTICS_MAX_PENDING];
    size_t n_timed;
    zhashx_t *heard;
    uint64_t flushed_cursor;
    //  Derived events waiting for the next flush, and their keys; the
    //  keys of those already committed to the log (keyset.h says why).
    Ofwatch__V1__DeriveRequest *derived;
    Ofwatch__V1__DeriveRequest *sending;    // on its way to store
    int64_t commit_at;              // monotonic ms: no commit before (after a failure)
    bool commit_failing;            // the last commit failed (said once)
    keyset_t *waiting_keys;
    keyset_t *committed_keys;
    //  Every authority's state, kept for the queries (answer.c) while the
    //  model and the day stay the same; guarded by the model's lock.
    state_t *states;
    uint64_t states_generation;
    int states_day;
} analytics_t;

//  main.c: the clock's day.
int analytics_today (const analytics_t *self);

//  Whether a derived event's key is already waiting or committed.
bool analytics_known (analytics_t *self, const char *dedupe_key);

//  Adds a derived event to the next flush; takes ownership of event. An
//  event whose key is already waiting or committed is dropped.
void analytics_emit (analytics_t *self, const char *dedupe_key, Ofwatch__V1__Event *event);

//  derive.c: a new event with an empty payload.
Ofwatch__V1__Event *analytics_event_new (Ofwatch__V1__EventType type, const char *authority,
                                         const char *occurred_on);

//  main.c: the authority's status changes, from store's log and the
//  derived events waiting to be committed (status_log.h); *marks is the
//  caller's to free. False when the log could not be read.
bool analytics_status_marks (analytics_t *self, const char *authority,
                             analytics_mark_t **marks, size_t *count);

//  grades.c: judgement.changed and status.changed for one authority.
void analytics_derive_grades (analytics_t *self, const model_history_t *history);

//  derive.c: theme.recurring, and deadline.approaching, deadline.passed
//  and visit.overdue against the clock's day (analytics_derive_time: the
//  last three). An overdue visit is raised only from a settled history:
//  with `settled` false, one that would be raised is not, and false is
//  returned (main.c asks again once the authority's history has stopped
//  moving).
void analytics_derive_themes (analytics_t *self, const model_history_t *history);
void analytics_derive_deadlines (analytics_t *self, const model_history_t *history, int today);
bool analytics_derive_overdue (analytics_t *self, const model_history_t *history, int today,
                               bool settled);
void analytics_derive_time (analytics_t *self, const model_history_t *history, int today);

//  answer.c: every query but health, from the model. Safe to call from
//  the HTTP thread: it only reads, under the model's lock. NULL for a
//  body analytics does not serve.
Ofwatch__V1__Reply *analytics_answer (analytics_t *self, const Ofwatch__V1__Request *request);

//  http.c: pages and /api/ JSON on port (NULL when 0, or logged when the
//  port cannot be bound).
analytics_http_t *analytics_http_new (analytics_t *analytics, int port);
void analytics_http_destroy (analytics_http_t **self_p);

#endif
