/*  ow_server — a service's ROUTER: requests in, replies out.

    Every service answers Requests the same way: read [identity][Request],
    hand the decoded request to the service's handler, send back
    [identity][Reply]. Before any handler sees a request, in this order:

    1. the key's rate: every request a key makes counts, whatever it is
       and however it is answered (OFWATCH_RATE_LIMIT a minute, or the
       key's own --rate; the services' own keys are not limited); over it,
       UNAVAILABLE "too many requests from key K ...; try again in S s";
    2. its shape: a message of other than one frame, a frame that is not
       a Request, a string that is not UTF-8 or over its field's length
       limit, an enum value the schema does not know: BAD_REQUEST naming
       the problem;
    3. the key as its file says now (ow_keys_current): unknown, revoked,
       or not allowed that request of this service (ow_rights): REJECTED,
       so a key revoked while its connection stays open is refused from
       its next request.

    Refusals are logged at most once per ten seconds per kind and key,
    with how many there were. Nothing a client sends can stop the service.

    The socket is secured as ow_security says for the service's name, so
    on a secured socket every request comes from a known key, whose name
    the handler reads with ow_server_peer. A handler that cannot answer at
    once (ingest, waiting for a worker) defers the request and answers it
    later; the server keeps serving meanwhile.
*/
#ifndef OW_SERVER_H
#define OW_SERVER_H

#include <czmq.h>
#include "ow_metrics.h"
#include "ow_pb.h"

//  Answers one request. Returns a new Reply (the server sends and frees
//  it) or NULL for "this service does not serve that body".
typedef Ofwatch__V1__Reply *(ow_server_handler_fn) (void *context,
                                                    const Ofwatch__V1__Request *request);

typedef struct _ow_server_t ow_server_t;

//  Binds a ROUTER to endpoint; NULL (logged) when the bind fails.
ow_server_t *ow_server_new (const char *endpoint, const char *name,
                            ow_server_handler_fn *handler, void *context);
void ow_server_destroy (ow_server_t **self_p);

//  Registers the server's socket on a reactor.
int ow_server_attach (ow_server_t *self, zloop_t *loop);

zsock_t *ow_server_socket (ow_server_t *self);

//  Counts requests and errors and times them in `metrics` (borrowed):
//  ofwatch_requests_total{request,outcome}, ofwatch_request_seconds{request}.
void ow_server_set_metrics (ow_server_t *self, ow_metrics_t *metrics);

//  Called with each request refused in step 3 above (not for rate limits,
//  so a flood of refusals costs a bounded number of calls): ingest
//  audits them. `reason` is the sentence the client was told.
typedef void (ow_server_refused_fn) (void *context, const Ofwatch__V1__Request *request,
                                     const char *peer, const char *reason);
void ow_server_set_refused (ow_server_t *self, ow_server_refused_fn *refused);

//  Handles one waiting message, if any (for callers with their own poll).
void ow_server_handle_one (ow_server_t *self);

//  During a handler call: the name of the key the request came with (the
//  ZAP User-Id), or NULL on a socket that is not secured.
const char *ow_server_peer (ow_server_t *self);

//  A request to be answered after its handler has returned.
typedef struct _ow_server_pending_t ow_server_pending_t;

//  What a handler returns after ow_server_defer: "answered later".
extern const Ofwatch__V1__Reply ow_server_later;
#define OW_SERVER_LATER ((Ofwatch__V1__Reply *) &ow_server_later)

//  During a handler call: takes over the request in hand, which stays
//  valid until it is answered; the handler then returns OW_SERVER_LATER.
ow_server_pending_t *ow_server_defer (ow_server_t *self);
const Ofwatch__V1__Request *ow_server_pending_request (ow_server_pending_t *pending);
const char *ow_server_pending_peer (ow_server_pending_t *pending);

//  Sends reply (taken over) as the answer to a deferred request and frees
//  both; the reply's request_id is set here.
void ow_server_answer (ow_server_t *self, ow_server_pending_t **pending_p,
                       Ofwatch__V1__Reply *reply);

#endif
