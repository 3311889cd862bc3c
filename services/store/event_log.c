/*  event_log — appending events inside a store transaction; see event_log.h.  */

#include "event_log.h"
#include "ow_log.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#include <inttypes.h>
#include <sys/random.h>
#include <uuid/uuid.h>

void
event_log_prepare (store_t *store)
{
    ow_db_statement (store->db, "lock_counter",
        "SELECT last_seq FROM event_counter FOR UPDATE");
    ow_db_statement (store->db, "move_counter",
        "UPDATE event_counter SET last_seq = $1");
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
    ow_log_timestamp (batch->recorded_at, sizeof batch->recorded_at, 6);
    return true;
}

//  A random (version 4) UUID. The kernel's random bytes are drawn for
//  several ids at once: libuuid's own draw costs a handful of system calls
//  per id, which a document of many facts would pay per event.
static void
random_id (event_batch_t *batch, char id [37])
{
    uint8_t *bytes = batch->random + sizeof batch->random - batch->random_left;
    if (batch->random_left < 16) {
        if (getrandom (batch->random, sizeof batch->random, 0) != sizeof batch->random) {
            uuid_t uuid;
            uuid_generate_random (uuid);
            uuid_unparse_lower (uuid, id);
            return;
        }
        batch->random_left = sizeof batch->random;
        bytes = batch->random;
    }
    batch->random_left -= 16;
    bytes [6] = (uint8_t) ((bytes [6] & 0x0f) | 0x40);     // version 4
    bytes [8] = (uint8_t) ((bytes [8] & 0x3f) | 0x80);     // the RFC 4122 variant
    uuid_unparse_lower (bytes, id);
}

Ofwatch__V1__Event *
event_batch_new (event_batch_t *batch, Ofwatch__V1__EventType type,
                 const char *authority, const char *occurred_on)
{
    Ofwatch__V1__Event *event = OW_PB_NEW (Ofwatch__V1__Event, ofwatch__v1__event__init);
    event->seq = ++batch->last_seq;
    char id [37];
    random_id (batch, id);
    event->id = ow_strdup (id);
    event->type = type;
    ow_pb_set_string (&event->authority, authority);
    ow_pb_set_string (&event->occurred_on, occurred_on);
    event->recorded_at = ow_strdup (batch->recorded_at);
    //  events and keys grow together, doubling, so a document of a
    //  hundred thousand facts costs no more per event than one of ten.
    if (batch->count == batch->capacity) {
        size_t capacity = batch->capacity ? batch->capacity * 2 : 16;
        Ofwatch__V1__Event **events = realloc (batch->events, capacity * sizeof *events);
        char **keys = realloc (batch->keys, capacity * sizeof *keys);
        assert (events && keys);
        batch->events = events;
        batch->keys = keys;
        batch->capacity = capacity;
    }
    batch->events [batch->count] = event;
    batch->keys [batch->count] = NULL;
    batch->count++;
    return event;
}

void
event_batch_set_key (event_batch_t *batch, const char *dedupe_key)
{
    assert (batch->count > 0);
    free (batch->keys [batch->count - 1]);
    batch->keys [batch->count - 1] = ow_strdup (dedupe_key);
}

//  One COPY for the whole batch: a round trip or two however many events
//  a document causes.
static bool
insert_events (store_t *store, event_batch_t *batch)
{
    hi_copy_t *copy = hi_copy_begin (store->db, "COPY event (seq, id, type, authority, theme,"
        " occurred_on, recorded_at, dedupe_key, body) FROM STDIN");
    if (!copy)
        return false;
    uint8_t *packed = NULL;
    size_t capacity = 0;
    for (size_t i = 0; i < batch->count; i++) {
        const Ofwatch__V1__Event *event = batch->events [i];
        size_t size = protobuf_c_message_get_packed_size (&event->base);
        if (size > capacity) {
            capacity = size * 2;
            free (packed);
            packed = ow_malloc (capacity);
        }
        protobuf_c_message_pack (&event->base, packed);
        hi_copy_int (copy, (int64_t) event->seq);
        hi_copy_text (copy, event->id);
        hi_copy_text (copy, ow_event_type_word (event->type));
        hi_copy_text (copy, hi_param (event->authority));
        hi_copy_text (copy, ow_theme_word (event->theme));
        hi_copy_text (copy, hi_param (event->occurred_on));
        hi_copy_text (copy, event->recorded_at);
        hi_copy_text (copy, batch->keys [i]);
        hi_copy_bytea (copy, packed, size);
        hi_copy_end_row (copy);
    }
    free (packed);
    return hi_copy_end (&copy);
}

bool
event_batch_write (store_t *store, event_batch_t *batch)
{
    if (batch->count == 0)
        return true;
    if (!insert_events (store, batch))
        return false;
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
        if (ow_publisher_send (store->publisher, batch->events [i]) != 0)
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
