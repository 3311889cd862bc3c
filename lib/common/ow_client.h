/*  ow_client — asking a service and waiting for its answer.

    A DEALER connected to one service's ROUTER. Each call sends a Request
    with a fresh request_id and waits up to a timeout for the Reply with
    the same id, dropping stale replies to earlier calls that timed out.
    After a timeout the socket is closed and reopened, so a request lost to
    a restarted server is not answered late into the next call (the Lazy
    Pirate pattern); whether to try again is the caller's choice, because
    only the caller knows whether its request is idempotent.

    A client of a secured service presents its certificate (ow_security);
    when the server refuses the key, the call says so at once rather than
    waiting out the timeout.
*/
#ifndef OW_CLIENT_H
#define OW_CLIENT_H

#include <czmq.h>
#include "ow_pb.h"

typedef struct _ow_client_t ow_client_t;

//  `name` says who is asked in error messages ("store", "ingest").
ow_client_t *ow_client_new (const char *endpoint, const char *name);
void ow_client_destroy (ow_client_t **self_p);

//  Sends request (request_id is set here) and returns the reply, or NULL
//  with *error set (caller frees) when none came within timeout_ms or the
//  process was interrupted. An Error reply is returned as a reply.
Ofwatch__V1__Reply *ow_client_call (ow_client_t *self, Ofwatch__V1__Request *request,
                                    int timeout_ms, char **error);

//  The same, retrying after a timeout up to `attempts` times in all.
Ofwatch__V1__Reply *ow_client_call_retry (ow_client_t *self, Ofwatch__V1__Request *request,
                                          int timeout_ms, int attempts, char **error);

//  Several requests in flight on one socket (e.g. `ofwatch submit`
//  keeping ingest's workers busy): ow_client_send sends a request, setting
//  its request_id, without waiting; false with *error (caller frees) when
//  it cannot be sent. ow_client_receive returns the next reply to arrive
//  within timeout_ms, whichever request it answers (the caller matches
//  request_id), or NULL with *error. After such a failure the socket has
//  been closed and reopened, so every request still in flight is lost:
//  the caller sends again those it may repeat.
bool ow_client_send (ow_client_t *self, Ofwatch__V1__Request *request, char **error);
Ofwatch__V1__Reply *ow_client_receive (ow_client_t *self, int timeout_ms, char **error);

//  The DEALER, for a reactor that reads the replies itself (ingest's
//  documents to store). It stays the same while only ow_client_send is
//  used: only a failed or refused wait for a reply reopens it.
zsock_t *ow_client_socket (ow_client_t *self);

//  The PAIR socket with the DEALER's handshake failures, when the service
//  is secured (ow_security_monitor_refused reads it); NULL otherwise.
zsock_t *ow_client_monitor (ow_client_t *self);

//  The endpoint, as given to ow_client_new.
const char *ow_client_endpoint (ow_client_t *self);

//  The name of the service asked, as given to ow_client_new.
const char *ow_client_name (ow_client_t *self);

//  Returns the message of an Error reply (NULL for other replies).
const char *ow_client_error_message (const Ofwatch__V1__Reply *reply);

#endif
