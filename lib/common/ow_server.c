/*  ow_server — a service's ROUTER; see ow_server.h.  */

#include "ow_server.h"
#include "ow_check.h"
#include "ow_config.h"
#include "ow_keys.h"
#include "ow_log.h"
#include "ow_rate.h"
#include "ow_rights.h"
#include "ow_security.h"
#include "ow_throttle.h"
#include "ow_wire.h"

//  A refusal of one kind to one key is logged at most this often.
#define REFUSAL_LOG_MS 10000

struct _ow_server_pending_t {
    zframe_t *identity;             // the client's, to route the answer
    Ofwatch__V1__Request *request;  // NULL when the frame was not a Request
    uint64_t request_id;            // as peeked before decoding
    char *peer;                     // the key's name, or NULL
    int64_t started;                // zclock_usecs at arrival
};

struct _ow_server_t {
    zsock_t *socket;
    char *name;
    ow_server_handler_fn *handler;
    ow_server_refused_fn *refused;
    void *context;
    ow_metrics_t *metrics;
    ow_server_pending_t *current;   // the request in hand during a handler call
    bool deferred;                  // the handler took it over
    bool secured;
    ow_keys_t *keys;                // the registry, read as each request comes
    ow_rate_t *rates;               // per key
    int rate_per_minute;            // OFWATCH_RATE_LIMIT
    ow_throttle_t *logged;          // refusals, by kind and key
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
    self->secured = zsock_curve_server (socket) != 0;
    ow_config_t config;
    ow_config_load (&config);
    ow_security_limits_t limits;
    ow_security_limits_load (&limits);
    self->keys = ow_keys_new (config.keys);
    self->rates = ow_rate_new ();
    self->rate_per_minute = limits.rate_per_minute;
    self->logged = ow_throttle_new (REFUSAL_LOG_MS);
    ow_info ("listening", "socket", name, "endpoint", endpoint,
             "secured", self->secured ? "CURVE" : "no (development setting)");
    return self;
}

void
ow_server_destroy (ow_server_t **self_p)
{
    ow_server_t *self = *self_p;
    if (self) {
        ow_security_server_release (self->socket);
        zsock_destroy (&self->socket);
        ow_keys_destroy (&self->keys);
        ow_rate_destroy (&self->rates);
        ow_throttle_destroy (&self->logged);
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

void
ow_server_set_refused (ow_server_t *self, ow_server_refused_fn *refused)
{
    self->refused = refused;
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

//  Logs a refusal of `kind` to the peer, at most once per REFUSAL_LOG_MS
//  per kind and peer, with how many there were.
static void
log_refusal (ow_server_t *self, const char *kind, const char *peer, const char *why)
{
    char *subject = ow_printf ("%s %s", kind, peer ? peer : "");
    size_t count = 0;
    if (ow_throttle_pass (self->logged, subject, zclock_mono (), &count)) {
        char times [24];
        snprintf (times, sizeof times, "%zu", count);
        ow_warn (kind, "socket", self->name, "peer", peer ? peer : "", "reason", why,
                 "times", times);
    }
    free (subject);
}

static Ofwatch__V1__Reply *
refuse (ow_server_t *self, ow_server_pending_t *pending, const char *why)
{
    log_refusal (self, "refused a malformed request", pending->peer, why);
    return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST, "%s", why);
}

//  Step 3: the key as its file says now may make this request, or the
//  refusal.
static Ofwatch__V1__Reply *
refuse_key (ow_server_t *self, ow_server_pending_t *pending)
{
    const Ofwatch__V1__Request *request = pending->request;
    const ow_key_t *key = ow_keys_current (self->keys, pending->peer);
    char *why = ow_rights_request_refusal (self->name, pending->peer, key, request->body_case,
                                           request_name (request));
    if (!why)
        return NULL;
    log_refusal (self, "refused a request for who sent it", pending->peer, why);
    if (self->refused)
        self->refused (self->context, request, pending->peer, why);
    Ofwatch__V1__Reply *reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_REJECTED,
                                               "%s", why);
    free (why);
    return reply;
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
    Ofwatch__V1__Reply *refusal = pending->peer ? refuse_key (self, pending) : NULL;
    if (refusal)
        return refusal;
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

//  Step 1: the key's rate, for every request whatever it holds; the keys
//  of the services that pass on others' work are not limited
//  (ow_rights_unlimited). The refusal, or NULL.
static Ofwatch__V1__Reply *
over_rate (ow_server_t *self, const char *peer)
{
    const ow_key_t *key = ow_keys_current (self->keys, peer);
    if (ow_rights_unlimited (key))
        return NULL;
    int per_minute = key && key->rate >= 0 ? key->rate : self->rate_per_minute;
    int wait = ow_rate_take (self->rates, peer, per_minute, zclock_mono ());
    if (!wait)
        return NULL;
    char *why = ow_printf ("too many requests from key %s (at most %d a minute); try again "
                           "in %d s", peer, per_minute, wait);
    log_refusal (self, "refused requests over a key's rate", peer, why);
    ow_metrics_count (self->metrics, "ofwatch_requests_rate_limited_total", NULL, 1);
    Ofwatch__V1__Reply *reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                                               "%s", why);
    free (why);
    return reply;
}

void
ow_server_handle_one (ow_server_t *self)
{
    zmsg_t *msg = zmsg_recv_nowait (self->socket);
    if (!msg)
        return;
    ow_server_pending_t *pending = ow_calloc (1, sizeof *pending);
    pending->started = zclock_usecs ();
    size_t frames = zmsg_size (msg);
    pending->identity = zmsg_pop (msg);
    zframe_t *body = zmsg_pop (msg);
    //  Every frame that came over the connection carries its User-Id (the
    //  identity frame is the ROUTER's own, and carries none).
    const char *peer = body ? zframe_meta (body, "User-Id") : NULL;
    pending->peer = self->secured && peer && *peer ? ow_strdup (peer) : NULL;
    pending->request_id = ow_wire_peek_request_id (body);
    Ofwatch__V1__Reply *reply = pending->peer ? over_rate (self, pending->peer) : NULL;
    if (!reply && frames != 2) {
        char *why = ow_printf ("a request is one frame; this message had %zu",
                               frames ? frames - 1 : 0);
        reply = refuse (self, pending, why);
        free (why);
    }
    if (!reply)
        reply = answer (self, pending, body);
    zframe_destroy (&body);
    zmsg_destroy (&msg);
    if (!pending->identity) {
        assert (reply != OW_SERVER_LATER);  // a handler never saw it: frames != 2
        ow_pb_free (&reply);                // nowhere to send anything
        pending_destroy (&pending);
    }
    else
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
    reply->request_id = pending->request ? pending->request->request_id : pending->request_id;
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
