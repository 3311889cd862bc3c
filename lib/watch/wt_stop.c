/*  wt_stop — interruptible waits; see wt_stop.h.  */

#include "wt_stop.h"
#include "ow_pb.h"

#include <time.h>

//  Without a pipe, how often zsys_interrupted is looked at.
#define SLICE_MS 100

struct _wt_stop_t {
    zsock_t *pipe;
    zpoller_t *poller;
    bool stopped;
};

wt_stop_t *
wt_stop_new (zsock_t *pipe)
{
    wt_stop_t *self = ow_calloc (1, sizeof (wt_stop_t));
    self->pipe = pipe;
    if (pipe)
        self->poller = zpoller_new (pipe, NULL);
    return self;
}

void
wt_stop_destroy (wt_stop_t **self_p)
{
    wt_stop_t *self = *self_p;
    if (!self)
        return;
    zpoller_destroy (&self->poller);
    free (self);
    *self_p = NULL;
}

//  Reads what waits on the pipe: "$TERM" (or a broken pipe) is a stop;
//  nothing else is sent there.
static void
drain (wt_stop_t *self)
{
    while (!self->stopped && (zsock_events (self->pipe) & ZMQ_POLLIN)) {
        char *message = zstr_recv (self->pipe);
        self->stopped = !message || streq (message, "$TERM");
        zstr_free (&message);
    }
}

bool
wt_stop_requested (wt_stop_t *self)
{
    if (zsys_interrupted)
        self->stopped = true;
    if (self->pipe)
        drain (self);
    return self->stopped;
}

int64_t
wt_stop_clock_us (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

bool
wt_stop_wait_until (wt_stop_t *self, int64_t deadline_us)
{
    while (!wt_stop_requested (self)) {
        int64_t left_us = deadline_us - wt_stop_clock_us ();
        if (left_us <= 0)
            return true;
        //  Rounded up: a wait never ends before its deadline.
        int64_t left_ms = (left_us + 999) / 1000;
        int slice = (int) (left_ms < SLICE_MS ? left_ms : SLICE_MS);
        if (self->poller)
            zpoller_wait (self->poller, slice);
        else
            zclock_sleep (slice);
    }
    return false;
}

bool
wt_stop_wait (wt_stop_t *self, int64_t ms)
{
    return wt_stop_wait_until (self, wt_stop_clock_us () + (ms > 0 ? ms : 0) * 1000);
}
