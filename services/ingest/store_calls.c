/*  store_calls — documents sent to store, waiting for its commit.

    ingest's reactor never waits on store: a document's StoreDocument is
    sent on a DEALER of its own and the submitter is answered when store's
    reply arrives, matched by request id, so submissions, health checks
    and the workers' answers go on being served while store writes a big
    feed or restarts. A document store has not answered within
    STORE_TIMEOUT_MS is answered "try again" (the same bytes are the same
    document, so a retry never stores it twice); a reply arriving after
    that is dropped. The socket is never reopened: ZeroMQ reconnects to a
    restarted store by itself, and requests lost with the old connection
    simply time out.
*/

#include "ingest.h"
#include "ow_log.h"
#include "ow_wire.h"

//  Store commits a document in well under a second; this bounds how long
//  a submitter waits when store is down or restarting.
#define STORE_TIMEOUT_MS 30000
#define SWEEP_MS         1000

typedef struct {
    uint64_t request_id;
    int64_t deadline;           // monotonic ms
    void *job;
} call_t;

struct _ingest_store_calls_t {
    ow_client_t *client;
    zlistx_t *calls;            // call_t, oldest first
    ingest_store_done_fn *done;
    void *context;
};

ingest_store_calls_t *
ingest_store_calls_new (const char *endpoint, ingest_store_done_fn *done, void *context)
{
    ingest_store_calls_t *self = ow_calloc (1, sizeof *self);
    self->client = ow_client_new (endpoint, "store");
    self->calls = zlistx_new ();
    self->done = done;
    self->context = context;
    return self;
}

//  Answers a call with reply (taken over) and forgets it.
static void
finish (ingest_store_calls_t *self, call_t *call, Ofwatch__V1__Reply *reply)
{
    void *job = call->job;
    free (call);
    self->done (self->context, job, reply);
}

static Ofwatch__V1__Reply *
unavailable (const char *why)
{
    return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                          "%s; the document was not acknowledged, try again", why);
}

void
ingest_store_calls_destroy (ingest_store_calls_t **self_p)
{
    ingest_store_calls_t *self = *self_p;
    if (!self)
        return;
    call_t *call;
    while ((call = zlistx_first (self->calls)) != NULL) {
        zlistx_detach_cur (self->calls);
        finish (self, call, unavailable ("ingest stopped before store answered"));
    }
    zlistx_destroy (&self->calls);
    ow_client_destroy (&self->client);
    free (self);
    *self_p = NULL;
}

bool
ingest_store_calls_send (ingest_store_calls_t *self, Ofwatch__V1__StoreDocument *document,
                         void *job, char **error)
{
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT;
    request.store_document = document;
    if (!ow_client_send (self->client, &request, error))
        return false;
    call_t *call = ow_calloc (1, sizeof *call);
    call->request_id = request.request_id;
    call->deadline = zclock_mono () + STORE_TIMEOUT_MS;
    call->job = job;
    zlistx_add_end (self->calls, call);
    return true;
}

size_t
ingest_store_calls_waiting (ingest_store_calls_t *self)
{
    return zlistx_size (self->calls);
}

//  The call a reply answers, detached from the list; NULL for a reply to
//  a call already answered "try again".
static call_t *
take_call (ingest_store_calls_t *self, uint64_t request_id)
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
    ingest_store_calls_t *self = argument;
    //  Everything already arrived, so a burst of commits is one turn.
    do {
        zframe_t *frame = zframe_recv (socket);
        if (!frame)
            break;
        Ofwatch__V1__Reply *reply = ow_wire_unpack_reply (frame);
        zframe_destroy (&frame);
        call_t *call = reply ? take_call (self, reply->request_id) : NULL;
        if (call)
            finish (self, call, reply);
        else {
            ow_warn ("dropped a reply from store that no document waits for");
            ow_pb_free (&reply);
        }
    } while (zsock_events (socket) & ZMQ_POLLIN);
    return 0;
}

//  Calls are sent, and so time out, in order: the oldest come first.
static int
on_sweep (zloop_t *loop, int timer_id, void *argument)
{
    ingest_store_calls_t *self = argument;
    int64_t now = zclock_mono ();
    call_t *call;
    while ((call = zlistx_first (self->calls)) != NULL && call->deadline <= now) {
        zlistx_detach_cur (self->calls);
        ow_warn ("store did not answer for a document in time");
        char *why = ow_printf ("store did not answer within %d s", STORE_TIMEOUT_MS / 1000);
        finish (self, call, unavailable (why));
        free (why);
    }
    return 0;
}

int
ingest_store_calls_attach (ingest_store_calls_t *self, zloop_t *loop)
{
    if (zloop_reader (loop, ow_client_socket (self->client), on_reply, self) != 0)
        return -1;
    return zloop_timer (loop, SWEEP_MS, 0, on_sweep, self) < 0 ? -1 : 0;
}
