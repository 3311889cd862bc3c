/*  ow_follower — following the event log; see ow_follower.h.

    Invariant: `cursor` is the seq of the last event delivered (or skipped
    by the filter); every event with a greater seq is either still to come
    on the socket or will be fetched by the next catch-up. A live event is
    delivered only when it is the cursor's successor, so nothing is ever
    delivered over a hole.
*/

#include "ow_follower.h"
#include "ow_log.h"
#include "ow_security.h"
#include "ow_wire.h"

#define PAGE_SIZE       1000
#define LOG_TIMEOUT_MS  5000
#define RETRY_MS        1000
//  Live events handled in one reactor turn at most, so requests and
//  timers are still served during a long burst.
#define DRAIN_MAX       1000

struct _ow_follower_t {
    ow_client_t *log;
    zsock_t *subscriber;
    uint64_t cursor;
    uint64_t log_last;
    Ofwatch__V1__EventFilter *filter;
    ow_follower_event_fn *on_event;
    ow_follower_flush_fn *on_flush;
    void *context;
    int64_t last_heard;          // monotonic ms of the last live event
    int64_t retry_at;            // no catch-up before this (after a failure)
};

ow_follower_t *
ow_follower_new (ow_client_t *log, const char *events_endpoint, uint64_t cursor,
                 const Ofwatch__V1__EventFilter *filter,
                 ow_follower_event_fn *on_event, ow_follower_flush_fn *on_flush, void *context)
{
    ow_follower_t *self = ow_calloc (1, sizeof *self);
    self->log = log;
    self->cursor = cursor;
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
    zsock_connect (self->subscriber, "%s", events_endpoint);
    self->last_heard = zclock_mono ();
    return self;
}

void
ow_follower_destroy (ow_follower_t **self_p)
{
    ow_follower_t *self = *self_p;
    if (self) {
        zsock_destroy (&self->subscriber);
        ow_pb_free (&self->filter);
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

bool
ow_follower_catch_up (ow_follower_t *self)
{
    bool more = true;
    while (more && !zsys_interrupted) {
        Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
        Ofwatch__V1__EventsAfter query = OFWATCH__V1__EVENTS_AFTER__INIT;
        query.after_seq = self->cursor;
        query.limit = PAGE_SIZE;
        query.filter = self->filter;
        request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
        request.events_after = &query;
        char *error = NULL;
        Ofwatch__V1__Reply *reply = ow_client_call (self->log, &request, LOG_TIMEOUT_MS, &error);
        if (!reply || reply->body_case != OFWATCH__V1__REPLY__BODY_EVENTS) {
            ow_warn ("cannot catch up with the event log; will retry",
                     "reason", error ? error : ow_client_error_message (reply));
            free (error);
            ow_pb_free (&reply);
            //  Live events meanwhile would each try again and wait out
            //  the timeout: let the quiet timer retry instead.
            self->retry_at = zclock_mono () + RETRY_MS;
            return false;
        }
        Ofwatch__V1__EventsPage *page = reply->events;
        self->log_last = page->last_seq;
        for (size_t i = 0; i < page->n_events; i++) {
            if (page->events [i]->seq <= self->cursor)
                continue;
            self->cursor = page->events [i]->seq;
            self->on_event (self->context, page->events [i]);
        }
        //  A filtered page may skip over excluded events: the log's end is
        //  then the cursor, once a short page says nothing more matches.
        more = page->n_events == PAGE_SIZE;
        if (!more && self->filter && self->cursor < page->last_seq)
            self->cursor = page->last_seq;
        ow_pb_free (&reply);
        if (self->on_flush)
            self->on_flush (self->context, self->cursor);
    }
    return true;
}

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
    //  read after this event was committed, this event too; when the log
    //  cannot answer now the event is left for a later catch-up, never
    //  delivered over the hole. A filtered follower still sees every seq
    //  on the socket, so a gap is a gap for it too.
    if (event->seq > self->cursor + 1 && zclock_mono () >= self->retry_at)
        ow_follower_catch_up (self);
    if (event->seq == self->cursor + 1) {
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
    //  Quiet means nothing came, not nothing was read: after a long turn
    //  elsewhere (analytics deriving), the events queued meanwhile are read
    //  from the socket, not fetched again page by page from the log.
    if (zclock_mono () - self->last_heard >= 1000
        && !(zsock_events (self->subscriber) & ZMQ_POLLIN))
        ow_follower_catch_up (self);
    return 0;
}

int
ow_follower_attach (ow_follower_t *self, zloop_t *loop)
{
    if (zloop_reader (loop, self->subscriber, on_readable, self) != 0)
        return -1;
    return zloop_timer (loop, 1000, 0, on_quiet, self) < 0 ? -1 : 0;
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
