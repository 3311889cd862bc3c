/*  replay — events after a seq, answered from store's log without holding
    up notify's reactor.

    notify keeps no copy of the log: a replay request is passed on to
    store and store's page is the answer. Waiting for store on the reactor
    would stop publishing for as long as a page takes (or, store being
    down, for the whole timeout), so the request is deferred
    (ow_server_defer) and passed on with ow_calls: it is answered when
    store's page comes back, or with UNAVAILABLE after TIMEOUT_MS.
*/

#include "notify.h"
#include "ow_calls.h"
#include "ow_log.h"
#include "ow_wire.h"

//  Shorter than a replay client's own timeout, so it hears why.
#define TIMEOUT_MS     4000
#define MAX_WAITING    1000

struct _replay_t {
    ow_server_t *server;             // borrowed: whom to answer through
    ow_calls_t *store;
};

replay_t *
replay_new (const char *store_endpoint, ow_server_t *server)
{
    replay_t *self = ow_calloc (1, sizeof *self);
    self->server = server;
    self->store = ow_calls_new (store_endpoint, "store");
    return self;
}

void
replay_destroy (replay_t **self_p)
{
    replay_t *self = *self_p;
    if (self) {
        //  Replays still waiting are answered "stopped before store answered".
        ow_calls_destroy (&self->store);
        free (self);
        *self_p = NULL;
    }
}

//  Store's page (or why there is none) answers the replay.
static void
answered (void *context, void *argument, Ofwatch__V1__Reply *reply)
{
    replay_t *self = context;
    ow_server_pending_t *pending = argument;
    if (reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR
        && reply->error->code == OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE
        && !strstr (reply->error->message, "try again")) {
        char *message = ow_printf ("notify cannot replay: %s; try again",
                                   reply->error->message);
        free (reply->error->message);
        reply->error->message = message;
    }
    ow_server_answer (self->server, &pending, reply);
}

Ofwatch__V1__Reply *
replay_forward (replay_t *self, const Ofwatch__V1__EventsAfter *query)
{
    if (ow_calls_waiting (self->store) >= MAX_WAITING)
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                              "notify has %d replays waiting for store; try again", MAX_WAITING);
    Ofwatch__V1__Request forward = OFWATCH__V1__REQUEST__INIT;
    forward.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    forward.events_after = (Ofwatch__V1__EventsAfter *) query;
    char *error = NULL;
    ow_server_pending_t *pending = ow_server_defer (self->server);
    if (ow_calls_send (self->store, &forward, TIMEOUT_MS, answered, self, pending, &error))
        return OW_SERVER_LATER;
    ow_server_answer (self->server, &pending,
                      ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                                     "notify cannot reach store: %s; try again", error));
    free (error);
    return OW_SERVER_LATER;
}

int
replay_attach (replay_t *self, zloop_t *loop)
{
    return ow_calls_attach (self->store, loop);
}
