/*  submit — one submission: check, extract in a worker, authorise, store,
    answer.

    Checks that need no decoding come first (who sent it, how often, how
    big, a declared authority the key may not speak for), so a refusal
    costs nothing. The facts are extracted in a worker; then the key must
    be allowed to speak for the authority the document is actually about,
    and to submit what claims to be Ofsted's. Nothing is stored unless
    all of that holds, and the answer waits for store's commit
    (store_calls.c, without holding up anything else). When store does
    not answer in time the submitter is told to try again: the same bytes
    are the same document, so a retry can never store it twice.
*/

#include "ingest.h"
#include "extract.h"
#include "ow_hash.h"
#include "ow_log.h"
#include "ow_wire.h"

//  A submission between its arrival and its answer.
typedef struct {
    ow_server_pending_t *pending;
    ow_key_t *key;
    Ofwatch__V1__ExtractResult *result;     // while store writes it
} submission_t;

static const char *
file_name_of (const Ofwatch__V1__SubmitRequest *request)
{
    return request->file_name && *request->file_name ? request->file_name : "(unnamed)";
}

static Ofwatch__V1__Reply *
refuse (ingest_t *self, Ofwatch__V1__Error__Code code, const Ofwatch__V1__SubmitRequest *request,
        const char *why, const char *reason)
{
    char labels [64];
    snprintf (labels, sizeof labels, "reason=\"%s\"", why);
    ow_metrics_count (self->metrics, "ofwatch_documents_rejected_total", labels, 1);
    const char *file_name = file_name_of (request);
    ow_info ("refused a document", "file", file_name, "reason", reason);
    return ow_wire_error (0, code, "%s: %s", file_name, reason);
}

//  The same with a reason made for it, which is freed.
static Ofwatch__V1__Reply *
refuse_made (ingest_t *self, Ofwatch__V1__Error__Code code,
             const Ofwatch__V1__SubmitRequest *request, const char *why, char *reason)
{
    Ofwatch__V1__Reply *reply = refuse (self, code, request, why, reason);
    free (reason);
    return reply;
}

//  A refusal about who sent the submission: also noted for the audit.
static Ofwatch__V1__Reply *
refuse_sender (ingest_t *self, const Ofwatch__V1__SubmitRequest *request, const char *why,
               char *reason, char **audit)
{
    Ofwatch__V1__Reply *reply = refuse (self, OFWATCH__V1__ERROR__CODE__CODE_REJECTED, request,
                                        why, reason);
    *audit = reason;
    return reply;
}

//  Where a document was published travels with it to store and to
//  subscribers: a link, nothing else.
#define SOURCE_URL_MAX 2048

static bool
source_url_ok (const char *url)
{
    size_t length = strlen (url);
    if (length > SOURCE_URL_MAX
        || (strncmp (url, "http://", 7) != 0 && strncmp (url, "https://", 8) != 0))
        return false;
    for (const unsigned char *c = (const unsigned char *) url; *c; c++)
        if (*c <= ' ' || *c == 0x7F)
            return false;
    return true;
}

Ofwatch__V1__Reply *
ingest_check (ingest_t *self, const ow_key_t *key, const char *peer,
              const Ofwatch__V1__SubmitRequest *request, char **audit)
{
    *audit = NULL;
    if (!peer)
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_INTERNAL,
                              "ingest cannot tell who sent this: its socket is not secured");
    if (!key)
        return refuse_sender (self, request, "key", ow_printf ("the key %s is no longer known "
                              "to ingest", peer), audit);
    if (key->revoked)
        return refuse_sender (self, request, "key", ow_printf ("the key %s was revoked at %s",
                              key->name, key->revoked), audit);
    if (key->role != OW_ROLE_COUNCIL && key->role != OW_ROLE_INSPECTORATE)
        return refuse_sender (self, request, "key", ow_printf ("the key %s may subscribe but "
                              "not submit", key->name), audit);
    char *why = ingest_declared_refusal (self->reg, key, request->declared_authority);
    if (why)
        return refuse_sender (self, request, "not_authorised", why, audit);
    int per_minute = key->rate >= 0 ? key->rate : self->limits.rate_per_minute;
    int wait = ingest_rates_take (self->rates, key->name, per_minute,
                                  ow_security_rate_burst (per_minute), zclock_mono ());
    if (wait)
        return refuse_made (self, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE, request, "rate",
                            ow_printf ("too many submissions from key %s (at most %d a minute); "
                                       "try again in %d s", key->name, per_minute, wait));
    if (*request->source_url && !source_url_ok (request->source_url))
        return refuse (self, OFWATCH__V1__ERROR__CODE__CODE_REJECTED, request, "source_url",
                       "the source URL is not an http or https URL of at most 2048 characters");
    if (request->content.len > EXTRACT_MAX_DOCUMENT)
        return refuse_made (self, OFWATCH__V1__ERROR__CODE__CODE_REJECTED, request, "too_large",
                            ow_printf ("the document is %zu MiB, over the %u MiB limit",
                                       request->content.len >> 20, EXTRACT_MAX_DOCUMENT >> 20));
    //  Documents waiting for a worker or for store each hold their bytes:
    //  while store is slow or down, the queue fills and new ones wait.
    if (ingest_workers_waiting (self->workers) + ingest_store_calls_waiting (self->store_calls)
        >= (size_t) self->limits.queue)
        return refuse (self, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE, request, "busy",
                       "ingest is busy decoding other documents; try again shortly");
    return NULL;
}

//  Answers a submission and forgets it.
static void
answer (ingest_t *self, submission_t *submission, Ofwatch__V1__Reply *reply)
{
    ow_server_answer (self->server, &submission->pending, reply);
    ow_pb_free (&submission->result);
    ow_key_destroy (&submission->key);
    free (submission);
}

//  Authorises what a worker found and sends it to store. Returns the
//  answer when there is one now (a refusal, store unreachable), or NULL:
//  store's reply will answer (ingest_stored).
static Ofwatch__V1__Reply *
authorise_and_store (ingest_t *self, submission_t *submission,
                     const Ofwatch__V1__SubmitRequest *request)
{
    Ofwatch__V1__Extraction *facts = submission->result->extraction;
    //  The document's identity is computed here from the bytes received,
    //  not taken from the worker's word.
    char sha256 [OW_HASH_HEX_SIZE];
    ow_hash_sha256_hex (request->content.data, request->content.len, sha256);
    ow_pb_set_string (&facts->sha256, sha256);
    char *why = ingest_authorise (self->reg, submission->key, facts);
    if (why) {
        ingest_audit (self, submission->key->name, request, facts, why);
        Ofwatch__V1__Reply *reply = refuse (self, OFWATCH__V1__ERROR__CODE__CODE_REJECTED,
                                            request, "not_authorised", why);
        free (why);
        return reply;
    }
    Ofwatch__V1__StoreDocument document = OFWATCH__V1__STORE_DOCUMENT__INIT;
    document.content = request->content;
    document.text = submission->result->text;
    document.submitter = submission->key->name;
    document.extraction = facts;
    document.source_url = request->source_url;
    char *error = NULL;
    if (ingest_store_calls_send (self->store_calls, &document, submission, &error))
        return NULL;
    ow_warn ("could not send a document to store", "reason", error);
    Ofwatch__V1__Reply *reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
        "%s; the document was not acknowledged, try again", error);
    free (error);
    return reply;
}

void
ingest_stored (void *context, void *job, Ofwatch__V1__Reply *reply)
{
    ingest_t *self = context;
    submission_t *submission = job;
    if (reply->body_case == OFWATCH__V1__REPLY__BODY_SUBMIT) {
        //  The submitter sees what was extracted.
        reply->submit->extraction = submission->result->extraction;
        submission->result->extraction = NULL;
    }
    answer (self, submission, reply);
}

void
ingest_extracted (void *context, void *job, const uint8_t *answer_bytes, size_t size,
                  const char *failure)
{
    ingest_t *self = context;
    submission_t *submission = job;
    const Ofwatch__V1__SubmitRequest *request =
        ow_server_pending_request (submission->pending)->submit;
    Ofwatch__V1__Reply *reply = NULL;
    char *error = NULL;
    Ofwatch__V1__ExtractResult *result = failure ? NULL
                                       : ingest_read_result (answer_bytes, size, &error);
    //  A worker that failed (rather than a document it judged) is no
    //  fault of the document: the submitter may try again.
    if (failure)
        reply = refuse (self, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE, request, "worker",
                        failure);
    else
    if (!result) {
        ow_error ("a worker answered nonsense", "reason", error);
        reply = refuse (self, OFWATCH__V1__ERROR__CODE__CODE_INTERNAL, request, "worker",
                        "the extraction worker's answer could not be read");
    }
    else
    if (!result->extraction) {
        reply = refuse (self, OFWATCH__V1__ERROR__CODE__CODE_REJECTED, request, "extraction",
                        result->error);
        ow_pb_free (&result);
    }
    else {
        submission->result = result;
        reply = authorise_and_store (self, submission, request);
    }
    free (error);
    if (reply)
        answer (self, submission, reply);
}

Ofwatch__V1__Reply *
ingest_submit (ingest_t *self, const Ofwatch__V1__SubmitRequest *request, const char *peer)
{
    ow_metrics_count (self->metrics, "ofwatch_documents_received_total", NULL, 1);
    ow_key_t *key = peer ? ow_keys_find (self->keys, peer) : NULL;
    char *audit = NULL;
    Ofwatch__V1__Reply *refusal = ingest_check (self, key, peer, request, &audit);
    if (audit)
        ingest_audit (self, peer, request, NULL, audit);
    free (audit);
    if (refusal) {
        ow_key_destroy (&key);
        return refusal;
    }
    size_t size = protobuf_c_message_get_packed_size (&request->base);
    uint8_t *job = ow_malloc (size ? size : 1);
    protobuf_c_message_pack (&request->base, job);
    submission_t *submission = ow_calloc (1, sizeof *submission);
    submission->key = key;
    submission->pending = ow_server_defer (self->server);
    //  ingest_check made sure there is room in the queue.
    bool queued = ingest_workers_queue (self->workers, job, size, submission);
    assert (queued);
    return OW_SERVER_LATER;
}

Ofwatch__V1__Reply *
ingest_health (ingest_t *self)
{
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    char *error = NULL;
    Ofwatch__V1__Reply *store_reply = ow_client_call (self->store, &request, 2000, &error);
    bool store_ok = store_reply && store_reply->body_case == OFWATCH__V1__REPLY__BODY_HEALTH;
    ow_pb_free (&store_reply);
    if (!store_ok) {
        Ofwatch__V1__Reply *reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
            "ingest cannot reach store: %s", error ? error : "unexpected answer");
        free (error);
        return reply;
    }
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_HEALTH;
    reply->health = OW_PB_NEW (Ofwatch__V1__HealthReply, ofwatch__v1__health_reply__init);
    ow_pb_set_string (&reply->health->service, "ingest");
    reply->health->database_ok = true;
    return reply;
}
