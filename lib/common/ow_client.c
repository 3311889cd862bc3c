/*  ow_client — asking a service and waiting for its answer; see ow_client.h.  */

#include "ow_client.h"
#include "ow_wire.h"

struct _ow_client_t {
    char *endpoint;
    char *name;
    zsock_t *socket;
    uint64_t next_request_id;
};

static void
open_socket (ow_client_t *self)
{
    self->socket = zsock_new (ZMQ_DEALER);
    assert (self->socket);
    zsock_set_linger (self->socket, 0);
    zsock_set_maxmsgsize (self->socket, OW_WIRE_MAX_MESSAGE);
    zsock_connect (self->socket, "%s", self->endpoint);
}

ow_client_t *
ow_client_new (const char *endpoint, const char *name)
{
    ow_client_t *self = ow_calloc (1, sizeof *self);
    self->endpoint = ow_strdup (endpoint);
    self->name = ow_strdup (name);
    //  Ids start from the clock so a restarted client does not reuse the
    //  ids of its previous life.
    self->next_request_id = (uint64_t) zclock_time () << 16;
    open_socket (self);
    return self;
}

void
ow_client_destroy (ow_client_t **self_p)
{
    ow_client_t *self = *self_p;
    if (self) {
        zsock_destroy (&self->socket);
        free (self->endpoint);
        free (self->name);
        free (self);
        *self_p = NULL;
    }
}

Ofwatch__V1__Reply *
ow_client_call (ow_client_t *self, Ofwatch__V1__Request *request, int timeout_ms, char **error)
{
    request->request_id = ++self->next_request_id;
    zframe_t *frame = ow_wire_pack (&request->base);
    if (zframe_send (&frame, self->socket, 0) != 0) {
        zframe_destroy (&frame);
        *error = ow_printf ("could not send to %s at %s", self->name, self->endpoint);
        return NULL;
    }
    int64_t deadline = zclock_mono () + timeout_ms;
    zpoller_t *poller = zpoller_new (self->socket, NULL);
    Ofwatch__V1__Reply *reply = NULL;
    while (!reply) {
        int64_t left = deadline - zclock_mono ();
        if (left <= 0 || !zpoller_wait (poller, (int) left))
            break;
        zframe_t *answer = zframe_recv (self->socket);
        if (!answer)
            break;
        reply = ow_wire_unpack_reply (answer);
        zframe_destroy (&answer);
        if (reply && reply->request_id != request->request_id)
            ow_pb_free (&reply);        // a late answer to an earlier call
    }
    bool interrupted = zsys_interrupted || zpoller_terminated (poller);
    zpoller_destroy (&poller);
    if (!reply) {
        *error = interrupted
            ? ow_printf ("interrupted while waiting for %s", self->name)
            : ow_printf ("%s did not answer at %s within %d s", self->name,
                         self->endpoint, (timeout_ms + 999) / 1000);
        zsock_destroy (&self->socket);
        open_socket (self);
    }
    return reply;
}

Ofwatch__V1__Reply *
ow_client_call_retry (ow_client_t *self, Ofwatch__V1__Request *request,
                      int timeout_ms, int attempts, char **error)
{
    Ofwatch__V1__Reply *reply = NULL;
    for (int attempt = 1; !reply && attempt <= attempts && !zsys_interrupted; attempt++) {
        if (attempt > 1) {
            free (*error);
            *error = NULL;
        }
        reply = ow_client_call (self, request, timeout_ms, error);
    }
    return reply;
}

const char *
ow_client_error_message (const Ofwatch__V1__Reply *reply)
{
    if (reply && reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR && reply->error)
        return reply->error->message;
    return NULL;
}
