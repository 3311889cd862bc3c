/*  audit — who submitted what: the audit trail of submissions ingest
    refused because of who sent them, and an authority's sources (each
    stored document with the key that submitted it).

    An audit record is written on its own, outside any document's
    transaction: a refused submission stores nothing else and causes no
    event.
*/

#include "store.h"
#include "ow_log.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#define AUDIT_PAGE_DEFAULT 100
#define AUDIT_PAGE_MAX     10000

//  Times as RFC 3339 in UTC, as the logs write them.
#define RFC3339(column) \
    "to_char (" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

void
store_prepare_audit (store_t *self)
{
    ow_db_statement (self->db, "insert_audit",
        "INSERT INTO audit (key_name, action, authority, declared_authority, file_name,"
        " sha256, doc_kind, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " RETURNING id, " RFC3339 ("recorded_at"));
    ow_db_statement (self->db, "audit_list",
        "SELECT id, " RFC3339 ("recorded_at") ", key_name, action, coalesce (authority, ''),"
        " coalesce (declared_authority, ''), coalesce (file_name, ''), coalesce (sha256, ''),"
        " coalesce (doc_kind, ''), reason FROM audit"
        " WHERE ($1::text IS NULL OR key_name = $1) AND ($2::text IS NULL OR authority = $2)"
        " ORDER BY id DESC LIMIT $3");
    ow_db_statement (self->db, "sources",
        "SELECT id, sha256, file_name, coalesce (doc_kind, ''), submitter,"
        " " RFC3339 ("received_at") ", coalesce (published_on::text, ''),"
        " coalesce (source_url, '')"
        " FROM document WHERE authority = $1 ORDER BY received_at, id");
}

static const char *
or_null (const char *text)
{
    return text && *text ? text : NULL;
}

Ofwatch__V1__Authority *
store_authority (const ow_authority_t *authority)
{
    Ofwatch__V1__Authority *message = OW_PB_NEW (Ofwatch__V1__Authority,
                                                 ofwatch__v1__authority__init);
    ow_pb_set_string (&message->code, authority->code);
    ow_pb_set_string (&message->name, authority->name);
    ow_pb_set_string (&message->la_code, authority->la_code);
    ow_pb_set_string (&message->urn, authority->urn);
    return message;
}

static Ofwatch__V1__Reply *
audit_reply (void)
{
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_AUDIT;
    reply->audit = OW_PB_NEW (Ofwatch__V1__AuditReply, ofwatch__v1__audit_reply__init);
    return reply;
}

Ofwatch__V1__Reply *
store_record_audit (store_t *self, const Ofwatch__V1__AuditRecord *record)
{
    if (!*record->key || !*record->action || !*record->reason)
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST,
                              "an audit record needs a key, an action and a reason");
    const char *values [] = {
        record->key, record->action, or_null (record->authority),
        or_null (record->declared_authority), or_null (record->file_name),
        or_null (record->sha256), ow_doc_kind_word (record->doc_kind), record->reason
    };
    PGresult *result = ow_db_run (self->db, "insert_audit", 8, values);
    if (!result)
        return store_unavailable ();
    Ofwatch__V1__Reply *reply = audit_reply ();
    Ofwatch__V1__AuditRecord *stored = ow_pb_copy (&record->base);
    stored->id = strtoll (ow_db_value (result, 0, 0), NULL, 10);
    ow_pb_set_string (&stored->recorded_at, ow_db_value (result, 0, 1));
    ow_pb_append ((void ***) &reply->audit->records, &reply->audit->n_records, stored);
    ow_info ("recorded a refused submission", "audit", ow_db_value (result, 0, 0),
             "key", record->key, "reason", record->reason);
    PQclear (result);
    return reply;
}

static Ofwatch__V1__AuditRecord *
audit_row (const PGresult *result, int row)
{
    Ofwatch__V1__AuditRecord *record = OW_PB_NEW (Ofwatch__V1__AuditRecord,
                                                  ofwatch__v1__audit_record__init);
    record->id = strtoll (ow_db_value (result, row, 0), NULL, 10);
    ow_pb_set_string (&record->recorded_at, ow_db_value (result, row, 1));
    ow_pb_set_string (&record->key, ow_db_value (result, row, 2));
    ow_pb_set_string (&record->action, ow_db_value (result, row, 3));
    ow_pb_set_string (&record->authority, ow_db_value (result, row, 4));
    ow_pb_set_string (&record->declared_authority, ow_db_value (result, row, 5));
    ow_pb_set_string (&record->file_name, ow_db_value (result, row, 6));
    ow_pb_set_string (&record->sha256, ow_db_value (result, row, 7));
    record->doc_kind = ow_vocab_value (&ofwatch__v1__doc_kind__descriptor,
                                       ow_db_value (result, row, 8));
    ow_pb_set_string (&record->reason, ow_db_value (result, row, 9));
    return record;
}

Ofwatch__V1__Reply *
store_audit (store_t *self, const Ofwatch__V1__AuditQuery *query)
{
    const char *authority = NULL;
    if (*query->authority) {
        const ow_authority_t *found = ow_register_find (self->reg, query->authority);
        if (!found)
            return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_NOT_FOUND,
                                  "no authority is known as \"%s\"", query->authority);
        authority = found->code;
    }
    unsigned page = query->limit ? query->limit : AUDIT_PAGE_DEFAULT;
    char limit [16];
    snprintf (limit, sizeof limit, "%u", page < AUDIT_PAGE_MAX ? page : AUDIT_PAGE_MAX);
    const char *values [] = { or_null (query->key), authority, limit };
    PGresult *result = ow_db_run (self->db, "audit_list", 3, values);
    if (!result)
        return store_unavailable ();
    Ofwatch__V1__Reply *reply = audit_reply ();
    for (int row = 0; row < PQntuples (result); row++)
        ow_pb_append ((void ***) &reply->audit->records, &reply->audit->n_records,
                      audit_row (result, row));
    PQclear (result);
    return reply;
}

Ofwatch__V1__Reply *
store_sources (store_t *self, const Ofwatch__V1__SourcesQuery *query)
{
    const ow_authority_t *authority = ow_register_find (self->reg, query->authority);
    if (!authority)
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_NOT_FOUND,
                              "no authority is known as \"%s\"", query->authority);
    const char *values [] = { authority->code };
    PGresult *result = ow_db_run (self->db, "sources", 1, values);
    if (!result)
        return store_unavailable ();
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_SOURCES;
    Ofwatch__V1__SourcesReply *sources = OW_PB_NEW (Ofwatch__V1__SourcesReply,
                                                    ofwatch__v1__sources_reply__init);
    reply->sources = sources;
    sources->authority = store_authority (authority);
    for (int row = 0; row < PQntuples (result); row++) {
        Ofwatch__V1__DocumentSource *document = OW_PB_NEW (Ofwatch__V1__DocumentSource,
            ofwatch__v1__document_source__init);
        document->id = strtoll (ow_db_value (result, row, 0), NULL, 10);
        ow_pb_set_string (&document->sha256, ow_db_value (result, row, 1));
        ow_pb_set_string (&document->file_name, ow_db_value (result, row, 2));
        document->doc_kind = ow_vocab_value (&ofwatch__v1__doc_kind__descriptor,
                                             ow_db_value (result, row, 3));
        ow_pb_set_string (&document->submitter, ow_db_value (result, row, 4));
        ow_pb_set_string (&document->received_at, ow_db_value (result, row, 5));
        ow_pb_set_string (&document->published_on, ow_db_value (result, row, 6));
        ow_pb_set_string (&document->source_url, ow_db_value (result, row, 7));
        ow_pb_append ((void ***) &sources->documents, &sources->n_documents, document);
    }
    PQclear (result);
    return reply;
}
