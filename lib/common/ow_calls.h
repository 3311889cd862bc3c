/*  ow_calls — requests to one service whose answers come on the reactor,
    never waited for.

    A service must go on answering while another it depends on is slow,
    restarting or down: ingest while store commits a big feed, analytics
    and notify while store is away. So their requests to it go out on a
    DEALER of their own and each call's `done` function is given the
    reply when it comes, matched by request id, on the reactor. A call not
    answered by its deadline gets an UNAVAILABLE Error saying so (a reply
    arriving after that is dropped); a key the other service refuses (its
    CURVE handshake fails) fails every waiting call at once, saying so.
    ZeroMQ reconnects by itself to a restarted service, so the socket is
    never reopened: a request lost with the old connection times out.
*/
#ifndef OW_CALLS_H
#define OW_CALLS_H

#include <czmq.h>
#include "ow_pb.h"

typedef struct _ow_calls_t ow_calls_t;

//  Given the reply (taken over): the service's own, or an UNAVAILABLE
//  Error made here ("store did not answer within 5 s", "... refused the
//  client certificate ...", "... stopped before store answered").
typedef void (ow_calls_done_fn) (void *context, void *argument, Ofwatch__V1__Reply *reply);

//  Calls to the service called `name` ("store") at endpoint.
ow_calls_t *ow_calls_new (const char *endpoint, const char *name);

//  Every call still waiting is answered first ("stopped before ...").
//  The reactor it was attached to must be gone, or never run again.
void ow_calls_destroy (ow_calls_t **self_p);

//  Registers the socket, its handshake monitor and the deadline sweep.
int ow_calls_attach (ow_calls_t *self, zloop_t *loop);

//  Sends request (its request_id is set here) without waiting; done gets
//  (context, argument, reply) later, exactly once. False with *error
//  (caller frees) when it cannot be sent: then done is never called.
bool ow_calls_send (ow_calls_t *self, Ofwatch__V1__Request *request, int timeout_ms,
                    ow_calls_done_fn *done, void *context, void *argument, char **error);

//  Calls sent and not yet answered.
size_t ow_calls_waiting (ow_calls_t *self);

//  The name given to ow_calls_new.
const char *ow_calls_name (ow_calls_t *self);

#endif
