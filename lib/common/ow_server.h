/*  ow_server — a service's ROUTER: requests in, replies out.

    Every service answers Requests the same way: read [identity][Request],
    hand the decoded request to the service's handler, send back
    [identity][Reply]. A frame that is not a Request is answered with a
    BAD_REQUEST error (there is someone to tell), a message of the wrong
    shape is logged and dropped, and the service keeps serving: nothing a
    client sends can stop it.
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

//  Handles one waiting message, if any (for callers with their own poll).
void ow_server_handle_one (ow_server_t *self);

#endif
