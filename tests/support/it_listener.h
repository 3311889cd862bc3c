/*  it_listener — a downstream subscriber on notify, on a thread of its
    own, recording every event it hears.

    A real subscriber waits on its socket; so does this one. (A SUB socket
    whose thread is busy elsewhere does not send its subscription again
    after a reconnect until that thread next touches it, and hears nothing
    meanwhile.) Plain: a SUB socket subscribed to everything, as a simple
    client would be. Following: the follower `ofwatch events --from 1
    --follow` uses, replay and live, each event once and in seq order.
*/
#ifndef IT_LISTENER_H
#define IT_LISTENER_H

#include <stdbool.h>
#include <stdint.h>
#include "it_support.h"

typedef struct _it_listener_t it_listener_t;

it_listener_t *it_listener_new (bool following);

//  A following listener on one notify replica: its PUB and replay
//  endpoints (connectable), rather than the configured ones.
it_listener_t *it_listener_new_at (const char *pub, const char *replay);

//  Stops listening and moves what was heard, in order, into events.
void it_listener_destroy (it_listener_t **self_p, it_events_t *events);

//  How many events it has heard so far.
size_t it_listener_count (it_listener_t *self);

//  The greatest seq heard so far (0: none).
uint64_t it_listener_last_seq (it_listener_t *self);

//  When (zclock_mono) it first heard an event of seq > after_seq, at or
//  after `since`, that `wanted` accepts (NULL: any); 0 when it has not.
typedef bool (it_event_wanted_fn) (const Ofwatch__V1__Event *event);
int64_t it_listener_heard_after (it_listener_t *self, uint64_t after_seq, int64_t since,
                                 it_event_wanted_fn *wanted);

//  The longest time between two events heard in a row, between `from`
//  and `to` (zclock_mono), counting from `from` to the first.
int64_t it_listener_longest_pause (it_listener_t *self, int64_t from, int64_t to);

#endif
