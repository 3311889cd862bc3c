/*  delivery — one webhook subscription's deliveries, on a thread of its own.

    The thread reads the events after the subscription's cursor from
    store's log (with the subscription's filter), a page at a time, and
    POSTs them one by one in seq order. The cursor moves only on a 2xx,
    and is saved in notify.webhook right then, before the next event, so
    after a crash at most the one event in flight is sent again (the
    receiver drops it by id). A failure is retried after an exponential
    backoff with jitter, capped; the subscription shows as failing after
    WEBHOOK_FAILING_AFTER failures in a row and keeps being retried.

    The thread owns its sockets, its PostgreSQL connection and its HTTP
    handle; the only thing shared with notify's reactor is the `idle` flag,
    by which the reactor wakes a thread that is waiting for the log to
    grow without ever queueing more than one wake-up.
*/

#include "notify.h"
#include "ow_client.h"
#include "ow_log.h"

#include <inttypes.h>
#include <stdatomic.h>

#define PAGE_SIZE          100
#define FETCH_TIMEOUT_MS   2000      // a stop request waits at most this
#define IDLE_POLL_MS       1000      // looks at the log this often unwoken
#define LOG_RETRY_MS       1000      // after the log did not answer
#define SAVE_RETRY_MS      1000      // after PostgreSQL did not take the cursor

struct _delivery_t {
    uint64_t id;
    zactor_t *actor;
    atomic_bool idle;                // the thread waits for the log to grow
};

//  The thread's own state.
typedef struct {
    webhook_spec_t *spec;
    webhook_settings_t settings;
    atomic_bool *idle;
    char id_text [24];
    zsock_t *pipe;
    bool stop;
    ow_client_t *log;
    ow_db_t *db;
    http_post_t *http;
    Ofwatch__V1__EventsPage *page;   // fetched, not all delivered
    size_t next;                     // the page's next event to deliver
    uint64_t saved_cursor;           // as notify.webhook has it
    uint64_t unsaved_delivered;      // delivered since the last save
    int64_t attempt_at;              // monotonic ms: no attempt before
    int64_t save_at;                 // monotonic ms: retry a failed save
} worker_t;

//  ---- the log --------------------------------------------------------------

//  Fetches the next page after the cursor. False when the log did not
//  answer (logged once per outage by the caller's backoff).
static bool
fetch (worker_t *self)
{
    Ofwatch__V1__EventsAfter query = OFWATCH__V1__EVENTS_AFTER__INIT;
    query.after_seq = self->spec->cursor;
    query.limit = PAGE_SIZE;
    query.filter = self->spec->filter;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    request.events_after = &query;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (self->log, &request, FETCH_TIMEOUT_MS, &error);
    bool ok = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_EVENTS;
    if (ok) {
        self->page = reply->events;
        reply->events = NULL;
        reply->body_case = OFWATCH__V1__REPLY__BODY__NOT_SET;
        self->next = 0;
    }
    else
        ow_debug ("webhook cannot read the log; will retry", "webhook", self->id_text,
                  "reason", error ? error : ow_client_error_message (reply));
    free (error);
    ow_pb_free (&reply);
    return ok;
}

//  ---- the cursor -----------------------------------------------------------

static void
save_progress (worker_t *self)
{
    if (self->spec->cursor == self->saved_cursor && self->unsaved_delivered == 0)
        return;
    if (webhook_table_save_progress (self->db, self->spec->id, self->spec->cursor,
                                     self->unsaved_delivered)) {
        self->saved_cursor = self->spec->cursor;
        self->unsaved_delivered = 0;
        self->save_at = 0;
    }
    else
        self->save_at = zclock_mono () + SAVE_RETRY_MS;
}

//  A page is done: a short page means nothing more after it matched up to
//  the log's end as of the fetch, so the cursor may pass over to there.
//  Such a jump delivered nothing and is saved with the next delivery or
//  within IDLE_POLL_MS.
static void
finish_page (worker_t *self)
{
    Ofwatch__V1__EventsPage *page = self->page;
    if (page->n_events < PAGE_SIZE && page->last_seq > self->spec->cursor)
        self->spec->cursor = page->last_seq;
    ow_pb_free (&self->page);
}

//  ---- one attempt ----------------------------------------------------------

//  The wait before attempt number `failures` + 1: the base doubled per
//  failure, capped, then jittered down to between half and all of it,
//  so that subscriptions failing together do not retry together.
static int64_t
backoff_ms (const worker_t *self)
{
    int64_t delay = self->settings.backoff_ms;
    for (uint32_t i = 1; i < self->spec->failures && delay < self->settings.backoff_max_ms; i++)
        delay *= 2;
    if (delay > self->settings.backoff_max_ms)
        delay = self->settings.backoff_max_ms;
    return delay / 2 + (int64_t) (randof ((int) (delay / 2) + 1));
}

static void
count (worker_t *self, const char *outcome)
{
    char labels [48];
    snprintf (labels, sizeof labels, "outcome=\"%s\"", outcome);
    ow_metrics_count (self->settings.metrics, "ofwatch_webhook_deliveries_total", labels, 1);
}

static void
succeeded (worker_t *self, uint64_t seq)
{
    if (self->spec->failures > 0)
        ow_info ("webhook delivering again", "webhook", self->id_text);
    self->spec->failures = 0;
    self->spec->cursor = seq;
    self->unsaved_delivered++;
    self->next++;
    count (self, "ok");
    save_progress (self);
}

static void
failed (worker_t *self, const char *error)
{
    self->spec->failures++;
    count (self, "failed");
    ow_debug ("webhook delivery failed; will retry", "webhook", self->id_text, "reason", error);
    if (self->spec->failures == WEBHOOK_FAILING_AFTER)
        ow_warn ("webhook failing; retrying until it answers", "webhook", self->id_text,
                 "reason", error);
    webhook_table_save_failure (self->db, self->spec->id, self->spec->failures, error);
    self->attempt_at = zclock_mono () + backoff_ms (self);
}

static void
deliver (worker_t *self, const Ofwatch__V1__Event *event)
{
    char *body = cloudevent_body (event);
    size_t size = strlen (body);
    char *signature = cloudevent_signature_header (self->spec->secret, body, size);
    const char *headers [] = { "Content-Type: application/cloudevents+json", signature, NULL };
    char error [CURL_ERROR_SIZE + 64];
    int64_t started = zclock_usecs ();
    bool ok = http_post (self->http, self->spec->url, headers, body, size, self->pipe,
                         &self->stop, error, sizeof error);
    ow_metrics_observe (self->settings.metrics, "ofwatch_webhook_post_seconds", NULL,
                        (double) (zclock_usecs () - started) / 1e6);
    free (signature);
    free (body);
    if (ok)
        succeeded (self, event->seq);
    else if (!self->stop)
        failed (self, error);
}

//  ---- the thread -----------------------------------------------------------

//  Waits up to timeout_ms for the pipe: "$TERM" stops, a wake-up ends the
//  wait early.
static void
wait_pipe (worker_t *self, int64_t timeout_ms)
{
    if (timeout_ms <= 0)
        return;
    zpoller_t *poller = zpoller_new (self->pipe, NULL);
    if (zpoller_wait (poller, (int) timeout_ms)) {
        char *message = zstr_recv (self->pipe);
        self->stop = !message || streq (message, "$TERM");
        zstr_free (&message);
    }
    else if (zpoller_terminated (poller))
        self->stop = true;
    zpoller_destroy (&poller);
}

//  One step: deliver the next event, or fetch a page, or wait.
static void
step (worker_t *self)
{
    int64_t now = zclock_mono ();
    if (self->save_at && now >= self->save_at)
        save_progress (self);
    if (now < self->attempt_at) {
        wait_pipe (self, self->attempt_at - now);
        return;
    }
    if (self->page && self->next < self->page->n_events) {
        deliver (self, self->page->events [self->next]);
        return;
    }
    if (self->page)
        finish_page (self);
    //  Idle before the fetch: an event committed after it wakes us.
    atomic_store (self->idle, true);
    if (!fetch (self)) {
        self->attempt_at = now + LOG_RETRY_MS;
        return;
    }
    if (self->page->n_events > 0) {
        atomic_store (self->idle, false);
        return;
    }
    finish_page (self);
    save_progress (self);
    wait_pipe (self, IDLE_POLL_MS);
}

static void
worker_run (zsock_t *pipe, void *argument)
{
    worker_t *self = argument;
    self->pipe = pipe;
    snprintf (self->id_text, sizeof self->id_text, "%" PRIu64, self->spec->id);
    self->log = ow_client_new (self->settings.store, "store");
    self->db = ow_db_new (self->settings.pg, "notify webhook");
    //  Losing the last cursor writes to a PostgreSQL crash only repeats
    //  deliveries, which receivers drop by id; not waiting for the disk
    //  keeps a delivery from waiting for it.
    ow_db_on_connect (self->db, "SET synchronous_commit = off");
    webhook_table_prepare (self->db);
    self->http = http_post_new ();
    self->saved_cursor = self->spec->cursor;
    zsock_signal (pipe, 0);
    ow_debug ("webhook delivering", "webhook", self->id_text);

    while (!self->stop)
        step (self);

    save_progress (self);
    ow_pb_free (&self->page);
    http_post_destroy (&self->http);
    ow_db_destroy (&self->db);
    ow_client_destroy (&self->log);
    webhook_spec_free (&self->spec);
    free (self);
}

//  ---- the reactor's handle -------------------------------------------------

static webhook_spec_t *
spec_copy (const webhook_spec_t *spec)
{
    webhook_spec_t *copy = ow_calloc (1, sizeof *copy);
    *copy = *spec;
    copy->url = ow_strdup (spec->url);
    copy->secret = ow_strdup (spec->secret);
    copy->filter = spec->filter ? ow_pb_copy (&spec->filter->base) : NULL;
    return copy;
}

delivery_t *
delivery_new (const webhook_spec_t *spec, const webhook_settings_t *settings)
{
    delivery_t *self = ow_calloc (1, sizeof *self);
    self->id = spec->id;
    atomic_init (&self->idle, false);
    worker_t *worker = ow_calloc (1, sizeof *worker);
    worker->spec = spec_copy (spec);
    worker->settings = *settings;
    worker->idle = &self->idle;
    //  The failures so far count towards the backoff: a restart does not
    //  hammer an endpoint that was failing.
    if (spec->failures > 0)
        worker->attempt_at = zclock_mono () + backoff_ms (worker);
    self->actor = zactor_new (worker_run, worker);
    assert (self->actor);
    return self;
}

void
delivery_destroy (delivery_t **self_p)
{
    delivery_t *self = *self_p;
    if (self) {
        zactor_destroy (&self->actor);
        free (self);
        *self_p = NULL;
    }
}

uint64_t
delivery_id (const delivery_t *self)
{
    return self->id;
}

void
delivery_wake (delivery_t *self)
{
    if (atomic_exchange (&self->idle, false))
        zstr_send (self->actor, "WAKE");
}
