/*  analytics — what the histories mean, derived from the event log.

    Follows store's log (ow_follower), reads the histories from PostgreSQL
    read-only, and writes what it derives back through store, each derived
    event with a dedupe key naming its cause and committed together with
    analytics' cursor: a restart re-derives nothing twice.
*/
#ifndef ANALYTICS_H
#define ANALYTICS_H

#include "ow_client.h"
#include "ow_config.h"
#include "ow_db.h"
#include "ow_follower.h"
#include "ow_metrics.h"
#include "ow_pb.h"

//  Authorities whose judgements changed since the last flush.
#define ANALYTICS_MAX_PENDING 256

typedef struct {
    ow_config_t config;
    ow_db_t *db;                    // read-only
    ow_client_t *store;
    ow_follower_t *follower;
    ow_metrics_t *metrics;
    char *pending [ANALYTICS_MAX_PENDING];
    size_t n_pending;
    uint64_t flushed_cursor;
    //  Derived events waiting for the next flush.
    Ofwatch__V1__DeriveRequest *derived;
} analytics_t;

//  grades.c: judgement.changed and status.changed for one authority.
void analytics_prepare_grades (analytics_t *self);
bool analytics_derive_grades (analytics_t *self, const char *authority);

//  Adds a derived event to the next flush; takes ownership of event.
void analytics_emit (analytics_t *self, const char *dedupe_key, Ofwatch__V1__Event *event);

#endif
