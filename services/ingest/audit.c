/*  audit — what ingest refused because of who sent it, kept in store's
    audit table (`ofwatch audit`) and in the log.

    The log line is written whatever happens to the record, so a refusal
    is accounted for even while store is unreachable.
*/

#include "ingest.h"
#include "ow_log.h"

#define AUDIT_TIMEOUT_MS 5000

void
ingest_audit (ingest_t *self, const char *key, const Ofwatch__V1__SubmitRequest *request,
              const Ofwatch__V1__Extraction *facts, const char *reason)
{
    Ofwatch__V1__AuditRecord record = OFWATCH__V1__AUDIT_RECORD__INIT;
    record.key = (char *) key;
    record.action = (char *) "submit";
    record.declared_authority = request->declared_authority;
    record.file_name = request->file_name;
    record.reason = (char *) reason;
    if (facts) {
        record.authority = facts->authority ? facts->authority->code : (char *) "";
        record.sha256 = facts->sha256;
        record.doc_kind = facts->doc_kind;
    }
    ow_warn ("refused a submission for who sent it", "key", key, "file", request->file_name,
             "authority", record.authority, "reason", reason);
    ow_metrics_count (self->metrics, "ofwatch_submissions_refused_total", NULL, 1);

    Ofwatch__V1__Request audit = OFWATCH__V1__REQUEST__INIT;
    audit.body_case = OFWATCH__V1__REQUEST__BODY_RECORD_AUDIT;
    audit.record_audit = &record;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (self->store, &audit, AUDIT_TIMEOUT_MS, &error);
    const char *problem = !reply ? error
                        : reply->body_case != OFWATCH__V1__REPLY__BODY_AUDIT
                        ? ow_client_error_message (reply) : NULL;
    if (problem)
        ow_error ("could not record a refusal in the audit table", "key", key,
                  "reason", problem);
    ow_pb_free (&reply);
    free (error);
}
