/*  write_derived — events that analytics derives, stored once per cause.

    Each derived event carries a dedupe key naming its cause (for example
    the two inspections whose grades differ). The events and the consumer's
    new cursor commit together, so a consumer that dies mid-way and starts
    again from its cursor re-derives the same events and they are dropped
    here: each cause yields exactly one event. The keys of a request are
    looked up in one query and its events written with one COPY, however
    many a burst of history makes analytics derive.
*/

#include "event_log.h"
#include "ow_log.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#include <inttypes.h>

void
store_prepare_derived (store_t *self)
{
    ow_db_statement (self->db, "move_cursor",
        "INSERT INTO consumer_cursor VALUES ($1, $2) ON CONFLICT (consumer)"
        " DO UPDATE SET seq = greatest (consumer_cursor.seq, excluded.seq)");
}

//  Copies the caller's event into the batch, keeping what store decides
//  (seq, id, recorded_at) from the batch's new event.
static void
adopt (Ofwatch__V1__Event *into, const Ofwatch__V1__Event *from)
{
    into->type = from->type;
    ow_pb_set_string (&into->authority, from->authority);
    into->theme = from->theme;
    ow_pb_set_string (&into->occurred_on, from->occurred_on);
    if (from->payload)
        into->payload = ow_pb_copy (&from->payload->base);
}

//  The request's dedupe keys already in the log, looked up in one query:
//  a set (values unused). NULL on a database error.
static zhashx_t *
keys_in_log (store_t *self, const Ofwatch__V1__DeriveRequest *request)
{
    zhashx_t *found = zhashx_new ();
    if (request->n_events == 0)
        return found;
    hi_array_t *keys = hi_array_new ();
    for (size_t i = 0; i < request->n_events; i++)
        hi_array_add (keys, request->events [i]->dedupe_key);
    const char *values [] = { hi_array_text (keys) };
    PGresult *result = hi_query (self->db, "SELECT e.dedupe_key FROM unnest ($1::text[])"
                                         " AS u (key) JOIN event e ON e.dedupe_key = u.key"
                                         " WHERE e.dedupe_key IS NOT NULL",  // the partial index
                                         1, values);
    hi_array_destroy (&keys);
    if (!result) {
        zhashx_destroy (&found);
        return NULL;
    }
    for (int row = 0; row < PQntuples (result); row++)
        zhashx_insert (found, ow_db_value (result, row, 0), found);
    PQclear (result);
    return found;
}

//  Adds each event whose cause is not in the log yet, nor earlier in this
//  request, so every cause yields one event.
static bool
add_events (store_t *self, event_batch_t *batch, const Ofwatch__V1__DeriveRequest *request)
{
    zhashx_t *seen = keys_in_log (self, request);
    if (!seen)
        return false;
    for (size_t i = 0; i < request->n_events; i++) {
        const Ofwatch__V1__DerivedEvent *derived = request->events [i];
        if (zhashx_insert (seen, derived->dedupe_key, seen) != 0)
            continue;
        Ofwatch__V1__Event *event = event_batch_new (batch, derived->event->type, NULL, NULL);
        adopt (event, derived->event);
        event_batch_set_key (batch, derived->dedupe_key);
    }
    zhashx_destroy (&seen);
    return true;
}

static const char *
refusal (const Ofwatch__V1__DeriveRequest *request)
{
    if (!request->consumer || !*request->consumer)
        return "a derive request must name its consumer";
    for (size_t i = 0; i < request->n_events; i++) {
        const Ofwatch__V1__DerivedEvent *derived = request->events [i];
        if (!derived->event || !derived->dedupe_key || !*derived->dedupe_key)
            return "every derived event needs an event and a dedupe key";
        if (!ow_event_type_word (derived->event->type))
            return "a derived event has no known type";
    }
    return NULL;
}

Ofwatch__V1__Reply *
store_write_derived (store_t *self, const Ofwatch__V1__DeriveRequest *request)
{
    const char *refused = refusal (request);
    if (refused)
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST, "%s", refused);
    event_batch_t batch = { 0 };
    char cursor [24];
    snprintf (cursor, sizeof cursor, "%" PRIu64, request->cursor);
    const char *values [] = { request->consumer, cursor };
    PGresult *moved = NULL;
    bool ok = ow_db_exec (self->db, "BEGIN")
           && event_batch_open (self, &batch)
           && add_events (self, &batch, request)
           && event_batch_write (self, &batch)
           && (moved = ow_db_run (self->db, "move_cursor", 2, values)) != NULL
           && ow_db_exec (self->db, "COMMIT");
    PQclear (moved);
    if (!ok) {
        ow_db_exec (self->db, "ROLLBACK");
        event_batch_discard (&batch);
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                              "derived events could not be stored; nothing was stored");
    }
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_DERIVE;
    reply->derive = OW_PB_NEW (Ofwatch__V1__DeriveReply, ofwatch__v1__derive_reply__init);
    for (size_t i = 0; i < batch.count; i++)
        ow_pb_append_uint64 (&reply->derive->event_seqs, &reply->derive->n_event_seqs,
                             batch.events [i]->seq);
    store_note_written (self, batch.count);
    event_batch_publish (self, &batch);
    return reply;
}
