/*  ow_server — a service's ROUTER; see ow_server.h.  */

#include "ow_server.h"
#include "ow_log.h"
#include "ow_wire.h"

struct _ow_server_t {
    zsock_t *socket;
    char *name;
    ow_server_handler_fn *handler;
    void *context;
    ow_metrics_t *metrics;
};

ow_server_t *
ow_server_new (const char *endpoint, const char *name,
               ow_server_handler_fn *handler, void *context)
{
    zsock_t *socket = zsock_new (ZMQ_ROUTER);
    assert (socket);
    zsock_set_linger (socket, 1000);
    zsock_set_maxmsgsize (socket, OW_WIRE_MAX_MESSAGE);
    //  A reply to a client that has gone is dropped, not queued forever.
    zsock_set_router_mandatory (socket, 0);
    if (zsock_bind (socket, "%s", endpoint) < 0) {
        ow_error ("cannot bind", "endpoint", endpoint, "reason", zmq_strerror (zmq_errno ()));
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

static Ofwatch__V1__Reply *
answer (ow_server_t *self, zframe_t *body)
{
    int64_t started = zclock_usecs ();
    Ofwatch__V1__Request *request = ow_wire_unpack_request (body);
    if (!request) {
        ow_warn ("refused a frame that is not a valid request", "socket", self->name);
        Ofwatch__V1__Reply *refusal = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST,
                                       "the message is not a valid ofwatch.v1.Request");
        record (self, NULL, refusal, started);
        return refusal;
    }
    Ofwatch__V1__Reply *reply = NULL;
    if (request->body_case == OFWATCH__V1__REQUEST__BODY__NOT_SET)
        reply = ow_wire_error (request->request_id, OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST,
                               "the request has no body");
    else
        reply = self->handler (self->context, request);
    if (!reply)
        reply = ow_wire_error (request->request_id, OFWATCH__V1__ERROR__CODE__CODE_UNSUPPORTED,
                               "%s does not serve that request", self->name);
    reply->request_id = request->request_id;
    record (self, request, reply, started);
    ow_pb_free (&request);
    return reply;
}

void
ow_server_handle_one (ow_server_t *self)
{
    zmsg_t *msg = zmsg_recv_nowait (self->socket);
    if (!msg)
        return;
    if (zmsg_size (msg) != 2) {
        ow_warn ("dropped a message with the wrong number of frames", "socket", self->name);
        zmsg_destroy (&msg);
        return;
    }
    zframe_t *identity = zmsg_pop (msg);
    zframe_t *body = zmsg_pop (msg);
    zmsg_destroy (&msg);
    Ofwatch__V1__Reply *reply = answer (self, body);
    zframe_destroy (&body);

    zmsg_t *out = zmsg_new ();
    zmsg_append (out, &identity);
    zmsg_append (out, (zframe_t *[]) { ow_wire_pack (&reply->base) });
    ow_pb_free (&reply);
    zmsg_send (&out, self->socket);
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
