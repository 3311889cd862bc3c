/*  ow_follower — following the event log without gaps or repeats.

    The ZeroMQ guide's Clone pattern, for one reader of the log: live
    events come on a SUB socket, and whatever the SUB socket missed (before
    the reader started, while it was down, or dropped by a full queue) is
    fetched by seq from a ROUTER that answers EventsAfter (store, or
    notify's replay). Events reach the callback strictly in seq order, each
    once, starting after the cursor the follower was given (or, for a
    consumer, the cursor the log's service keeps for it). analytics,
    notify and `ofwatch events --follow` all read the log this way.

    On a reactor (ow_follower_attach) nothing ever waits for the log: the
    cursor is asked for, and what the SUB socket missed fetched, with
    requests whose answers come on the reactor (ow_calls), so a service
    following store goes on answering while store is away, and catches up
    when it returns. ow_follower_catch_up is the waiting way, for a
    program with nothing else to do meanwhile (the CLI, tests).
*/
#ifndef OW_FOLLOWER_H
#define OW_FOLLOWER_H

#include <czmq.h>
#include "ow_client.h"
#include "ow_pb.h"

//  Called for each event in seq order.
typedef void (ow_follower_event_fn) (void *context, const Ofwatch__V1__Event *event);

//  Called after a burst of events (a catch-up page, or the live events
//  that were waiting together), when the caller may commit what it did;
//  may be NULL.
typedef void (ow_follower_flush_fn) (void *context, uint64_t cursor);

typedef struct _ow_follower_t ow_follower_t;

//  `log` answers EventsAfter (borrowed, not owned: ow_follower_catch_up
//  asks through it; on a reactor the follower asks the same endpoint on
//  a socket of its own); `events_endpoint` is the PUB to subscribe to.
//  `filter` (may be NULL; copied) narrows both the catch-up and the live
//  events; with a filter, seqs delivered may skip the events it excludes.
ow_follower_t *ow_follower_new (ow_client_t *log, const char *events_endpoint, uint64_t cursor,
                                const Ofwatch__V1__EventFilter *filter,
                                ow_follower_event_fn *on_event, ow_follower_flush_fn *on_flush,
                                void *context);

//  The same for the consumer called `consumer` (analytics, notify) of
//  store's log: once attached, its cursor is asked of the log's service
//  (CursorQuery, again every second until answered), then followed.
//  Until then nothing is delivered and ow_follower_started is false.
ow_follower_t *ow_follower_new_consumer (ow_client_t *log, const char *events_endpoint,
                                         const char *consumer,
                                         ow_follower_event_fn *on_event,
                                         ow_follower_flush_fn *on_flush, void *context);
void ow_follower_destroy (ow_follower_t **self_p);

//  Registers the SUB socket, the log requests' socket and a one-second
//  timer that catches up when the socket has been quiet (the last events
//  of a burst may have been lost with nothing after them to reveal the
//  gap), and starts: the cursor for a consumer, then a catch-up.
int ow_follower_attach (ow_follower_t *self, zloop_t *loop);

//  Fetches and delivers everything after the cursor, page by page,
//  waiting for each page. False when the log did not answer.
bool ow_follower_catch_up (ow_follower_t *self);

//  Whether the cursor is known (always, but for a consumer whose cursor
//  has not been answered yet).
bool ow_follower_started (ow_follower_t *self);

//  Why the log last could not be read ("" while it answers); borrowed.
const char *ow_follower_problem (ow_follower_t *self);

//  Handles the messages waiting on the SUB socket (at least one, at most
//  a thousand), then flushes once (for callers that poll themselves).
void ow_follower_receive (ow_follower_t *self);

zsock_t *ow_follower_socket (ow_follower_t *self);
uint64_t ow_follower_cursor (ow_follower_t *self);

//  The log's last seq as of the latest catch-up.
uint64_t ow_follower_log_last (ow_follower_t *self);

#endif
