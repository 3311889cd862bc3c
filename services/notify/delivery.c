/*  delivery — every webhook subscription's deliveries, on one thread.

    For each subscription the engine reads the events after its cursor
    from store's log (with its filter), a page at a time, and POSTs them
    one by one in seq order. The cursor moves only on a 2xx, and is saved
    in notify.webhook before that subscription's next POST, so after a
    crash at most the one event in flight is sent again (the receiver
    drops it by id). A failure is retried after an exponential backoff
    with jitter, capped; the subscription shows as failing after
    WEBHOOK_FAILING_AFTER failures in a row and keeps being retried.

    Whatever the number of subscriptions, the engine holds one thread, one
    PostgreSQL connection (cursors are saved for all the subscriptions
    that moved in one statement), one socket to store (pages are asked
    for without waiting, matched by request id) and one libcurl multi
    handle, on which up to POSTS_MAX POSTs run at once, each with its own
    timeout: a slow or dead receiver holds one of those slots for at most
    its timeout and delays no other subscription. So nothing a subscriber
    does can take store's or PostgreSQL's connections, and notify's
    descriptors grow with the POSTs in flight, not with the subscriptions.

    The reactor talks to the engine over its pipe (ADD, REMOVE, WAKE) and
    wakes its poll with curl_multi_wakeup, which libcurl allows from any
    thread.
*/

#include "notify.h"
#include "ow_client.h"
#include "ow_log.h"
#include "ow_wire.h"

#include <inttypes.h>
#include <stdatomic.h>

#define PAGE_SIZE          100
#define FETCH_TIMEOUT_MS   5000
#define FETCHES_MAX        16        // pages asked of store at once
#define POSTS_MAX          64        // POSTs in flight at once
//  An idle subscription looks at the log this often unwoken: the reactor
//  wakes every idle one when events are published, so this only covers
//  a wake-up lost to a race.
#define IDLE_POLL_MS       5000
#define LOG_RETRY_MS       1000      // after the log did not answer
#define SAVE_RETRY_MS      1000      // after PostgreSQL did not take the cursors
#define POLL_MAX_MS        1000

//  One subscription.
typedef struct {
    webhook_spec_t *spec;
    char id_text [24];
    Ofwatch__V1__EventsPage *page;   // fetched, not all delivered
    size_t next;                     // the page's next event to deliver
    uint64_t fetch_id;               // the page asked for, 0 when none
    int64_t fetch_deadline;
    CURL *easy;                      // kept between POSTs: its connection too
    bool posting;                    // easy is on the multi handle
    struct curl_slist *headers;
    char *body;
    uint64_t post_seq;
    int64_t post_started;            // zclock_usecs
    char detail [CURL_ERROR_SIZE];
    const char *refusal;             // why a connection was refused (webhook_url)
    int64_t attempt_at;              // monotonic ms: no attempt before
    bool idle;                       // the last page was empty
    int64_t poll_at;                 // idle: the log is looked at again then
    uint64_t saved_cursor;           // as notify.webhook has it
    uint64_t unsaved_delivered;      // delivered since the last save
} sub_t;

struct _deliveries_t {
    zactor_t *actor;
    CURLM *multi;                    // the engine's; shared only for curl_multi_wakeup
    atomic_bool idle;                // some subscription waits for the log to grow
};

//  The engine thread's state.
typedef struct {
    webhook_settings_t settings;
    zsock_t *pipe;
    CURLM *multi;
    atomic_bool *idle;
    bool stop;
    ow_client_t *log;                // store: its DEALER, its ids
    ow_db_t *db;
    zlistx_t *subs;                  // sub_t
    size_t fetching, posting;
    int64_t save_at;                 // monotonic ms: retry a failed save
} engine_t;

// ---------------------------------------------------------------------------
//  Subscriptions

static void
sub_stop_post (engine_t *self, sub_t *sub)
{
    if (sub->posting) {
        curl_multi_remove_handle (self->multi, sub->easy);
        sub->posting = false;
        self->posting--;
    }
    curl_slist_free_all (sub->headers);
    sub->headers = NULL;
    free (sub->body);
    sub->body = NULL;
}

static void
sub_destroy (engine_t *self, sub_t **sub_p)
{
    sub_t *sub = *sub_p;
    if (sub) {
        sub_stop_post (self, sub);
        if (sub->fetch_id)
            self->fetching--;
        curl_easy_cleanup (sub->easy);
        ow_pb_free (&sub->page);
        webhook_spec_free (&sub->spec);
        free (sub);
        *sub_p = NULL;
    }
}

//  The wait before attempt number `failures` + 1: the base doubled per
//  failure, capped, then jittered down to between half and all of it,
//  so that subscriptions failing together do not retry together.
static int64_t
backoff_ms (const engine_t *self, uint32_t failures)
{
    int64_t delay = self->settings.backoff_ms;
    for (uint32_t i = 1; i < failures && delay < self->settings.backoff_max_ms; i++)
        delay *= 2;
    if (delay > self->settings.backoff_max_ms)
        delay = self->settings.backoff_max_ms;
    return delay / 2 + (int64_t) (randof ((int) (delay / 2) + 1));
}

static void
sub_add (engine_t *self, webhook_spec_t *spec)
{
    sub_t *sub = ow_calloc (1, sizeof *sub);
    sub->spec = spec;
    snprintf (sub->id_text, sizeof sub->id_text, "%" PRIu64, spec->id);
    sub->easy = curl_easy_init ();
    assert (sub->easy);
    sub->saved_cursor = spec->cursor;
    //  The failures so far count towards the backoff: a restart does not
    //  hammer an endpoint that was failing.
    if (spec->failures > 0)
        sub->attempt_at = zclock_mono () + backoff_ms (self, spec->failures);
    zlistx_add_end (self->subs, sub);
    ow_debug ("webhook delivering", "webhook", sub->id_text);
}

static sub_t *
sub_find (engine_t *self, uint64_t id)
{
    for (sub_t *sub = zlistx_first (self->subs); sub; sub = zlistx_next (self->subs))
        if (sub->spec->id == id)
            return sub;
    return NULL;
}

// ---------------------------------------------------------------------------
//  The cursors, saved together

static bool
dirty (const sub_t *sub)
{
    return sub->spec->cursor != sub->saved_cursor || sub->unsaved_delivered;
}

static void
save_progress (engine_t *self, bool now)
{
    if (!now && zclock_mono () < self->save_at)
        return;
    zlistx_t *moved = zlistx_new ();
    for (sub_t *sub = zlistx_first (self->subs); sub; sub = zlistx_next (self->subs))
        if (dirty (sub))
            zlistx_add_end (moved, sub);
    size_t count = zlistx_size (moved);
    if (count) {
        uint64_t *ids = ow_calloc (count, sizeof *ids);
        uint64_t *cursors = ow_calloc (count, sizeof *cursors);
        uint64_t *delivered = ow_calloc (count, sizeof *delivered);
        size_t i = 0;
        for (sub_t *sub = zlistx_first (moved); sub; sub = zlistx_next (moved), i++) {
            ids [i] = sub->spec->id;
            cursors [i] = sub->spec->cursor;
            delivered [i] = sub->unsaved_delivered;
        }
        if (webhook_table_save_progress (self->db, ids, cursors, delivered, count)) {
            for (sub_t *sub = zlistx_first (moved); sub; sub = zlistx_next (moved)) {
                sub->saved_cursor = sub->spec->cursor;
                sub->unsaved_delivered = 0;
            }
            self->save_at = 0;
        }
        else
            self->save_at = zclock_mono () + SAVE_RETRY_MS;
        free (ids);
        free (cursors);
        free (delivered);
    }
    zlistx_destroy (&moved);
}

// ---------------------------------------------------------------------------
//  The log

static void
fetch (engine_t *self, sub_t *sub)
{
    Ofwatch__V1__EventsAfter query = OFWATCH__V1__EVENTS_AFTER__INIT;
    query.after_seq = sub->spec->cursor;
    query.limit = PAGE_SIZE;
    query.filter = sub->spec->filter;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    request.events_after = &query;
    char *error = NULL;
    if (ow_client_send (self->log, &request, &error)) {
        sub->fetch_id = request.request_id;
        sub->fetch_deadline = zclock_mono () + FETCH_TIMEOUT_MS;
        self->fetching++;
    }
    else {
        ow_debug ("webhook cannot ask for the log; will retry", "webhook", sub->id_text,
                  "reason", error);
        sub->attempt_at = zclock_mono () + LOG_RETRY_MS;
    }
    free (error);
}

//  A page is done: a short page means nothing more after it matched up to
//  the log's end as of the fetch, so the cursor may pass over to there.
//  Such a jump delivered nothing and is saved with the next save.
static void
finish_page (sub_t *sub)
{
    Ofwatch__V1__EventsPage *page = sub->page;
    if (page->n_events < PAGE_SIZE && page->last_seq > sub->spec->cursor)
        sub->spec->cursor = page->last_seq;
    ow_pb_free (&sub->page);
}

static void
fetched (engine_t *self, sub_t *sub, Ofwatch__V1__Reply *reply)
{
    sub->fetch_id = 0;
    self->fetching--;
    if (reply && reply->body_case == OFWATCH__V1__REPLY__BODY_EVENTS) {
        sub->page = reply->events;
        reply->events = NULL;
        reply->body_case = OFWATCH__V1__REPLY__BODY__NOT_SET;
        sub->next = 0;
        sub->idle = sub->page->n_events == 0;
        if (sub->idle) {
            finish_page (sub);
            sub->poll_at = zclock_mono () + IDLE_POLL_MS;
            atomic_store (self->idle, true);
        }
    }
    else {
        ow_debug ("webhook cannot read the log; will retry", "webhook", sub->id_text,
                  "reason", reply ? ow_client_error_message (reply) : "no answer in time");
        sub->attempt_at = zclock_mono () + LOG_RETRY_MS;
    }
}

//  Store's pages, matched to the subscriptions waiting for them.
static void
read_log (engine_t *self)
{
    zsock_t *socket = ow_client_socket (self->log);
    while (zsock_events (socket) & ZMQ_POLLIN) {
        zframe_t *frame = zframe_recv_nowait (socket);
        if (!frame)
            break;
        Ofwatch__V1__Reply *reply = ow_wire_unpack_reply (frame);
        zframe_destroy (&frame);
        sub_t *sub = zlistx_first (self->subs);
        while (sub && !(reply && sub->fetch_id && sub->fetch_id == reply->request_id))
            sub = zlistx_next (self->subs);
        if (sub)
            fetched (self, sub, reply);
        ow_pb_free (&reply);            // late, or for a subscription removed since
    }
    int64_t now = zclock_mono ();
    for (sub_t *sub = zlistx_first (self->subs); sub; sub = zlistx_next (self->subs))
        if (sub->fetch_id && now >= sub->fetch_deadline)
            fetched (self, sub, NULL);
}

// ---------------------------------------------------------------------------
//  POSTs

static void
count (engine_t *self, const char *outcome)
{
    char labels [48];
    snprintf (labels, sizeof labels, "outcome=\"%s\"", outcome);
    ow_metrics_count (self->settings.metrics, "ofwatch_webhook_deliveries_total", labels, 1);
}

static void
post (engine_t *self, sub_t *sub)
{
    const Ofwatch__V1__Event *event = sub->page->events [sub->next];
    sub->body = cloudevent_body (event);
    size_t size = strlen (sub->body);
    char *signature = cloudevent_signature_header (sub->spec->secret, sub->body, size);
    sub->headers = curl_slist_append (NULL, "Content-Type: application/cloudevents+json");
    sub->headers = curl_slist_append (sub->headers, signature);
    //  No "Expect: 100-continue" pause before the body.
    sub->headers = curl_slist_append (sub->headers, "Expect:");
    free (signature);
    http_post_prepare (sub->easy, sub->spec->url, sub->headers, sub->body, size, sub->detail,
                       &sub->refusal);
    curl_easy_setopt (sub->easy, CURLOPT_PRIVATE, sub);
    sub->post_seq = event->seq;
    sub->post_started = zclock_usecs ();
    curl_multi_add_handle (self->multi, sub->easy);
    sub->posting = true;
    self->posting++;
}

static void
succeeded (engine_t *self, sub_t *sub)
{
    if (sub->spec->failures > 0)
        ow_info ("webhook delivering again", "webhook", sub->id_text);
    sub->spec->failures = 0;
    sub->spec->cursor = sub->post_seq;
    sub->unsaved_delivered++;
    sub->next++;
    count (self, "ok");
}

static void
failed (engine_t *self, sub_t *sub, const char *error)
{
    sub->spec->failures++;
    count (self, "failed");
    ow_debug ("webhook delivery failed; will retry", "webhook", sub->id_text, "reason", error);
    if (sub->spec->failures == WEBHOOK_FAILING_AFTER)
        ow_warn ("webhook failing; retrying until it answers", "webhook", sub->id_text,
                 "reason", error);
    webhook_table_save_failure (self->db, sub->spec->id, sub->spec->failures, error);
    sub->attempt_at = zclock_mono () + backoff_ms (self, sub->spec->failures);
}

//  The POSTs that have finished.
static void
read_posts (engine_t *self)
{
    CURLMsg *message;
    int left = 0;
    while ((message = curl_multi_info_read (self->multi, &left)) != NULL) {
        if (message->msg != CURLMSG_DONE)
            continue;
        sub_t *sub = NULL;
        curl_easy_getinfo (message->easy_handle, CURLINFO_PRIVATE, (char **) &sub);
        assert (sub && sub->posting);
        CURLcode code = message->data.result;
        char error [CURL_ERROR_SIZE + 64];
        bool ok = http_post_outcome (sub->easy, code, sub->detail, sub->refusal, error,
                                     sizeof error);
        ow_metrics_observe (self->settings.metrics, "ofwatch_webhook_post_seconds", NULL,
                            (double) (zclock_usecs () - sub->post_started) / 1e6);
        sub_stop_post (self, sub);
        if (ok)
            succeeded (self, sub);
        else
            failed (self, sub, error);
    }
}

// ---------------------------------------------------------------------------
//  The engine

//  Starts what each subscription may do next: a POST, or a page. A
//  subscription whose last delivery is not saved yet waits for the save.
static void
schedule (engine_t *self)
{
    int64_t now = zclock_mono ();
    for (sub_t *sub = zlistx_first (self->subs); sub; sub = zlistx_next (self->subs)) {
        if (sub->posting || sub->fetch_id || now < sub->attempt_at)
            continue;
        //  Saved before it goes on, even while PostgreSQL refuses saves:
        //  this replica may lose the lead meanwhile, and its successor
        //  starts from the saved cursor, so at most one event is repeated.
        if (sub->unsaved_delivered)
            continue;
        if (sub->page && sub->next < sub->page->n_events) {
            if (self->posting < POSTS_MAX)
                post (self, sub);
            continue;
        }
        if (sub->page)
            finish_page (sub);
        if ((!sub->idle || now >= sub->poll_at) && self->fetching < FETCHES_MAX)
            fetch (self, sub);
    }
}

//  How long the engine may sleep: until the next attempt, idle poll,
//  page deadline or save retry, at most POLL_MAX_MS.
static int
sleep_ms (engine_t *self)
{
    int64_t now = zclock_mono (), until = now + POLL_MAX_MS;
    for (sub_t *sub = zlistx_first (self->subs); sub; sub = zlistx_next (self->subs)) {
        if (sub->fetch_id && sub->fetch_deadline < until)
            until = sub->fetch_deadline;
        if (sub->posting || sub->fetch_id)
            continue;
        int64_t due = sub->attempt_at > now ? sub->attempt_at
                    : sub->idle && !sub->page ? sub->poll_at : now;
        if (due < until)
            until = due;
    }
    if (self->save_at && self->save_at < until)
        until = self->save_at;
    return until > now ? (int) (until - now) : 0;
}

//  Commands from the reactor: ADD spec, REMOVE id (answered with a
//  signal once its POST is stopped), WAKE, $TERM.
static void
read_commands (engine_t *self)
{
    while (!self->stop && (zsock_events (self->pipe) & ZMQ_POLLIN)) {
        char *command = NULL;
        void *pointer = NULL;
        uint64_t id = 0;
        if (zsock_recv (self->pipe, "sp8", &command, &pointer, &id) != 0 || !command
            || streq (command, "$TERM"))
            self->stop = true;
        else
        if (streq (command, "ADD"))
            sub_add (self, pointer);
        else
        if (streq (command, "REMOVE")) {
            sub_t *sub = sub_find (self, id);
            if (sub) {
                sub_stop_post (self, sub);
                save_progress (self, true);
                zlistx_detach (self->subs, zlistx_find (self->subs, sub));
                sub_destroy (self, &sub);
            }
            zsock_signal (self->pipe, 0);
        }
        else
        if (streq (command, "WAKE")) {
            for (sub_t *sub = zlistx_first (self->subs); sub; sub = zlistx_next (self->subs))
                if (sub->idle)
                    sub->poll_at = 0;
        }
        zstr_free (&command);
    }
}

static void
engine_run (zsock_t *pipe, void *argument)
{
    engine_t *self = argument;
    self->pipe = pipe;
    self->log = ow_client_new (self->settings.store, "store");
    self->db = ow_db_new (self->settings.pg, "notify webhooks");
    //  Losing the last cursor writes to a PostgreSQL crash only repeats
    //  deliveries, which receivers drop by id; not waiting for the disk
    //  keeps a delivery from waiting for it.
    ow_db_on_connect (self->db, "SET synchronous_commit = off");
    webhook_table_prepare (self->db);
    self->subs = zlistx_new ();
    zsock_signal (pipe, 0);

    zsock_t *log = ow_client_socket (self->log);
    struct curl_waitfd waits [2] = {
        { .fd = zsock_fd (pipe), .events = CURL_WAIT_POLLIN },
        { .fd = zsock_fd (log), .events = CURL_WAIT_POLLIN },
    };
    while (!self->stop) {
        read_commands (self);
        if (self->stop)
            break;
        read_log (self);
        read_posts (self);
        save_progress (self, false);
        schedule (self);
        int running = 0;
        curl_multi_perform (self->multi, &running);
        read_posts (self);
        //  ZeroMQ's descriptors say only that something may have changed,
        //  and sending may take that news: look before sleeping.
        bool ready = (zsock_events (pipe) & ZMQ_POLLIN) || (zsock_events (log) & ZMQ_POLLIN);
        curl_multi_poll (self->multi, waits, 2, ready ? 0 : sleep_ms (self), NULL);
        curl_multi_perform (self->multi, &running);
    }

    sub_t *sub;
    for (sub = zlistx_first (self->subs); sub; sub = zlistx_next (self->subs))
        sub_stop_post (self, sub);
    save_progress (self, true);
    while ((sub = zlistx_first (self->subs)) != NULL) {
        zlistx_detach_cur (self->subs);
        sub_destroy (self, &sub);
    }
    zlistx_destroy (&self->subs);
    ow_db_destroy (&self->db);
    ow_client_destroy (&self->log);
    free (self);
}

// ---------------------------------------------------------------------------
//  The reactor's handle

deliveries_t *
deliveries_new (const webhook_settings_t *settings)
{
    deliveries_t *self = ow_calloc (1, sizeof *self);
    atomic_init (&self->idle, false);
    self->multi = curl_multi_init ();
    assert (self->multi);
    curl_multi_setopt (self->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long) POSTS_MAX);
    curl_multi_setopt (self->multi, CURLMOPT_MAXCONNECTS, (long) POSTS_MAX);
    engine_t *engine = ow_calloc (1, sizeof *engine);
    engine->settings = *settings;
    engine->multi = self->multi;
    engine->idle = &self->idle;
    self->actor = zactor_new (engine_run, engine);
    assert (self->actor);
    return self;
}

void
deliveries_destroy (deliveries_t **self_p)
{
    deliveries_t *self = *self_p;
    if (self) {
        zstr_send (self->actor, "$TERM");
        curl_multi_wakeup (self->multi);
        zactor_destroy (&self->actor);
        curl_multi_cleanup (self->multi);
        free (self);
        *self_p = NULL;
    }
}

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

void
deliveries_start (deliveries_t *self, const webhook_spec_t *spec)
{
    zsock_send (self->actor, "sp8", "ADD", spec_copy (spec), (uint64_t) 0);
    curl_multi_wakeup (self->multi);
}

void
deliveries_stop (deliveries_t *self, uint64_t id)
{
    zsock_send (self->actor, "sp8", "REMOVE", NULL, id);
    curl_multi_wakeup (self->multi);
    zsock_wait (self->actor);
}

void
deliveries_wake (deliveries_t *self)
{
    if (atomic_exchange (&self->idle, false)) {
        zsock_send (self->actor, "sp8", "WAKE", NULL, (uint64_t) 0);
        curl_multi_wakeup (self->multi);
    }
}
