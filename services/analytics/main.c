/*  ofwatch-analytics — derives events from the histories.

    Binds OFWATCH_ANALYTICS (ROUTER: health and queries); follows store's
    log from its committed cursor (OFWATCH_STORE_EVENTS, catching up
    through OFWATCH_STORE); reads PostgreSQL read-only (OFWATCH_PG).
*/

#include "analytics.h"
#include "ow_cursor.h"
#include "ow_log.h"
#include "ow_service.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#define CONSUMER            "analytics"
//  How far the cursor may run ahead of the committed one when nothing is
//  derived: a restart re-reads at most this many events.
#define CURSOR_SAVE_EVERY   1000

void
analytics_emit (analytics_t *self, const char *dedupe_key, Ofwatch__V1__Event *event)
{
    if (!self->derived) {
        self->derived = OW_PB_NEW (Ofwatch__V1__DeriveRequest, ofwatch__v1__derive_request__init);
        self->derived->consumer = ow_strdup (CONSUMER);
    }
    Ofwatch__V1__DerivedEvent *derived = OW_PB_NEW (Ofwatch__V1__DerivedEvent,
                                                    ofwatch__v1__derived_event__init);
    derived->dedupe_key = ow_strdup (dedupe_key);
    derived->event = event;
    ow_pb_append ((void ***) &self->derived->events, &self->derived->n_events, derived);
}

static void
note_authority (analytics_t *self, const char *authority)
{
    for (size_t i = 0; i < self->n_pending; i++)
        if (strcmp (self->pending [i], authority) == 0)
            return;
    if (self->n_pending < ANALYTICS_MAX_PENDING)
        self->pending [self->n_pending++] = ow_strdup (authority);
}

static void
on_event (void *context, const Ofwatch__V1__Event *event)
{
    analytics_t *self = context;
    if (event->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_RECORDED
        && event->authority && *event->authority)
        note_authority (self, event->authority);
}

//  Sends what was derived, with the cursor, in one store transaction.
static bool
commit (analytics_t *self, uint64_t cursor)
{
    if (!self->derived) {
        self->derived = OW_PB_NEW (Ofwatch__V1__DeriveRequest, ofwatch__v1__derive_request__init);
        self->derived->consumer = ow_strdup (CONSUMER);
    }
    self->derived->cursor = cursor;
    size_t derived = self->derived->n_events;
    if (!ow_cursor_commit (self->store, self->derived))
        return false;
    ow_metrics_count (self->metrics, "ofwatch_events_derived_total", NULL, (double) derived);
    ow_pb_free (&self->derived);
    self->flushed_cursor = cursor;
    return true;
}

static void
on_flush (void *context, uint64_t cursor)
{
    analytics_t *self = context;
    uint64_t last = ow_follower_log_last (self->follower);
    ow_metrics_set (self->metrics, "ofwatch_catchup_lag", NULL,
                    last > cursor ? (double) (last - cursor) : 0);
    //  Derivations that could not be computed (database down) keep their
    //  authority pending for the next flush.
    size_t kept = 0;
    for (size_t i = 0; i < self->n_pending; i++) {
        if (analytics_derive_grades (self, self->pending [i]))
            free (self->pending [i]);
        else
            self->pending [kept++] = self->pending [i];
    }
    self->n_pending = kept;
    bool derived = self->derived && self->derived->n_events > 0;
    if (kept == 0 && (derived || cursor >= self->flushed_cursor + CURSOR_SAVE_EVERY))
        commit (self, cursor);
}

static Ofwatch__V1__Reply *
handle (void *context, const Ofwatch__V1__Request *request)
{
    analytics_t *self = context;
    if (request->body_case != OFWATCH__V1__REQUEST__BODY_HEALTH)
        return NULL;
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_HEALTH;
    reply->health = OW_PB_NEW (Ofwatch__V1__HealthReply, ofwatch__v1__health_reply__init);
    ow_pb_set_string (&reply->health->service, "analytics");
    reply->health->database_ok = ow_db_ready (self->db);
    reply->health->last_seq = ow_follower_cursor (self->follower);
    return reply;
}

int
main (void)
{
    analytics_t self = { 0 };
    ow_service_init (&self.config, "analytics");

    self.db = ow_db_new (self.config.pg, "analytics");
    ow_db_on_connect (self.db, "SET default_transaction_read_only = on");
    analytics_prepare_grades (&self);
    self.store = ow_client_new (self.config.store, "store");
    self.metrics = ow_metrics_new ("analytics", self.config.metrics_port);
    ow_server_t *server = ow_server_new (self.config.analytics, "analytics", handle, &self);
    uint64_t cursor = 0;
    int rc = 1;
    if (server && ow_cursor_load (self.store, CONSUMER, &cursor)) {
        ow_server_set_metrics (server, self.metrics);
        self.flushed_cursor = cursor;
        self.follower = ow_follower_new (self.store, self.config.store_events, cursor, NULL,
                                         on_event, on_flush, &self);
        ow_follower_catch_up (self.follower);
        ow_service_serve (server, self.follower);
        on_flush (&self, ow_follower_cursor (self.follower));
        rc = 0;
    }
    for (size_t i = 0; i < self.n_pending; i++)
        free (self.pending [i]);
    ow_pb_free (&self.derived);
    ow_follower_destroy (&self.follower);
    ow_server_destroy (&server);
    ow_client_destroy (&self.store);
    ow_db_destroy (&self.db);
    ow_metrics_destroy (&self.metrics);
    return rc;
}
