/*  write_document — one document and everything extracted from it, in one
    transaction, with the events it causes.

    The document's SHA-256 is its identity: the same bytes again change
    nothing and answer with the ids of the first time. What the document
    says is written by lib/history (hi_write) in a few batched round
    trips, so a records feed of a hundred thousand facts is still one
    transaction of a handful of statements; its events take their seqs
    from the counter row locked at the start, so they stay gapless and in
    commit order.
*/

#include "event_log.h"
#include "hi_write.h"
#include "ow_hash.h"
#include "ow_log.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#include <inttypes.h>

//  What one write has learnt so far.
typedef struct {
    store_t *store;
    const Ofwatch__V1__StoreDocument *request;
    const Ofwatch__V1__Extraction *facts;
    event_batch_t batch;
    char document_id [24];
    Ofwatch__V1__SubmitReply *reply;
    bool failed;
} write_t;

void
store_prepare_writes (store_t *self)
{
    ow_db_statement (self->db, "insert_document",
        "INSERT INTO document (sha256, file_name, media_type, doc_kind, authority,"
        " published_on, submitter, content, text, extraction, source_url)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, nullif ($11, ''))"
        " ON CONFLICT (sha256) DO NOTHING RETURNING id");
    ow_db_statement (self->db, "document_by_sha",
        "SELECT d.id, di.inspection_id"
        " FROM document d LEFT JOIN document_inspection di ON di.document_id = d.id"
        " WHERE d.sha256 = $1 ORDER BY di.inspection_id");
    hi_write_prepare (self->db);
}

static void
add_document_event (write_t *w, const char *sha256)
{
    const Ofwatch__V1__Extraction *facts = w->facts;
    Ofwatch__V1__Event *event = event_batch_new (&w->batch,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DOCUMENT_RECEIVED,
        facts->authority->code, facts->published_on);
    Ofwatch__V1__DocumentReceived *body =
        OW_PB_NEW (Ofwatch__V1__DocumentReceived, ofwatch__v1__document_received__init);
    ow_pb_set_string (&body->sha256, sha256);
    ow_pb_set_string (&body->file, facts->file);
    body->doc_kind = facts->doc_kind;
    ow_pb_set_string (&body->media_type, facts->media_type);
    ow_pb_set_string (&body->submitter, w->request->submitter);
    ow_pb_set_string (&body->source_url, w->request->source_url);
    Ofwatch__V1__Payload *payload = event_payload (event);
    payload->body_case = OFWATCH__V1__PAYLOAD__BODY_DOCUMENT_RECEIVED;
    payload->document_received = body;
}

static bool
insert_document (write_t *w, const char *sha256, bool *duplicate)
{
    const Ofwatch__V1__StoreDocument *request = w->request;
    const Ofwatch__V1__Extraction *facts = w->facts;
    size_t packed_size = protobuf_c_message_get_packed_size (&facts->base);
    uint8_t *packed = ow_malloc (packed_size);
    protobuf_c_message_pack (&facts->base, packed);
    const char *values [] = {
        sha256, facts->file, facts->media_type, ow_doc_kind_word (facts->doc_kind),
        facts->authority->code, hi_param (facts->published_on),
        request->submitter && *request->submitter ? request->submitter : "unknown",
        (const char *) request->content.data, request->text ? request->text : "",
        (const char *) packed, request->source_url ? request->source_url : ""
    };
    int lengths [11] = { 0 };
    int formats [11] = { 0 };
    lengths [7] = (int) request->content.len;
    formats [7] = 1;
    lengths [9] = (int) packed_size;
    formats [9] = 1;
    PGresult *result = ow_db_run_binary (w->store->db, "insert_document", 11, values,
                                         lengths, formats);
    free (packed);
    if (!result) {
        w->failed = true;
        return false;
    }
    *duplicate = PQntuples (result) == 0;
    if (!*duplicate)
        snprintf (w->document_id, sizeof w->document_id, "%s", ow_db_value (result, 0, 0));
    PQclear (result);
    return true;
}

//  The answer for bytes stored before: the same ids, no new events.
static void
answer_duplicate (write_t *w)
{
    const char *values [] = { w->reply->sha256 };
    PGresult *result = ow_db_run (w->store->db, "document_by_sha", 1, values);
    if (!result || PQntuples (result) == 0) {
        PQclear (result);
        w->failed = true;
        return;
    }
    w->reply->duplicate = true;
    w->reply->document_id = strtoll (ow_db_value (result, 0, 0), NULL, 10);
    for (int row = 0; row < PQntuples (result); row++)
        if (ow_db_value (result, row, 1))
            ow_pb_append_int64 (&w->reply->inspection_ids, &w->reply->n_inspection_ids,
                                strtoll (ow_db_value (result, row, 1), NULL, 10));
    PQclear (result);
}

//  A new event of the write's batch, for lib/history.
static Ofwatch__V1__Event *
new_event (void *context, Ofwatch__V1__EventType type, const char *authority,
           const char *occurred_on)
{
    write_t *w = context;
    Ofwatch__V1__Event *event = event_batch_new (&w->batch, type, authority, occurred_on);
    event_payload (event);
    return event;
}

//  What the document says, after its row: lib/history writes it and
//  makes its events in this transaction's batch.
static void
write_facts (write_t *w)
{
    hi_write_t facts = {
        .db = w->store->db, .facts = w->facts, .document_id = w->document_id,
        .sha256 = w->reply->sha256, .event = new_event, .context = w
    };
    if (!hi_write_facts (&facts))
        w->failed = true;
    for (size_t i = 0; i < facts.n_inspection_ids; i++)
        ow_pb_append_int64 (&w->reply->inspection_ids, &w->reply->n_inspection_ids,
                            facts.inspection_ids [i]);
    for (size_t i = 0; i < facts.n_warnings; i++)
        ow_pb_append_string (&w->reply->warnings, &w->reply->n_warnings, facts.warnings [i]);
    hi_write_clear (&facts);
}

static Ofwatch__V1__Reply *
reply_with (write_t *w)
{
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_SUBMIT;
    reply->submit = w->reply;
    w->reply = NULL;
    return reply;
}

static const char *
refusal (store_t *self, const Ofwatch__V1__StoreDocument *request)
{
    const Ofwatch__V1__Extraction *facts = request->extraction;
    if (!facts)
        return "the request holds no extraction";
    if (!facts->authority || !facts->authority->code || !*facts->authority->code)
        return "the extraction names no authority";
    if (!ow_register_find (self->reg, facts->authority->code))
        return "the extraction names an authority the register does not know";
    for (size_t i = 0; i < facts->n_events; i++) {
        const Ofwatch__V1__Authority *own = facts->events [i]->authority;
        if (own && own->code && *own->code && !ow_register_find (self->reg, own->code))
            return "an event of the extraction names an authority the register does not know";
    }
    if (request->content.len == 0)
        return "the document is empty";
    return NULL;
}

Ofwatch__V1__Reply *
store_write_document (store_t *self, const Ofwatch__V1__StoreDocument *request)
{
    const char *refused = refusal (self, request);
    if (refused)
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_REJECTED, "%s", refused);

    write_t w = { .store = self, .request = request, .facts = request->extraction };
    w.reply = OW_PB_NEW (Ofwatch__V1__SubmitReply, ofwatch__v1__submit_reply__init);
    char sha256 [OW_HASH_HEX_SIZE];
    ow_hash_sha256_hex (request->content.data, request->content.len, sha256);
    w.reply->sha256 = ow_strdup (sha256);

    bool duplicate = false;
    if (!ow_db_exec (self->db, "BEGIN"))
        w.failed = true;
    else if (event_batch_open (self, &w.batch) && insert_document (&w, sha256, &duplicate)) {
        if (duplicate)
            answer_duplicate (&w);
        else {
            w.reply->document_id = strtoll (w.document_id, NULL, 10);
            add_document_event (&w, sha256);
            write_facts (&w);
        }
    }
    else
        w.failed = true;

    if (!w.failed && (duplicate || event_batch_write (self, &w.batch))
        && ow_db_exec (self->db, duplicate ? "ROLLBACK" : "COMMIT")) {
        for (size_t i = 0; i < w.batch.count; i++)
            ow_pb_append_uint64 (&w.reply->event_seqs, &w.reply->n_event_seqs,
                                 w.batch.events [i]->seq);
        ow_metrics_count (self->metrics, "ofwatch_documents_stored_total",
                          duplicate ? "duplicate=\"true\"" : "duplicate=\"false\"", 1);
        if (!duplicate)
            ow_info ("stored document", "sha256", sha256, "file", w.facts->file,
                     "authority", w.facts->authority->code);
        store_note_written (self, w.batch.count);
        event_batch_publish (self, &w.batch);
        return reply_with (&w);
    }
    //  Read before ROLLBACK, which reconnects and so forgets the loss.
    bool lost = ow_db_lost (self->db);
    ow_db_exec (self->db, "ROLLBACK");
    event_batch_discard (&w.batch);
    ow_pb_free (&w.reply);
    return ow_wire_error (0, lost ? OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE
                                  : OFWATCH__V1__ERROR__CODE__CODE_INTERNAL,
                          lost ? "PostgreSQL is unreachable; nothing was stored, try again"
                               : "the document could not be stored; nothing was stored");
}
