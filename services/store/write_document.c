/*  write_document — one document and everything extracted from it, in one
    transaction, with the events it causes.

    The document's SHA-256 is its identity: the same bytes again change
    nothing and answer with the ids of the first time. An inspection is
    identified independently of the document (see inspection_identity), so
    an Ofsted report and a council paper reporting the same inspection meet
    in one row; a judgement that a later document grades differently is a
    conflict.detected event, never a silent overwrite.
*/

#include "event_log.h"
#include "ow_hash.h"
#include "ow_log.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#include <inttypes.h>

void
store_prepare_writes (store_t *self)
{
    ow_db_statement (self->db, "insert_document",
        "INSERT INTO document (sha256, file_name, media_type, doc_kind, authority,"
        " published_on, submitter, content, text, extraction)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (sha256) DO NOTHING RETURNING id");
    ow_db_statement (self->db, "document_by_sha",
        "SELECT d.id, coalesce (array_agg (di.inspection_id ORDER BY di.inspection_id)"
        "   FILTER (WHERE di.inspection_id IS NOT NULL), '{}')"
        " FROM document d LEFT JOIN document_inspection di ON di.document_id = d.id"
        " WHERE d.sha256 = $1 GROUP BY d.id");
    ow_db_statement (self->db, "inspection_by_identity",
        "SELECT id FROM inspection WHERE identity = $1");
    ow_db_statement (self->db, "insert_inspection",
        "INSERT INTO inspection (identity, authority, kind, start_date, end_date,"
        " published_on, visit_number, lead_inspector, inspectors, inadequate_since,"
        " document_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id");
    ow_db_statement (self->db, "link_document_inspection",
        "INSERT INTO document_inspection VALUES ($1, $2) ON CONFLICT DO NOTHING");
    ow_db_statement (self->db, "judgement_grade",
        "SELECT grade FROM judgement WHERE inspection_id = $1 AND area = $2");
    ow_db_statement (self->db, "insert_judgement",
        "INSERT INTO judgement VALUES ($1, $2, $3, $4)");
    ow_db_statement (self->db, "insert_improvement",
        "INSERT INTO improvement VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
    ow_db_statement (self->db, "insert_finding",
        "INSERT INTO finding (inspection_id, document_id, polarity, theme, text,"
        " span_start, span_end) VALUES ($1, $2, $3, $4, $5, $6, $7)");
    ow_db_statement (self->db, "insert_deadline",
        "INSERT INTO deadline (inspection_id, authority, kind, due, basis, document_id)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id");
}

//  What one write has learnt so far; freed by write_finish.
typedef struct {
    store_t *store;
    const Ofwatch__V1__StoreDocument *request;
    const Ofwatch__V1__Extraction *facts;
    event_batch_t batch;
    char document_id [24];
    Ofwatch__V1__SubmitReply *reply;
    int64_t full_inspection_id;     // the first full inspection reported
    bool failed;
} write_t;

//  Inspections of one family share an identity whatever their subkind: a
//  council paper says "ILACS" where the report is "ilacs_standard".
static const char *
kind_family (Ofwatch__V1__InspectionKind kind)
{
    switch (kind) {
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS:
            return "ilacs";
        default:
            return ow_kind_word (kind);
    }
}

//  authority, kind family, and the first known of: fieldwork start, visit
//  number, publication date.
static char *
inspection_identity (const char *authority, const Ofwatch__V1__InspectionFacts *facts,
                     const char *published_on)
{
    const char *family = kind_family (facts->kind);
    if (facts->start_date && *facts->start_date)
        return ow_printf ("%s/%s/%s", authority, family ? family : "unknown", facts->start_date);
    if (facts->visit_number > 0)
        return ow_printf ("%s/%s/visit-%d", authority, family ? family : "unknown",
                          facts->visit_number);
    return ow_printf ("%s/%s/published-%s", authority, family ? family : "unknown",
                      published_on ? published_on : "unknown");
}

static const char *
occurred_on (const Ofwatch__V1__InspectionFacts *facts, const char *published_on)
{
    if (facts->end_date && *facts->end_date)
        return facts->end_date;
    if (facts->start_date && *facts->start_date)
        return facts->start_date;
    return published_on;
}

static bool
run (write_t *w, const char *statement, int count, const char *const *values, PGresult **out)
{
    PGresult *result = ow_db_run (w->store->db, statement, count, values);
    if (!result) {
        w->failed = true;
        return false;
    }
    if (out)
        *out = result;
    else
        PQclear (result);
    return true;
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
        facts->authority->code, store_date_param (facts->published_on),
        request->submitter && *request->submitter ? request->submitter : "unknown",
        (const char *) request->content.data, request->text ? request->text : "",
        (const char *) packed
    };
    int lengths [10] = { 0 };
    int formats [10] = { 0 };
    lengths [7] = (int) request->content.len;
    formats [7] = 1;
    lengths [9] = (int) packed_size;
    formats [9] = 1;
    PGresult *result = ow_db_run_binary (w->store->db, "insert_document", 10, values,
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

static void
add_judgement (write_t *w, const char *inspection_id, int64_t id,
               const Ofwatch__V1__InspectionFacts *facts, const char *area,
               Ofwatch__V1__Grade grade)
{
    const char *authority = w->facts->authority->code;
    const char *grade_word = ow_grade_word (grade);
    if (!grade_word || !ow_vocab_is_area (area))
        return;
    const char *find [] = { inspection_id, area };
    PGresult *existing = NULL;
    if (!run (w, "judgement_grade", 2, find, &existing))
        return;
    const char *was = ow_db_value (existing, 0, 0);
    const char *when = occurred_on (facts, w->facts->published_on);
    if (!was) {
        const char *values [] = { inspection_id, area, grade_word, w->document_id };
        if (run (w, "insert_judgement", 4, values, NULL)) {
            Ofwatch__V1__Event *event = event_batch_new (&w->batch,
                OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_RECORDED, authority, when);
            Ofwatch__V1__JudgementRecorded *body = OW_PB_NEW (Ofwatch__V1__JudgementRecorded,
                ofwatch__v1__judgement_recorded__init);
            body->inspection_id = id;
            body->kind = facts->kind;
            ow_pb_set_string (&body->area, area);
            body->grade = grade;
            event_payload (event)->body_case = OFWATCH__V1__PAYLOAD__BODY_JUDGEMENT_RECORDED;
            event->payload->judgement_recorded = body;
        }
    }
    else if (strcmp (was, grade_word) != 0) {
        Ofwatch__V1__Event *event = event_batch_new (&w->batch,
            OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_CONFLICT_DETECTED, authority, when);
        Ofwatch__V1__ConflictDetected *body = OW_PB_NEW (Ofwatch__V1__ConflictDetected,
            ofwatch__v1__conflict_detected__init);
        body->fact = ow_printf ("judgement %s of inspection %s", area, inspection_id);
        ow_pb_set_string (&body->existing, was);
        ow_pb_set_string (&body->incoming, grade_word);
        ow_pb_set_string (&body->source_sha256, w->reply->sha256);
        event_payload (event)->body_case = OFWATCH__V1__PAYLOAD__BODY_CONFLICT_DETECTED;
        event->payload->conflict_detected = body;
    }
    PQclear (existing);
}

static void
add_finding (write_t *w, const char *inspection_id, int64_t id,
             const Ofwatch__V1__InspectionFacts *facts, const Ofwatch__V1__Finding *finding)
{
    const char *polarity = ow_polarity_word (finding->polarity);
    const char *theme = ow_theme_word (finding->theme);
    if (!polarity || !finding->text || !*finding->text)
        return;
    char start [16], end [16];
    snprintf (start, sizeof start, "%u", finding->start);
    snprintf (end, sizeof end, "%u", finding->end);
    const char *values [] = { inspection_id, w->document_id, polarity,
                              theme ? theme : "other", finding->text, start, end };
    if (!run (w, "insert_finding", 7, values, NULL))
        return;
    Ofwatch__V1__Event *event = event_batch_new (&w->batch,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_FINDING_RECORDED, w->facts->authority->code,
        occurred_on (facts, w->facts->published_on));
    event->theme = theme ? finding->theme : OFWATCH__V1__THEME__THEME_OTHER;
    Ofwatch__V1__FindingRecorded *body = OW_PB_NEW (Ofwatch__V1__FindingRecorded,
        ofwatch__v1__finding_recorded__init);
    body->inspection_id = id;
    body->finding = ow_pb_copy (&finding->base);
    event_payload (event)->body_case = OFWATCH__V1__PAYLOAD__BODY_FINDING_RECORDED;
    event->payload->finding_recorded = body;
}

static Ofwatch__V1__Event *
add_inspection_event (write_t *w, int64_t id, const Ofwatch__V1__InspectionFacts *facts)
{
    const char *published = w->facts->published_on;
    Ofwatch__V1__Event *event = event_batch_new (&w->batch,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_INSPECTION_RECORDED, w->facts->authority->code,
        occurred_on (facts, published));
    Ofwatch__V1__InspectionRecorded *body = OW_PB_NEW (Ofwatch__V1__InspectionRecorded,
        ofwatch__v1__inspection_recorded__init);
    body->inspection_id = id;
    body->kind = facts->kind;
    ow_pb_set_string (&body->start_date, facts->start_date);
    ow_pb_set_string (&body->end_date, facts->end_date);
    body->visit_number = facts->visit_number;
    ow_pb_set_string (&body->lead_inspector, facts->lead_inspector);
    ow_pb_set_string (&body->published_on, published);
    ow_pb_set_string (&body->source_sha256, w->reply->sha256);
    event_payload (event)->body_case = OFWATCH__V1__PAYLOAD__BODY_INSPECTION_RECORDED;
    event->payload->inspection_recorded = body;
    return event;
}

//  Finds or creates the inspection; returns its id, or 0 on failure.
static int64_t
upsert_inspection (write_t *w, const Ofwatch__V1__InspectionFacts *facts, bool *created)
{
    const char *authority = w->facts->authority->code;
    char *identity = inspection_identity (authority, facts, w->facts->published_on);
    const char *find [] = { identity };
    PGresult *result = NULL;
    int64_t id = 0;
    *created = false;
    if (run (w, "inspection_by_identity", 1, find, &result) && PQntuples (result) > 0)
        id = strtoll (ow_db_value (result, 0, 0), NULL, 10);
    PQclear (result);
    if (!id && !w->failed) {
        char visit [16];
        snprintf (visit, sizeof visit, "%d", facts->visit_number);
        char *inspectors = store_text_array ((const char *const *) facts->inspectors,
                                             facts->n_inspectors);
        const char *values [] = {
            identity, authority, ow_kind_word (facts->kind),
            store_date_param (facts->start_date), store_date_param (facts->end_date),
            store_date_param (w->facts->published_on),
            facts->visit_number > 0 ? visit : NULL,
            store_date_param (facts->lead_inspector), inspectors,
            store_date_param (facts->inadequate_since), w->document_id
        };
        result = NULL;
        if (run (w, "insert_inspection", 11, values, &result)) {
            id = strtoll (ow_db_value (result, 0, 0), NULL, 10);
            *created = true;
        }
        PQclear (result);
        free (inspectors);
    }
    free (identity);
    return id;
}

static void
add_inspection (write_t *w, const Ofwatch__V1__InspectionFacts *facts)
{
    if (!ow_kind_word (facts->kind))
        return;
    bool created = false;
    int64_t id = upsert_inspection (w, facts, &created);
    if (!id)
        return;
    char inspection_id [24];
    snprintf (inspection_id, sizeof inspection_id, "%" PRId64, id);
    const char *link [] = { w->document_id, inspection_id };
    run (w, "link_document_inspection", 2, link, NULL);
    ow_pb_append_int64 (&w->reply->inspection_ids, &w->reply->n_inspection_ids, id);
    if (!w->full_inspection_id && ow_kind_is_full_inspection (facts->kind))
        w->full_inspection_id = id;
    if (created)
        add_inspection_event (w, id, facts);

    for (size_t i = 0; i < facts->n_judgements && !w->failed; i++)
        add_judgement (w, inspection_id, id, facts, facts->judgements [i]->key,
                       facts->judgements [i]->value);
    for (size_t i = 0; i < facts->n_improvements && !w->failed; i++) {
        char position [24];
        snprintf (position, sizeof position, "%zu", i + 1);
        const char *values [] = { inspection_id, position, facts->improvements [i],
                                  w->document_id };
        run (w, "insert_improvement", 4, values, NULL);
    }
    for (size_t i = 0; i < facts->n_findings && !w->failed; i++)
        add_finding (w, inspection_id, id, facts, facts->findings [i]);
}

static void
add_deadline (write_t *w, const Ofwatch__V1__Deadline *deadline, int64_t inspection_id)
{
    char inspection [24];
    snprintf (inspection, sizeof inspection, "%" PRId64, inspection_id);
    const char *values [] = {
        inspection_id ? inspection : NULL, w->facts->authority->code, deadline->kind,
        deadline->due, store_date_param (deadline->basis), w->document_id
    };
    PGresult *result = NULL;
    if (!run (w, "insert_deadline", 6, values, &result))
        return;
    bool created = PQntuples (result) > 0;
    PQclear (result);
    if (!created)
        return;
    Ofwatch__V1__Event *event = event_batch_new (&w->batch,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_SET, w->facts->authority->code,
        w->facts->published_on);
    Ofwatch__V1__DeadlineEvent *body = OW_PB_NEW (Ofwatch__V1__DeadlineEvent,
        ofwatch__v1__deadline_event__init);
    body->deadline = ow_pb_copy (&deadline->base);
    body->inspection_id = inspection_id;
    event_payload (event)->body_case = OFWATCH__V1__PAYLOAD__BODY_DEADLINE;
    event->payload->deadline = body;
}

//  The answer for bytes stored before: the same ids, no new events.
static void
answer_duplicate (write_t *w)
{
    const char *values [] = { w->reply->sha256 };
    PGresult *result = NULL;
    if (!run (w, "document_by_sha", 1, values, &result) || PQntuples (result) == 0) {
        PQclear (result);
        w->failed = true;
        return;
    }
    w->reply->duplicate = true;
    w->reply->document_id = strtoll (ow_db_value (result, 0, 0), NULL, 10);
    //  The ids come as a PostgreSQL array literal: {1,2,3}.
    const char *ids = ow_db_value (result, 0, 1);
    for (const char *c = ids; c && *c; c++) {
        if (*c >= '0' && *c <= '9') {
            char *end = NULL;
            int64_t id = strtoll (c, &end, 10);
            ow_pb_append_int64 (&w->reply->inspection_ids, &w->reply->n_inspection_ids, id);
            c = end - 1;
        }
    }
    PQclear (result);
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
            for (size_t i = 0; i < w.facts->n_events && !w.failed; i++)
                add_inspection (&w, w.facts->events [i]);
            //  A deadline follows from the document's full inspection.
            for (size_t i = 0; i < w.facts->n_deadlines && !w.failed; i++)
                add_deadline (&w, w.facts->deadlines [i], w.full_inspection_id);
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
        event_batch_publish (self, &w.batch);
        return reply_with (&w);
    }
    ow_db_exec (self->db, "ROLLBACK");
    event_batch_discard (&w.batch);
    ow_pb_free (&w.reply);
    bool lost = ow_db_lost (self->db);
    return ow_wire_error (0, lost ? OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE
                                  : OFWATCH__V1__ERROR__CODE__CODE_INTERNAL,
                          lost ? "PostgreSQL is unreachable; nothing was stored, try again"
                               : "the document could not be stored; nothing was stored");
}
