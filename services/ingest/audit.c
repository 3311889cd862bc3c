/*  audit — what ingest refused because of who sent it, kept in store's
    audit table (`ofwatch audit`) and in the log.

    The record is sent to store without waiting for it, so a refusal
    costs ingest's reactor nothing whether store is there or not; the log
    line is written whatever happens to the record, at most once per ten
    seconds per key (with how many refusals there were), so a refusal is
    accounted for even while store is unreachable and a flood of them
    cannot flood the log. How many reach store is bounded by the key's
    rate, which counts refused requests too (ow_server).
*/

#include "ingest.h"
#include "ow_log.h"
#include "ow_throttle.h"

#define AUDIT_TIMEOUT_MS 5000

static void
recorded (void *context, void *argument, Ofwatch__V1__Reply *reply)
{
    ingest_t *self = context;
    char *key = argument;
    if (reply->body_case != OFWATCH__V1__REPLY__BODY_AUDIT) {
        char *subject = ow_printf ("audit failed %s", key);
        size_t count = 0;
        if (ow_throttle_pass (self->logged, subject, zclock_mono (), &count)) {
            char times [24];
            snprintf (times, sizeof times, "%zu", count);
            ow_error ("could not record a refusal in the audit table", "key", key,
                      "reason", ow_client_error_message (reply), "times", times);
        }
        free (subject);
    }
    free (key);
    ow_pb_free (&reply);
}

void
ingest_audit (ingest_t *self, const char *key, const Ofwatch__V1__SubmitRequest *request,
              const Ofwatch__V1__Extraction *facts, const char *authority, const char *reason)
{
    Ofwatch__V1__AuditRecord record = OFWATCH__V1__AUDIT_RECORD__INIT;
    record.key = (char *) key;
    record.action = (char *) "submit";
    record.declared_authority = request->declared_authority;
    record.file_name = request->file_name;
    record.reason = (char *) reason;
    if (facts) {
        record.sha256 = facts->sha256;
        record.doc_kind = facts->doc_kind;
    }
    if (authority)
        record.authority = (char *) authority;
    else
    if (facts && facts->authority)
        record.authority = facts->authority->code;
    char *subject = ow_printf ("refused %s", key);
    size_t count = 0;
    if (ow_throttle_pass (self->logged, subject, zclock_mono (), &count)) {
        char times [24];
        snprintf (times, sizeof times, "%zu", count);
        ow_warn ("refused a submission for who sent it", "key", key, "file", request->file_name,
                 "authority", record.authority, "reason", reason, "times", times);
    }
    free (subject);
    ow_metrics_count (self->metrics, "ofwatch_submissions_refused_total", NULL, 1);

    Ofwatch__V1__Request audit = OFWATCH__V1__REQUEST__INIT;
    audit.body_case = OFWATCH__V1__REQUEST__BODY_RECORD_AUDIT;
    audit.record_audit = &record;
    char *error = NULL;
    if (!ow_calls_send (self->store, &audit, AUDIT_TIMEOUT_MS, recorded, self, ow_strdup (key),
                        &error)) {
        ow_error ("could not record a refusal in the audit table", "key", key, "reason", error);
        free (error);
    }
}
