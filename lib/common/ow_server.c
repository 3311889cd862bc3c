/*  ow_server — a service's ROUTER; see ow_server.h.  */

#include "ow_server.h"
#include "ow_check.h"
#include "ow_log.h"
#include "ow_security.h"
#include "ow_wire.h"

struct _ow_server_pending_t {
    zframe_t *identity;             // the client's, to route the answer
    Ofwatch__V1__Request *request;  // NULL when the frame was not a Request
    char *peer;                     // the key's name, or NULL
    int64_t started;                // zclock_usecs at arrival
};

struct _ow_server_t {
    zsock_t *socket;
    char *name;
    ow_server_handler_fn *handler;
    void *context;
    ow_metrics_t *metrics;
    ow_server_pending_t *current;   // the request in hand during a handler call
    bool deferred;                  // the handler took it over
};

const Ofwatch__V1__Reply ow_server_later = OFWATCH__V1__REPLY__INIT;

ow_server_t *
ow_server_new (const char *endpoint, const char *name,
               ow_server_handler_fn *handler, void *context)
{
    zsock_t *socket = zsock_new (ZMQ_ROUTER);
    assert (socket);
    zsock_set_linger (socket, 1000);
    //  A reply to a client that has gone is dropped, not queued forever.
    zsock_set_router_mandatory (socket, 0);
    char *error = NULL;
    if (!ow_security_server (socket, name, &error)) {
        ow_error ("cannot secure the socket", "endpoint", endpoint, "reason", error);
        free (error);
        zsock_destroy (&socket);
        return NULL;
    }
    if (zsock_bind (socket, "%s", endpoint) < 0) {
        ow_error ("cannot bind", "endpoint", endpoint, "reason", zmq_strerror (zmq_errno ()));
        ow_security_server_release (socket);
        zsock_destroy (&socket);
        return NULL;
    }
    ow_server_t *self = ow_calloc (1, sizeof *self);
    self->socket = socket;
    self->name = ow_strdup (name);
    self->handler = handler;
    self->context = context;
    ow_info ("listening", "socket", name, "endpoint", endpoint);
    return self;
}

void
ow_server_destroy (ow_server_t **self_p)
{
    ow_server_t *self = *self_p;
    if (self) {
        ow_security_server_release (self->socket);
        zsock_destroy (&self->socket);
        free (self->name);
        free (self);
        *self_p = NULL;
    }
}

void
ow_server_set_metrics (ow_server_t *self, ow_metrics_t *metrics)
{
    self->metrics = metrics;
}

//  What a request was, for metrics: the name of its body.
static const char *
request_name (const Ofwatch__V1__Request *request)
{
    for (unsigned i = 0; request && i < ofwatch__v1__request__descriptor.n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &ofwatch__v1__request__descriptor.fields [i];
        if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
            && field->id == (unsigned) request->body_case)
            return field->name;
    }
    return "malformed";
}

//  How a request ended, for metrics: "ok" or the error code's word.
static const char *
outcome_name (const Ofwatch__V1__Reply *reply)
{
    if (reply->body_case != OFWATCH__V1__REPLY__BODY_ERROR)
        return "ok";
    const ProtobufCEnumValue *value = protobuf_c_enum_descriptor_get_value (
        &ofwatch__v1__error__code__descriptor, reply->error->code);
    return value ? value->name + strlen ("CODE_") : "unknown";
}

static void
record (ow_server_t *self, const Ofwatch__V1__Request *request,
        const Ofwatch__V1__Reply *reply, int64_t started_us)
{
    if (!self->metrics)
        return;
    char labels [96];
    const char *name = request_name (request);
    snprintf (labels, sizeof labels, "request=\"%s\",outcome=\"%s\"", name, outcome_name (reply));
    ow_metrics_count (self->metrics, "ofwatch_requests_total", labels, 1);
    snprintf (labels, sizeof labels, "request=\"%s\"", name);
    ow_metrics_observe (self->metrics, "ofwatch_request_seconds", labels,
                        (double) (zclock_usecs () - started_us) / 1e6);
}

zsock_t *
ow_server_socket (ow_server_t *self)
{
    return self->socket;
}

static void
pending_destroy (ow_server_pending_t **pending_p)
{
    ow_server_pending_t *pending = *pending_p;
    if (pending) {
        zframe_destroy (&pending->identity);
        ow_pb_free (&pending->request);
        free (pending->peer);
        free (pending);
        *pending_p = NULL;
    }
}

static Ofwatch__V1__Reply *
refuse (ow_server_t *self, ow_server_pending_t *pending, const char *why)
{
    ow_warn ("refused a malformed request", "socket", self->name,
             "peer", pending->peer ? pending->peer : "", "reason", why);
    return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST, "%s", why);
}

//  The reply to a request, or OW_SERVER_LATER when the handler deferred it.
static Ofwatch__V1__Reply *
answer (ow_server_t *self, ow_server_pending_t *pending, zframe_t *body)
{
    pending->request = ow_wire_unpack_request (body);
    Ofwatch__V1__Request *request = pending->request;
    if (!request)
        return refuse (self, pending, "the message is not a valid ofwatch.v1.Request");
    char *why = NULL;
    if (!ow_check_message (&request->base, &why)) {
        char *sentence = ow_printf ("the request is malformed: %s", why);
        Ofwatch__V1__Reply *refusal = refuse (self, pending, sentence);
        free (sentence);
        free (why);
        return refusal;
    }
    if (request->body_case == OFWATCH__V1__REQUEST__BODY__NOT_SET)
        return refuse (self, pending, "the request has no body");
    self->current = pending;
    self->deferred = false;
    Ofwatch__V1__Reply *reply = self->handler (self->context, request);
    self->current = NULL;
    if (self->deferred)
        return OW_SERVER_LATER;
    assert (reply != OW_SERVER_LATER);
    if (!reply)
        reply = ow_wire_error (request->request_id, OFWATCH__V1__ERROR__CODE__CODE_UNSUPPORTED,
                               "%s does not serve that request", self->name);
    return reply;
}

void
ow_server_handle_one (ow_server_t *self)
{
    zmsg_t *msg = zmsg_recv_nowait (self->socket);
    if (!msg)
        return;
    if (zmsg_size (msg) != 2) {
        const char *peer = zmsg_first (msg) ? zframe_meta (zmsg_first (msg), "User-Id") : NULL;
        ow_warn ("dropped a message with the wrong number of frames", "socket", self->name,
                 "peer", peer ? peer : "");
        zmsg_destroy (&msg);
        return;
    }
    ow_server_pending_t *pending = ow_calloc (1, sizeof *pending);
    pending->started = zclock_usecs ();
    pending->identity = zmsg_pop (msg);
    zframe_t *body = zmsg_pop (msg);
    zmsg_destroy (&msg);
    const char *peer = zframe_meta (body, "User-Id");
    pending->peer = peer && *peer ? ow_strdup (peer) : NULL;
    Ofwatch__V1__Reply *reply = answer (self, pending, body);
    zframe_destroy (&body);
    if (reply != OW_SERVER_LATER)
        ow_server_answer (self, &pending, reply);
}

const char *
ow_server_peer (ow_server_t *self)
{
    return self->current ? self->current->peer : NULL;
}

ow_server_pending_t *
ow_server_defer (ow_server_t *self)
{
    assert (self->current);
    self->deferred = true;
    return self->current;
}

const Ofwatch__V1__Request *
ow_server_pending_request (ow_server_pending_t *pending)
{
    return pending->request;
}

const char *
ow_server_pending_peer (ow_server_pending_t *pending)
{
    return pending->peer;
}

void
ow_server_answer (ow_server_t *self, ow_server_pending_t **pending_p, Ofwatch__V1__Reply *reply)
{
    ow_server_pending_t *pending = *pending_p;
    reply->request_id = pending->request ? pending->request->request_id : 0;
    record (self, pending->request, reply, pending->started);
    zmsg_t *out = zmsg_new ();
    zmsg_append (out, &pending->identity);
    zmsg_append (out, (zframe_t *[]) { ow_wire_pack (&reply->base) });
    ow_pb_free (&reply);
    zmsg_send (&out, self->socket);
    pending_destroy (pending_p);
}

static int
on_readable (zloop_t *loop, zsock_t *socket, void *argument)
{
    ow_server_handle_one ((ow_server_t *) argument);
    return 0;
}

int
ow_server_attach (ow_server_t *self, zloop_t *loop)
{
    return zloop_reader (loop, self->socket, on_readable, self);
}
