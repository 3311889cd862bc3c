/*  wt_stop — waiting that a stop request cuts short.

    A pass spends most of its time waiting: between requests, for a
    Retry-After, for an answer. In the watch service the pass runs in a
    zactor whose pipe says "$TERM" when the service stops; in the CLI
    Ctrl-C sets CZMQ's zsys_interrupted. Either ends every wait at once,
    so a stopping pass never holds its process for longer than a request
    takes to be cut short.
*/
#ifndef WT_STOP_H
#define WT_STOP_H

#include <czmq.h>
#include <stdbool.h>

typedef struct _wt_stop_t wt_stop_t;

//  `pipe` (borrowed; NULL in the CLI) is the actor's pipe.
wt_stop_t *wt_stop_new (zsock_t *pipe);
void wt_stop_destroy (wt_stop_t **self_p);

//  Whether a stop was asked for; never waits.
bool wt_stop_requested (wt_stop_t *self);

//  Waits `ms` milliseconds; false (at once) when a stop is asked for.
bool wt_stop_wait (wt_stop_t *self, int64_t ms);

//  The same until a time of wt_stop_clock_us: a wait that must not end
//  early by a fraction of a millisecond (the pace, a Retry-After).
bool wt_stop_wait_until (wt_stop_t *self, int64_t deadline_us);

//  Microseconds of the monotonic clock.
int64_t wt_stop_clock_us (void);

#endif
