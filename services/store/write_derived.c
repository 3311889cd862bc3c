/*  write_derived — events that analytics derives, stored once per cause.

    Each derived event carries a dedupe key naming its cause (for example
    the two inspections whose grades differ). The events and the consumer's
    new cursor commit together, so a consumer that dies mid-way and starts
    again from its cursor re-derives the same events and they are dropped
    here: each cause yields exactly one event.
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

static bool
add_events (store_t *self, event_batch_t *batch, const Ofwatch__V1__DeriveRequest *request)
{
    bool failed = false;
    for (size_t i = 0; i < request->n_events && !failed; i++) {
        const Ofwatch__V1__DerivedEvent *derived = request->events [i];
        if (!derived->event || !derived->dedupe_key || !*derived->dedupe_key)
            continue;
        if (event_log_has_key (self, derived->dedupe_key, &failed) || failed)
            continue;
        Ofwatch__V1__Event *event = event_batch_new (batch, derived->event->type, NULL, NULL);
        adopt (event, derived->event);
        event_batch_set_key (batch, derived->dedupe_key);
    }
    return !failed;
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
    event_batch_publish (self, &batch);
    return reply;
}
