/*  replay — events after a seq, answered from store's log without holding
    up notify's reactor.

    notify keeps no copy of the log: a replay request is passed on to
    store and store's page is the answer. Waiting for store on the reactor
    would stop publishing for as long as a page takes (or, store being
    down, for the whole timeout), so the request is deferred
    (ow_server_defer), sent on a DEALER of its own with an id of ours, and
    answered when store's reply with that id comes back, or with
    UNAVAILABLE after TIMEOUT_MS. A late reply finds nothing waiting and
    is dropped.
*/

#include "notify.h"
#include "ow_log.h"
#include "ow_security.h"
#include "ow_wire.h"

//  Shorter than a replay client's own timeout, so it hears why.
#define TIMEOUT_MS     4000
#define MAX_WAITING    1000
#define SWEEP_MS       250

typedef struct {
    uint64_t id;                     // our request_id towards store
    int64_t deadline;                // monotonic ms
    ow_server_pending_t *pending;
} waiting_t;

struct _replay_t {
    ow_server_t *server;             // borrowed: whom to answer through
    zsock_t *store;                  // DEALER to store's ROUTER
    char *problem;                   // why no request can be sent, if so
    uint64_t next_id;
    waiting_t *waiting;
    size_t n_waiting;
};

replay_t *
replay_new (const char *store_endpoint, ow_server_t *server)
{
    replay_t *self = ow_calloc (1, sizeof *self);
    self->server = server;
    self->next_id = (uint64_t) zclock_time () << 16;
    self->store = zsock_new (ZMQ_DEALER);
    assert (self->store);
    zsock_set_linger (self->store, 0);
    ow_security_client (self->store, "store", &self->problem);
    zsock_connect (self->store, "%s", store_endpoint);
    return self;
}

static void
answer_unavailable (replay_t *self, ow_server_pending_t **pending, const char *why)
{
    ow_server_answer (self->server, pending,
                      ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE, "%s", why));
}

void
replay_destroy (replay_t **self_p)
{
    replay_t *self = *self_p;
    if (self) {
        for (size_t i = 0; i < self->n_waiting; i++)
            answer_unavailable (self, &self->waiting [i].pending, "notify is stopping");
        free (self->waiting);
        zsock_destroy (&self->store);
        free (self->problem);
        free (self);
        *self_p = NULL;
    }
}

Ofwatch__V1__Reply *
replay_forward (replay_t *self, const Ofwatch__V1__EventsAfter *query)
{
    if (self->problem)
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE, "%s", self->problem);
    if (self->n_waiting == MAX_WAITING)
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                              "notify has %d replays waiting for store; try again", MAX_WAITING);
    Ofwatch__V1__Request forward = OFWATCH__V1__REQUEST__INIT;
    forward.request_id = ++self->next_id;
    forward.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    forward.events_after = (Ofwatch__V1__EventsAfter *) query;
    zframe_t *frame = ow_wire_pack (&forward.base);
    if (zmq_send (zsock_resolve (self->store), zframe_data (frame), zframe_size (frame),
                  ZMQ_DONTWAIT) < 0) {
        zframe_destroy (&frame);
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                              "notify cannot reach store; try again");
    }
    zframe_destroy (&frame);
    waiting_t *grown = realloc (self->waiting, (self->n_waiting + 1) * sizeof *grown);
    assert (grown);
    self->waiting = grown;
    self->waiting [self->n_waiting++] = (waiting_t) {
        .id = forward.request_id,
        .deadline = zclock_mono () + TIMEOUT_MS,
        .pending = ow_server_defer (self->server),
    };
    return OW_SERVER_LATER;
}

//  Takes waiting entry i out of the list, keeping the others' order.
static ow_server_pending_t *
take (replay_t *self, size_t i)
{
    ow_server_pending_t *pending = self->waiting [i].pending;
    memmove (&self->waiting [i], &self->waiting [i + 1],
             (self->n_waiting - i - 1) * sizeof (waiting_t));
    self->n_waiting--;
    return pending;
}

static int
on_store (zloop_t *loop, zsock_t *socket, void *argument)
{
    replay_t *self = argument;
    zframe_t *frame = zframe_recv (socket);
    Ofwatch__V1__Reply *reply = frame ? ow_wire_unpack_reply (frame) : NULL;
    zframe_destroy (&frame);
    for (size_t i = 0; reply && i < self->n_waiting; i++)
        if (self->waiting [i].id == reply->request_id) {
            ow_server_pending_t *pending = take (self, i);
            ow_server_answer (self->server, &pending, reply);
            return 0;
        }
    ow_pb_free (&reply);            // late: its client was told already
    return 0;
}

static int
on_sweep (zloop_t *loop, int timer_id, void *argument)
{
    replay_t *self = argument;
    int64_t now = zclock_mono ();
    //  Entries are in the order they were sent, so the oldest come first.
    while (self->n_waiting > 0 && self->waiting [0].deadline <= now) {
        ow_server_pending_t *pending = take (self, 0);
        char why [80];
        snprintf (why, sizeof why, "store did not answer notify within %d s; try again",
                  TIMEOUT_MS / 1000);
        answer_unavailable (self, &pending, why);
    }
    return 0;
}

int
replay_attach (replay_t *self, zloop_t *loop)
{
    if (zloop_reader (loop, self->store, on_store, self) != 0)
        return -1;
    return zloop_timer (loop, SWEEP_MS, 0, on_sweep, self) < 0 ? -1 : 0;
}
