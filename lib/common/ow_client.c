/*  ow_client — asking a service and waiting for its answer; see ow_client.h.  */

#include "ow_client.h"
#include "ow_config.h"
#include "ow_security.h"
#include "ow_wire.h"

struct _ow_client_t {
    char *endpoint;
    char *name;
    zsock_t *socket;            // NULL after the server refused our key
    zsock_t *monitor;           // the socket's handshake failures, when secured
    char *security_error;       // why no certificate can be presented
    char *cert;                 // the certificate presented (OFWATCH_CERT at opening)
    uint64_t next_request_id;
};

static void
open_socket (ow_client_t *self)
{
    self->socket = zsock_new (ZMQ_DEALER);
    assert (self->socket);
    zsock_set_linger (self->socket, 0);
    free (self->security_error);
    self->security_error = NULL;
    free (self->cert);
    self->cert = ow_security_client_cert ();
    ow_security_client (self->socket, self->name, &self->security_error);
    if (ow_security_wanted (self->name))
        self->monitor = ow_security_monitor_new (self->socket);
    ow_config_connect (self->socket, self->endpoint);
}

static void
close_socket (ow_client_t *self)
{
    ow_security_monitor_destroy (self->socket, &self->monitor);
    zsock_destroy (&self->socket);
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
        close_socket (self);
        free (self->security_error);
        free (self->cert);
        free (self->endpoint);
        free (self->name);
        free (self);
        *self_p = NULL;
    }
}

zsock_t *
ow_client_socket (ow_client_t *self)
{
    if (!self->socket)
        open_socket (self);
    return self->socket;
}

zsock_t *
ow_client_monitor (ow_client_t *self)
{
    return self->monitor;
}

const char *
ow_client_endpoint (ow_client_t *self)
{
    return self->endpoint;
}

const char *
ow_client_name (ow_client_t *self)
{
    return self->name;
}

//  Why a request cannot be sent at all, or NULL.
static char *
cannot_send (ow_client_t *self, Ofwatch__V1__Request *request)
{
    if (!self->socket)
        open_socket (self);
    if (self->security_error)
        return ow_strdup (self->security_error);
    size_t size = protobuf_c_message_get_packed_size (&request->base);
    size_t most = ow_wire_max_message (self->name);
    if (size > most)
        return ow_printf ("the request is %zu MiB, over the %zu MiB %s accepts", size >> 20,
                          most >> 20, self->name);
    return NULL;
}

bool
ow_client_send (ow_client_t *self, Ofwatch__V1__Request *request, char **error)
{
    request->request_id = ++self->next_request_id;
    if ((*error = cannot_send (self, request)) != NULL)
        return false;
    zframe_t *frame = ow_wire_pack (&request->base);
    if (zframe_send (&frame, self->socket, 0) != 0) {
        zframe_destroy (&frame);
        *error = ow_printf ("could not send to %s at %s", self->name, self->endpoint);
        return false;
    }
    return true;
}

//  Waits until `deadline` for the reply to request `want`, or to any
//  request when want is 0; see ow_client_receive for what a failure does.
static Ofwatch__V1__Reply *
wait_reply (ow_client_t *self, uint64_t want, int64_t deadline, int timeout_ms, char **error)
{
    if (!self->socket) {
        *error = ow_printf ("nothing was sent to %s", self->name);
        return NULL;
    }
    zpoller_t *poller = zpoller_new (self->socket, self->monitor, NULL);
    Ofwatch__V1__Reply *reply = NULL;
    bool refused = false;
    while (!reply && !refused) {
        int64_t left = deadline - zclock_mono ();
        void *which = left > 0 ? zpoller_wait (poller, (int) left) : NULL;
        if (!which)
            break;
        if (which == self->monitor) {
            refused = ow_security_monitor_refused (self->monitor);
            continue;
        }
        zframe_t *answer = zframe_recv (self->socket);
        if (!answer)
            break;
        reply = ow_wire_unpack_reply (answer);
        zframe_destroy (&answer);
        if (reply && want && reply->request_id != want)
            ow_pb_free (&reply);        // a late answer to an earlier call
    }
    bool interrupted = zsys_interrupted || zpoller_terminated (poller);
    zpoller_destroy (&poller);
    if (refused) {
        *error = ow_printf ("%s at %s refused the client certificate %s: the key is unknown "
                            "there, revoked, or not allowed to use %s", self->name,
                            self->endpoint, self->cert, self->name);
        //  Reconnecting would only be refused again; the next call tries anew.
        close_socket (self);
    }
    else
    if (!reply) {
        *error = interrupted
            ? ow_printf ("interrupted while waiting for %s", self->name)
            : ow_printf ("%s did not answer at %s within %d s", self->name,
                         self->endpoint, (timeout_ms + 999) / 1000);
        close_socket (self);
        open_socket (self);
    }
    return reply;
}

Ofwatch__V1__Reply *
ow_client_receive (ow_client_t *self, int timeout_ms, char **error)
{
    return wait_reply (self, 0, zclock_mono () + timeout_ms, timeout_ms, error);
}

Ofwatch__V1__Reply *
ow_client_call (ow_client_t *self, Ofwatch__V1__Request *request, int timeout_ms, char **error)
{
    //  After SIGINT/SIGTERM a poll returns at once, but only once it is
    //  entered: say so now rather than after a whole timeout.
    if (zsys_interrupted) {
        *error = ow_printf ("interrupted before asking %s", self->name);
        return NULL;
    }
    if (!ow_client_send (self, request, error))
        return NULL;
    return wait_reply (self, request->request_id, zclock_mono () + timeout_ms, timeout_ms,
                       error);
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
