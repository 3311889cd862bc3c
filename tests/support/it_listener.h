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
#include "it_support.h"

typedef struct _it_listener_t it_listener_t;

it_listener_t *it_listener_new (bool following);

//  Stops listening and moves what was heard, in order, into events.
void it_listener_destroy (it_listener_t **self_p, it_events_t *events);

//  How many events it has heard so far.
size_t it_listener_count (it_listener_t *self);

#endif
