/*  event_log — appending events inside a store transaction; see event_log.h.  */

#include "event_log.h"
#include "ow_log.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#include <inttypes.h>
#include <uuid/uuid.h>

void
event_log_prepare (store_t *store)
{
    ow_db_statement (store->db, "lock_counter",
        "SELECT last_seq FROM event_counter FOR UPDATE");
    ow_db_statement (store->db, "move_counter",
        "UPDATE event_counter SET last_seq = $1");
    ow_db_statement (store->db, "insert_event",
        "INSERT INTO event (seq, id, type, authority, theme, occurred_on, recorded_at,"
        " dedupe_key, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    ow_db_statement (store->db, "event_key_exists",
        "SELECT 1 FROM event WHERE dedupe_key = $1");
}

bool
event_batch_open (store_t *store, event_batch_t *batch)
{
    memset (batch, 0, sizeof *batch);
    PGresult *result = ow_db_run (store->db, "lock_counter", 0, NULL);
    if (!result)
        return false;
    batch->last_seq = strtoull (ow_db_value (result, 0, 0), NULL, 10);
    PQclear (result);
    return true;
}

static char *
now_rfc3339 (void)
{
    char stamp [40];
    ow_log_timestamp (stamp, sizeof stamp, 6);
    return ow_strdup (stamp);
}

Ofwatch__V1__Event *
event_batch_new (event_batch_t *batch, Ofwatch__V1__EventType type,
                 const char *authority, const char *occurred_on)
{
    Ofwatch__V1__Event *event = OW_PB_NEW (Ofwatch__V1__Event, ofwatch__v1__event__init);
    event->seq = ++batch->last_seq;
    uuid_t uuid;
    uuid_generate_random (uuid);
    char id [37];
    uuid_unparse_lower (uuid, id);
    event->id = ow_strdup (id);
    event->type = type;
    ow_pb_set_string (&event->authority, authority);
    ow_pb_set_string (&event->occurred_on, occurred_on);
    event->recorded_at = now_rfc3339 ();
    //  keys grows in step with events: one slot per event.
    char **keys = realloc (batch->keys, (batch->count + 1) * sizeof (char *));
    assert (keys);
    keys [batch->count] = NULL;
    batch->keys = keys;
    ow_pb_append ((void ***) &batch->events, &batch->count, event);
    return event;
}

void
event_batch_set_key (event_batch_t *batch, const char *dedupe_key)
{
    assert (batch->count > 0);
    free (batch->keys [batch->count - 1]);
    batch->keys [batch->count - 1] = ow_strdup (dedupe_key);
}

bool
event_log_has_key (store_t *store, const char *dedupe_key, bool *failed)
{
    const char *values [] = { dedupe_key };
    PGresult *result = ow_db_run (store->db, "event_key_exists", 1, values);
    if (!result) {
        *failed = true;
        return false;
    }
    bool exists = PQntuples (result) > 0;
    PQclear (result);
    return exists;
}

static bool
insert_event (store_t *store, const Ofwatch__V1__Event *event, const char *dedupe_key)
{
    char seq [24];
    snprintf (seq, sizeof seq, "%" PRIu64, event->seq);
    zframe_t *body = ow_wire_pack (&event->base);
    const char *values [] = {
        seq, event->id, ow_event_type_word (event->type),
        store_date_param (event->authority), ow_theme_word (event->theme),
        store_date_param (event->occurred_on), event->recorded_at, dedupe_key,
        (const char *) zframe_data (body)
    };
    int lengths [9] = { 0 };
    int formats [9] = { 0 };
    lengths [8] = (int) zframe_size (body);
    formats [8] = 1;
    PGresult *result = ow_db_run_binary (store->db, "insert_event", 9, values, lengths, formats);
    zframe_destroy (&body);
    PQclear (result);
    return result != NULL;
}

bool
event_batch_write (store_t *store, event_batch_t *batch)
{
    for (size_t i = 0; i < batch->count; i++)
        if (!insert_event (store, batch->events [i], batch->keys [i]))
            return false;
    if (batch->count == 0)
        return true;
    char last [24];
    snprintf (last, sizeof last, "%" PRIu64, batch->last_seq);
    const char *values [] = { last };
    PGresult *result = ow_db_run (store->db, "move_counter", 1, values);
    PQclear (result);
    return result != NULL;
}

void
event_batch_discard (event_batch_t *batch)
{
    for (size_t i = 0; i < batch->count; i++) {
        ow_pb_free (&batch->events [i]);
        free (batch->keys [i]);
    }
    free (batch->events);
    free (batch->keys);
    memset (batch, 0, sizeof *batch);
}

void
event_batch_publish (store_t *store, event_batch_t *batch)
{
    for (size_t i = 0; i < batch->count; i++)
        if (ow_wire_publish (store->publisher, batch->events [i]) != 0)
            ow_warn ("could not publish an event; subscribers will catch up by seq");
        else
            ow_metrics_count (store->metrics, "ofwatch_events_published_total", NULL, 1);
    event_batch_discard (batch);
}

Ofwatch__V1__Payload *
event_payload (Ofwatch__V1__Event *event)
{
    if (!event->payload)
        event->payload = OW_PB_NEW (Ofwatch__V1__Payload, ofwatch__v1__payload__init);
    return event->payload;
}
