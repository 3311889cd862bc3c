/*  ofwatch-store — the only writer of PostgreSQL.

    Binds OFWATCH_STORE (ROUTER: writes, history, catch-up, health) and
    OFWATCH_STORE_EVENTS (PUB: committed events), both CURVE: writes come
    only from the services' own keys, queries from them and the
    inspectorate's (ow_rights, checked by ow_server for every request). At
    start it waits for PostgreSQL, applies migrations and loads the
    authority register; then it serves until SIGINT or SIGTERM, finishing
    the request in hand.
*/

#include "event_log.h"
#include "ow_log.h"
#include "ow_service.h"
#include "ow_wire.h"

static Ofwatch__V1__Reply *
handle (void *context, const Ofwatch__V1__Request *request)
{
    store_t *self = context;
    switch (request->body_case) {
        case OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT:
            return store_write_document (self, request->store_document);
        case OFWATCH__V1__REQUEST__BODY_DERIVE:
            return store_write_derived (self, request->derive);
        case OFWATCH__V1__REQUEST__BODY_HISTORY:
            return store_history (self, request->history);
        case OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER:
            return store_events_after (self, request->events_after);
        case OFWATCH__V1__REQUEST__BODY_CURSOR:
            return store_cursor (self, request->cursor);
        case OFWATCH__V1__REQUEST__BODY_HEALTH:
            return store_health (self);
        case OFWATCH__V1__REQUEST__BODY_RECORD_AUDIT:
            return store_record_audit (self, request->record_audit);
        case OFWATCH__V1__REQUEST__BODY_AUDIT:
            return store_audit (self, request->audit);
        case OFWATCH__V1__REQUEST__BODY_SOURCES:
            return store_sources (self, request->sources);
        default:
            return NULL;
    }
}

//  Waits for PostgreSQL, then brings the schema and register up to date.
static bool
prepare_database (store_t *self)
{
    while (!zsys_interrupted && !ow_db_ready (self->db))
        zclock_sleep (1000);
    if (zsys_interrupted)
        return false;
    if (!store_migrate (self) || !store_load_authorities (self)) {
        ow_error ("cannot prepare the database");
        return false;
    }
    event_log_prepare (self);
    store_prepare_writes (self);
    store_prepare_derived (self);
    store_prepare_queries (self);
    store_prepare_audit (self);
    return true;
}

int
main (void)
{
    store_t self = { 0 };
    ow_service_init (&self.config, "store");
    self.reg = ow_service_register (&self.config);
    if (!self.reg)
        return 1;
    self.db = ow_db_new (self.config.pg, "store");
    self.metrics = ow_metrics_new ("store", self.config.metrics_port);
    int rc = 1;
    ow_server_t *server = NULL;
    if (prepare_database (&self)) {
        self.publisher = ow_publisher_new (self.config.store_events, "store");
        if (self.publisher)
            server = ow_server_new (self.config.store, "store", handle, &self);
    }
    if (server) {
        ow_server_set_metrics (server, self.metrics);
        ow_service_serve (server);
        rc = 0;
    }
    ow_server_destroy (&server);
    ow_publisher_destroy (&self.publisher);
    ow_db_destroy (&self.db);
    ow_metrics_destroy (&self.metrics);
    ow_register_destroy (&self.reg);
    return rc;
}
