/*  store — the only writer of PostgreSQL.

    One transaction per request: a document with everything extracted from
    it and the events that causes, or a batch of derived events with the
    deriving consumer's cursor. Events are published on the PUB socket
    only after their transaction has committed, so a subscriber never sees
    an event that could still roll back.
*/
#ifndef STORE_H
#define STORE_H

#include <czmq.h>
#include "ow_config.h"
#include "ow_db.h"
#include "ow_metrics.h"
#include "ow_pb.h"
#include "ow_publisher.h"
#include "ow_register.h"
#include "hi_sql.h"

typedef struct {
    ow_config_t config;
    ow_db_t *db;
    ow_register_t *reg;
    ow_publisher_t *publisher;
    ow_metrics_t *metrics;
    uint64_t events_at_analyze;       // written before the last ANALYZE
    uint64_t events_since_analyze;    // ... and since (statistics.c)
} store_t;

//  migrate.c: applies data/migrations/NNN_*.sql not yet applied.
bool store_migrate (store_t *self);

//  authorities.c: loads the register into the authority table.
bool store_load_authorities (store_t *self);

//  write_document.c
void store_prepare_writes (store_t *self);
Ofwatch__V1__Reply *store_write_document (store_t *self, const Ofwatch__V1__StoreDocument *request);

//  write_derived.c
void store_prepare_derived (store_t *self);
Ofwatch__V1__Reply *store_write_derived (store_t *self, const Ofwatch__V1__DeriveRequest *request);

//  queries.c
Ofwatch__V1__Reply *store_history (store_t *self, const Ofwatch__V1__HistoryQuery *query);
Ofwatch__V1__Reply *store_events_after (store_t *self, const Ofwatch__V1__EventsAfter *query);
Ofwatch__V1__Reply *store_cursor (store_t *self, const Ofwatch__V1__CursorQuery *query);
Ofwatch__V1__Reply *store_health (store_t *self);
void store_prepare_queries (store_t *self);
Ofwatch__V1__Reply *store_unavailable (void);

//  audit.c: refused submissions, and each document's submitter.
void store_prepare_audit (store_t *self);
Ofwatch__V1__Reply *store_record_audit (store_t *self, const Ofwatch__V1__AuditRecord *record);
Ofwatch__V1__Reply *store_audit (store_t *self, const Ofwatch__V1__AuditQuery *query);
Ofwatch__V1__Reply *store_sources (store_t *self, const Ofwatch__V1__SourcesQuery *query);
Ofwatch__V1__Authority *store_authority (const ow_authority_t *authority);

//  statistics.c: after a commit that wrote `events` events; refreshes the
//  planner's statistics when the tables have grown by a quarter.
void store_note_written (store_t *self, size_t events);

#endif
