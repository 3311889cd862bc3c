/*  ow_follower — following the event log; see ow_follower.h.

    Invariant: `cursor` is the seq of the last event delivered (or skipped
    by the filter); every event with a greater seq is either still to come
    on the socket or will be fetched by the next catch-up. A live event is
    delivered only when it is the cursor's successor, so nothing is ever
    delivered over a hole.
*/

#include "ow_follower.h"
#include "ow_calls.h"
#include "ow_config.h"
#include "ow_log.h"
#include "ow_security.h"
#include "ow_wire.h"

#define PAGE_SIZE       1000
#define LOG_TIMEOUT_MS  5000
#define RETRY_MS        1000
//  Live events handled in one reactor turn at most, so requests and
//  timers are still served during a long burst.
#define DRAIN_MAX       1000
//  A question to the log unanswered this long is said to be a problem
//  before its timeout ends it.
#define PATIENCE_MS     2000

struct _ow_follower_t {
    ow_client_t *log;            // borrowed: the waiting catch-up
    ow_calls_t *calls;           // the log asked on the reactor, when attached
    char *consumer;              // whose cursor the log keeps, or NULL
    bool started;                // the cursor is known
    bool asking;                 // a request to the log is waiting for its answer
    bool again;                  // a gap seen while asking: catch up once more
    bool stopping;               // being destroyed: answers are dropped
    zsock_t *subscriber;
    uint64_t cursor;
    uint64_t log_last;
    Ofwatch__V1__EventFilter *filter;
    ow_follower_event_fn *on_event;
    ow_follower_flush_fn *on_flush;
    void *context;
    int64_t last_heard;          // monotonic ms of the last live event
    int64_t retry_at;            // no catch-up before this (after a failure)
    char *problem;               // why the log could not be read, NULL while it can
    int64_t asked_at;            // monotonic ms the waiting question was sent
    char waiting [96];           // "store has not answered for N s"
};

static ow_follower_t *
follower_new (ow_client_t *log, const char *events_endpoint, uint64_t cursor,
              const Ofwatch__V1__EventFilter *filter, ow_follower_event_fn *on_event,
              ow_follower_flush_fn *on_flush, void *context)
{
    ow_follower_t *self = ow_calloc (1, sizeof *self);
    self->log = log;
    self->cursor = cursor;
    self->started = true;
    self->on_event = on_event;
    self->on_flush = on_flush;
    self->context = context;
    if (filter)
        self->filter = ow_pb_copy (&filter->base);
    self->subscriber = zsock_new (ZMQ_SUB);
    assert (self->subscriber);
    zsock_set_rcvhwm (self->subscriber, 1000000);
    zsock_set_maxmsgsize (self->subscriber, OW_WIRE_MAX_MESSAGE);
    zsock_set_subscribe (self->subscriber, "");
    ow_security_client (self->subscriber, ow_client_name (log), NULL);
    ow_config_connect (self->subscriber, events_endpoint);
    self->last_heard = zclock_mono ();
    return self;
}

ow_follower_t *
ow_follower_new (ow_client_t *log, const char *events_endpoint, uint64_t cursor,
                 const Ofwatch__V1__EventFilter *filter,
                 ow_follower_event_fn *on_event, ow_follower_flush_fn *on_flush, void *context)
{
    return follower_new (log, events_endpoint, cursor, filter, on_event, on_flush, context);
}

ow_follower_t *
ow_follower_new_consumer (ow_client_t *log, const char *events_endpoint, const char *consumer,
                          ow_follower_event_fn *on_event, ow_follower_flush_fn *on_flush,
                          void *context)
{
    ow_follower_t *self = follower_new (log, events_endpoint, 0, NULL, on_event, on_flush,
                                        context);
    self->consumer = ow_strdup (consumer);
    self->started = false;
    return self;
}

void
ow_follower_destroy (ow_follower_t **self_p)
{
    ow_follower_t *self = *self_p;
    if (self) {
        //  Waiting calls are answered (failed) first, while self is whole.
        self->stopping = true;
        ow_calls_destroy (&self->calls);
        zsock_destroy (&self->subscriber);
        ow_pb_free (&self->filter);
        free (self->consumer);
        free (self->problem);
        free (self);
        *self_p = NULL;
    }
}

static bool
contains_int (const int *values, size_t count, int value)
{
    for (size_t i = 0; i < count; i++)
        if (values [i] == value)
            return true;
    return false;
}

static bool
matches (const ow_follower_t *self, const Ofwatch__V1__Event *event)
{
    const Ofwatch__V1__EventFilter *f = self->filter;
    if (!f)
        return true;
    if (f->n_types && !contains_int ((const int *) f->types, f->n_types, event->type))
        return false;
    if (f->n_themes && !contains_int ((const int *) f->themes, f->n_themes, event->theme))
        return false;
    if (f->n_authorities) {
        bool found = false;
        for (size_t i = 0; i < f->n_authorities && !found; i++)
            found = strcmp (f->authorities [i], event->authority) == 0;
        if (!found)
            return false;
    }
    return true;
}

// ---------------------------------------------------------------------------
//  Reading the log

//  The log could not be read: said once per outage; no catch-up for a
//  while (live events meanwhile would each ask again).
static void
failed (ow_follower_t *self, const char *why)
{
    if (!self->problem || strcmp (self->problem, why) != 0)
        ow_warn ("cannot read the event log; will retry", "log", ow_client_name (self->log),
                 "reason", why);
    free (self->problem);
    self->problem = ow_strdup (why);
    self->retry_at = zclock_mono () + RETRY_MS;
}

static void
recovered (ow_follower_t *self)
{
    if (self->problem)
        ow_info ("reading the event log again", "log", ow_client_name (self->log));
    free (self->problem);
    self->problem = NULL;
}

static void
events_request (ow_follower_t *self, Ofwatch__V1__Request *request,
                Ofwatch__V1__EventsAfter *query)
{
    query->after_seq = self->cursor;
    query->limit = PAGE_SIZE;
    query->filter = self->filter;
    request->body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    request->events_after = query;
}

//  Delivers a page; true when the next page should be asked for at once.
static bool
deliver_page (ow_follower_t *self, const Ofwatch__V1__EventsPage *page)
{
    self->log_last = page->last_seq;
    for (size_t i = 0; i < page->n_events; i++) {
        if (page->events [i]->seq <= self->cursor)
            continue;
        self->cursor = page->events [i]->seq;
        self->on_event (self->context, page->events [i]);
    }
    //  A filtered page may skip over excluded events: the log's end is
    //  then the cursor, once a short page says nothing more matches.
    bool more = page->n_events == PAGE_SIZE;
    if (!more && self->filter && self->cursor < page->last_seq)
        self->cursor = page->last_seq;
    if (self->on_flush)
        self->on_flush (self->context, self->cursor);
    return more;
}

bool
ow_follower_catch_up (ow_follower_t *self)
{
    assert (self->started);
    bool more = true;
    while (more && !zsys_interrupted) {
        Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
        Ofwatch__V1__EventsAfter query = OFWATCH__V1__EVENTS_AFTER__INIT;
        events_request (self, &request, &query);
        char *error = NULL;
        Ofwatch__V1__Reply *reply = ow_client_call (self->log, &request, LOG_TIMEOUT_MS, &error);
        if (!reply || reply->body_case != OFWATCH__V1__REPLY__BODY_EVENTS) {
            failed (self, error ? error : ow_client_error_message (reply));
            free (error);
            ow_pb_free (&reply);
            return false;
        }
        recovered (self);
        more = deliver_page (self, reply->events);
        ow_pb_free (&reply);
    }
    return true;
}

static void ask (ow_follower_t *self);

//  The answer to a catch-up or cursor request, on the reactor.
static void
on_answer (void *context, void *argument, Ofwatch__V1__Reply *reply)
{
    ow_follower_t *self = context;
    self->asking = false;
    if (self->stopping) {
        ow_pb_free (&reply);
        return;
    }
    bool more = false;
    if (!self->started) {
        if (reply->body_case == OFWATCH__V1__REPLY__BODY_CURSOR) {
            self->cursor = reply->cursor->cursor;
            self->started = true;
            recovered (self);
            more = true;
        }
        else
            failed (self, ow_client_error_message (reply) ? ow_client_error_message (reply)
                                                          : "an unexpected answer");
    }
    else
    if (reply->body_case == OFWATCH__V1__REPLY__BODY_EVENTS) {
        recovered (self);
        more = deliver_page (self, reply->events);
    }
    else
        failed (self, ow_client_error_message (reply) ? ow_client_error_message (reply)
                                                      : "an unexpected answer");
    ow_pb_free (&reply);
    if (more || (self->again && zclock_mono () >= self->retry_at))
        ask (self);
}

//  Asks the log for what comes next (the cursor, or the page after it),
//  unless a question is already waiting: then once more after it.
static void
ask (ow_follower_t *self)
{
    assert (self->calls);
    if (self->asking) {
        self->again = true;
        return;
    }
    self->again = false;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    Ofwatch__V1__EventsAfter query = OFWATCH__V1__EVENTS_AFTER__INIT;
    Ofwatch__V1__CursorQuery cursor = OFWATCH__V1__CURSOR_QUERY__INIT;
    if (self->started)
        events_request (self, &request, &query);
    else {
        cursor.consumer = self->consumer;
        request.body_case = OFWATCH__V1__REQUEST__BODY_CURSOR;
        request.cursor = &cursor;
    }
    char *error = NULL;
    if (ow_calls_send (self->calls, &request, LOG_TIMEOUT_MS, on_answer, self, NULL, &error)) {
        self->asking = true;
        self->asked_at = zclock_mono ();
    }
    else
        failed (self, error);
    free (error);
}

// ---------------------------------------------------------------------------
//  Live events

//  Delivers one live event if it is the cursor's successor; true when the
//  cursor moved.
static bool
receive_one (ow_follower_t *self)
{
    Ofwatch__V1__Event *event = ow_wire_receive_event (self->subscriber);
    if (!event)
        return false;
    self->last_heard = zclock_mono ();
    uint64_t before = self->cursor;
    //  A gap: something was missed (before this socket joined, or dropped
    //  by a full queue). The catch-up fetches it and, since the log is
    //  read after this event was committed, this event too; until then
    //  the event is not delivered over the hole. A filtered follower still
    //  sees every seq on the socket, so a gap is a gap for it too.
    if (!self->started)
        ;                               // the cursor's answer starts a catch-up
    else
    if (event->seq > self->cursor + 1) {
        if (self->calls)
            ask (self);
        else
        if (zclock_mono () >= self->retry_at)
            ow_follower_catch_up (self);
    }
    if (self->started && event->seq == self->cursor + 1) {
        self->cursor = event->seq;
        if (matches (self, event))
            self->on_event (self->context, event);
    }
    ow_pb_free (&event);
    return self->cursor != before;
}

void
ow_follower_receive (ow_follower_t *self)
{
    //  Everything already queued is handled before returning to the
    //  reactor, and flushed once: a reactor turn and a flush (a cursor
    //  commit, a webhook wake-up, analytics' derivation) per event would
    //  cost more than the event itself in a burst.
    bool moved = false;
    for (size_t handled = 0; handled < DRAIN_MAX && !zsys_interrupted; handled++) {
        moved |= receive_one (self);
        if (!(zsock_events (self->subscriber) & ZMQ_POLLIN))
            break;
    }
    if (moved && self->on_flush) {
        self->on_flush (self->context, self->cursor);
        //  Nothing could be heard while the flush ran (analytics deriving
        //  and committing): the quiet is counted from now.
        self->last_heard = zclock_mono ();
    }
}

static int
on_readable (zloop_t *loop, zsock_t *socket, void *argument)
{
    ow_follower_receive ((ow_follower_t *) argument);
    return 0;
}

static int
on_quiet (zloop_t *loop, int timer_id, void *argument)
{
    ow_follower_t *self = argument;
    if (zclock_mono () < self->retry_at)
        return 0;
    //  Quiet means nothing came, not nothing was read: after a long turn
    //  elsewhere (analytics deriving), the events queued meanwhile are read
    //  from the socket, not fetched again page by page from the log.
    if (!self->started
        || (zclock_mono () - self->last_heard >= 1000
            && !(zsock_events (self->subscriber) & ZMQ_POLLIN)))
        ask (self);
    return 0;
}

int
ow_follower_attach (ow_follower_t *self, zloop_t *loop)
{
    if (!self->calls) {
        self->calls = ow_calls_new (ow_client_endpoint (self->log), ow_client_name (self->log));
        if (ow_calls_attach (self->calls, loop) != 0)
            return -1;
    }
    if (zloop_reader (loop, self->subscriber, on_readable, self) != 0)
        return -1;
    if (zloop_timer (loop, 1000, 0, on_quiet, self) < 0)
        return -1;
    ask (self);
    return 0;
}

zsock_t *
ow_follower_socket (ow_follower_t *self)
{
    return self->subscriber;
}

uint64_t
ow_follower_cursor (ow_follower_t *self)
{
    return self->cursor;
}

uint64_t
ow_follower_log_last (ow_follower_t *self)
{
    return self->log_last;
}

bool
ow_follower_started (ow_follower_t *self)
{
    return self->started;
}

const char *
ow_follower_problem (ow_follower_t *self)
{
    if (self->problem)
        return self->problem;
    int64_t waited = zclock_mono () - self->asked_at;
    if (self->asking && waited > PATIENCE_MS) {
        snprintf (self->waiting, sizeof self->waiting, "%s has not answered for %d s",
                  ow_client_name (self->log), (int) (waited / 1000));
        return self->waiting;
    }
    return "";
}
