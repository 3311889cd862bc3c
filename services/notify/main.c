/*  ofwatch-notify — the edge where downstream systems hear events.

    Binds OFWATCH_NOTIFY_PUB (PUB: [topic][Event], topic
    type.authority[.theme], so a SUB prefix picks a type, a type and an
    authority, or narrower) and OFWATCH_NOTIFY_REPLAY (ROUTER: events
    after a seq with a filter, and health). It follows store's log from
    its committed cursor, so events that arrived while notify was down are
    published when it returns, in seq order.
*/

#include "ow_client.h"
#include "ow_config.h"
#include "ow_cursor.h"
#include "ow_follower.h"
#include "ow_log.h"
#include "ow_service.h"
#include "ow_wire.h"

#define CONSUMER "notify"
//  The cursor is committed at most this often (ms) or every this many
//  events: after a crash at most that much is published again, and
//  subscribers drop repeats by seq.
#define CURSOR_SAVE_MS     1000
#define CURSOR_SAVE_EVERY  1000

typedef struct {
    ow_config_t config;
    ow_client_t *store;
    ow_follower_t *follower;
    zsock_t *publisher;
    ow_metrics_t *metrics;
    uint64_t saved_cursor;
    int64_t saved_at;
} notify_t;

static void
on_event (void *context, const Ofwatch__V1__Event *event)
{
    notify_t *self = context;
    if (ow_wire_publish (self->publisher, event) != 0)
        ow_warn ("could not publish an event");
    else
        ow_metrics_count (self->metrics, "ofwatch_events_published_total", NULL, 1);
}

static void
save_cursor (notify_t *self, uint64_t cursor, bool now)
{
    if (cursor <= self->saved_cursor)
        return;
    bool due = now || cursor >= self->saved_cursor + CURSOR_SAVE_EVERY
            || zclock_mono () - self->saved_at >= CURSOR_SAVE_MS;
    if (!due)
        return;
    Ofwatch__V1__DeriveRequest request = OFWATCH__V1__DERIVE_REQUEST__INIT;
    request.consumer = (char *) CONSUMER;
    request.cursor = cursor;
    if (ow_cursor_commit (self->store, &request)) {
        self->saved_cursor = cursor;
        self->saved_at = zclock_mono ();
    }
}

static void
on_flush (void *context, uint64_t cursor)
{
    notify_t *self = context;
    uint64_t last = ow_follower_log_last (self->follower);
    ow_metrics_set (self->metrics, "ofwatch_catchup_lag", NULL,
                    last > cursor ? (double) (last - cursor) : 0);
    save_cursor (self, cursor, false);
}

static Ofwatch__V1__Reply *
health (notify_t *self)
{
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_HEALTH;
    reply->health = OW_PB_NEW (Ofwatch__V1__HealthReply, ofwatch__v1__health_reply__init);
    ow_pb_set_string (&reply->health->service, "notify");
    reply->health->database_ok = true;
    reply->health->last_seq = ow_follower_cursor (self->follower);
    return reply;
}

//  Replay is answered from store's log: notify holds no copy of it.
static Ofwatch__V1__Reply *
replay (notify_t *self, const Ofwatch__V1__Request *request)
{
    Ofwatch__V1__Request forward = OFWATCH__V1__REQUEST__INIT;
    forward.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    forward.events_after = request->events_after;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (self->store, &forward, 10000, &error);
    if (!reply) {
        reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE, "%s", error);
        free (error);
    }
    return reply;
}

static Ofwatch__V1__Reply *
handle (void *context, const Ofwatch__V1__Request *request)
{
    notify_t *self = context;
    switch (request->body_case) {
        case OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER:
            return replay (self, request);
        case OFWATCH__V1__REQUEST__BODY_HEALTH:
            return health (self);
        default:
            return NULL;
    }
}

int
main (void)
{
    notify_t self = { 0 };
    ow_service_init (&self.config, "notify");

    self.store = ow_client_new (self.config.store, "store");
    self.metrics = ow_metrics_new ("notify", self.config.metrics_port);
    self.publisher = zsock_new (ZMQ_PUB);
    zsock_set_sndhwm (self.publisher, 1000000);
    int rc = 1;
    ow_server_t *server = NULL;
    if (zsock_bind (self.publisher, "%s", self.config.notify_pub) < 0)
        ow_error ("cannot bind", "endpoint", self.config.notify_pub);
    else
        server = ow_server_new (self.config.notify_replay, "notify", handle, &self);
    uint64_t cursor = 0;
    if (server && ow_cursor_load (self.store, CONSUMER, &cursor)) {
        ow_info ("publishing events", "endpoint", self.config.notify_pub);
        ow_server_set_metrics (server, self.metrics);
        self.saved_cursor = cursor;
        self.saved_at = zclock_mono ();
        self.follower = ow_follower_new (self.store, self.config.store_events, cursor, NULL,
                                         on_event, on_flush, &self);
        //  The follower's quiet timer flushes every second, which also
        //  saves the cursor when events have stopped coming.
        ow_follower_catch_up (self.follower);
        ow_service_serve (server, self.follower);
        save_cursor (&self, ow_follower_cursor (self.follower), true);
        rc = 0;
    }
    ow_follower_destroy (&self.follower);
    ow_server_destroy (&server);
    zsock_destroy (&self.publisher);
    ow_client_destroy (&self.store);
    ow_metrics_destroy (&self.metrics);
    return rc;
}
