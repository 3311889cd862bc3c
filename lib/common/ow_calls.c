/*  ow_calls — requests answered on the reactor; see ow_calls.h.  */

#include "ow_calls.h"
#include "ow_client.h"
#include "ow_log.h"
#include "ow_security.h"
#include "ow_wire.h"

//  How often deadlines are looked at: a call is answered at most this
//  late.
#define SWEEP_MS 100

typedef struct {
    uint64_t request_id;
    int64_t deadline;           // monotonic ms
    int timeout_ms;
    ow_calls_done_fn *done;
    void *context;
    void *argument;
} call_t;

struct _ow_calls_t {
    ow_client_t *client;        // the DEALER, its ids and its checks
    zlistx_t *calls;            // call_t, in the order sent
};

ow_calls_t *
ow_calls_new (const char *endpoint, const char *name)
{
    ow_calls_t *self = ow_calloc (1, sizeof *self);
    self->client = ow_client_new (endpoint, name);
    self->calls = zlistx_new ();
    return self;
}

//  Answers a call with reply (taken over) and forgets it.
static void
finish (call_t *call, Ofwatch__V1__Reply *reply)
{
    ow_calls_done_fn *done = call->done;
    void *context = call->context, *argument = call->argument;
    free (call);
    done (context, argument, reply);
}

//  Answers every waiting call with UNAVAILABLE "<why>".
static void
fail_all (ow_calls_t *self, const char *why)
{
    call_t *call;
    while ((call = zlistx_first (self->calls)) != NULL) {
        zlistx_detach_cur (self->calls);
        finish (call, ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE, "%s", why));
    }
}

void
ow_calls_destroy (ow_calls_t **self_p)
{
    ow_calls_t *self = *self_p;
    if (!self)
        return;
    char *why = ow_printf ("stopped before %s answered", ow_client_name (self->client));
    fail_all (self, why);
    free (why);
    zlistx_destroy (&self->calls);
    ow_client_destroy (&self->client);
    free (self);
    *self_p = NULL;
}

const char *
ow_calls_name (ow_calls_t *self)
{
    return ow_client_name (self->client);
}

bool
ow_calls_send (ow_calls_t *self, Ofwatch__V1__Request *request, int timeout_ms,
               ow_calls_done_fn *done, void *context, void *argument, char **error)
{
    assert (done);
    if (!ow_client_send (self->client, request, error))
        return false;
    call_t *call = ow_calloc (1, sizeof *call);
    call->request_id = request->request_id;
    call->timeout_ms = timeout_ms;
    call->deadline = zclock_mono () + timeout_ms;
    call->done = done;
    call->context = context;
    call->argument = argument;
    zlistx_add_end (self->calls, call);
    return true;
}

size_t
ow_calls_waiting (ow_calls_t *self)
{
    return zlistx_size (self->calls);
}

//  The call a reply answers, detached; NULL for one answered already.
static call_t *
take_call (ow_calls_t *self, uint64_t request_id)
{
    for (call_t *call = zlistx_first (self->calls); call; call = zlistx_next (self->calls))
        if (call->request_id == request_id) {
            zlistx_detach_cur (self->calls);
            return call;
        }
    return NULL;
}

static int
on_reply (zloop_t *loop, zsock_t *socket, void *argument)
{
    ow_calls_t *self = argument;
    //  Everything already arrived, so a burst of answers is one turn.
    do {
        zframe_t *frame = zframe_recv_nowait (socket);
        if (!frame)
            break;
        Ofwatch__V1__Reply *reply = ow_wire_unpack_reply (frame);
        zframe_destroy (&frame);
        call_t *call = reply ? take_call (self, reply->request_id) : NULL;
        if (call)
            finish (call, reply);
        else
            ow_pb_free (&reply);            // late: its caller was told already
    } while (zsock_events (socket) & ZMQ_POLLIN);
    return 0;
}

static int
on_monitor (zloop_t *loop, zsock_t *monitor, void *argument)
{
    ow_calls_t *self = argument;
    if (!ow_security_monitor_refused (monitor) || zlistx_size (self->calls) == 0)
        return 0;
    char *cert = ow_security_client_cert ();
    char *why = ow_printf ("%s refused the client certificate %s: the key is unknown there, "
                           "revoked, or not allowed to use %s", ow_client_name (self->client),
                           cert, ow_client_name (self->client));
    fail_all (self, why);
    free (why);
    free (cert);
    return 0;
}

static int
on_sweep (zloop_t *loop, int timer_id, void *argument)
{
    ow_calls_t *self = argument;
    int64_t now = zclock_mono ();
    //  Detached first, answered after: a done function may send more.
    zlistx_t *expired = zlistx_new ();
    call_t *call = zlistx_first (self->calls);
    while (call) {
        if (call->deadline <= now) {
            zlistx_detach_cur (self->calls);
            zlistx_add_end (expired, call);
            call = zlistx_first (self->calls);      // detaching moved the cursor
            while (call && call->deadline > now)
                call = zlistx_next (self->calls);
        }
        else
            call = zlistx_next (self->calls);
    }
    while ((call = zlistx_first (expired)) != NULL) {
        zlistx_detach_cur (expired);
        char *why = ow_printf ("%s did not answer within %d s", ow_client_name (self->client),
                               (call->timeout_ms + 999) / 1000);
        finish (call, ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE, "%s", why));
        free (why);
    }
    zlistx_destroy (&expired);
    return 0;
}

int
ow_calls_attach (ow_calls_t *self, zloop_t *loop)
{
    if (zloop_reader (loop, ow_client_socket (self->client), on_reply, self) != 0)
        return -1;
    zsock_t *monitor = ow_client_monitor (self->client);
    if (monitor && zloop_reader (loop, monitor, on_monitor, self) != 0)
        return -1;
    return zloop_timer (loop, SWEEP_MS, 0, on_sweep, self) < 0 ? -1 : 0;
}
