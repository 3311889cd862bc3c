/*  submit — one submission: check, extract in a worker, authorise, store,
    answer.

    Checks that need no decoding come first (who sent it and how often,
    in ow_server; how big, a declared authority that is unknown or that
    the key may not speak for), so a refusal costs nothing. The facts are
    extracted in a worker; then the key must be allowed to speak for the
    authority the document is actually about, and to submit what claims
    to be Ofsted's. Nothing is stored unless all of that holds, and the
    answer waits for store's commit (ow_calls, without holding up anything
    else). Only what a retry can fix says "try again": store not answering
    in time (the same bytes are the same document, so a retry can never
    store it twice), a busy queue, a worker that failed; a document too
    big, unreadable or not the key's to submit is refused for good.
*/

#include "ingest.h"
#include "extract.h"
#include "ow_hash.h"
#include "ow_log.h"
#include "ow_wire.h"

//  Store commits a document in well under a second; this bounds how long
//  a submitter waits when store is down or restarting.
#define STORE_TIMEOUT_MS 30000
#define PING_MS          1000
//  Store answered a ping this recently, and no ping has waited longer
//  than STORE_SLOW_MS: ingest is healthy.
#define STORE_HEARD_MS   3000
#define STORE_SLOW_MS    1500

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
    //  Said at most once per ten seconds for each kind of refusal.
    char *subject = ow_printf ("refused %s", why);
    size_t count = 0;
    if (ow_throttle_pass (self->logged, subject, zclock_mono (), &count)) {
        char times [24];
        snprintf (times, sizeof times, "%zu", count);
        ow_info ("refused a document", "file", file_name, "reason", reason, "times", times);
    }
    free (subject);
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
    //  ow_server found the key a moment ago; it may have gone since.
    if (!key)
        return refuse_sender (self, request, "key", ow_printf ("the key %s is no longer known "
                              "to ingest", peer), audit);
    const char *declared = request->declared_authority;
    if (*declared && !ow_register_find (self->reg, declared))
        return refuse_made (self, OFWATCH__V1__ERROR__CODE__CODE_REJECTED, request, "declared",
                            ow_printf ("no authority is known as \"%s\", the authority declared "
                                       "with it; declare one the register knows (an ONS code, "
                                       "DfE code, URN or name) or none", declared));
    char *why = ingest_declared_refusal (self->reg, key, declared);
    if (why)
        return refuse_sender (self, request, "not_authorised", why, audit);
    if (*request->source_url && !source_url_ok (request->source_url))
        return refuse (self, OFWATCH__V1__ERROR__CODE__CODE_REJECTED, request, "source_url",
                       "the source URL is not an http or https URL of at most 2048 characters");
    if (request->content.len > EXTRACT_MAX_DOCUMENT)
        return refuse_made (self, OFWATCH__V1__ERROR__CODE__CODE_REJECTED, request, "too_large",
                            ow_printf ("the document is %zu MiB, over the %u MiB limit",
                                       request->content.len >> 20, EXTRACT_MAX_DOCUMENT >> 20));
    //  Documents waiting for a worker or for store each hold their bytes:
    //  while store is slow or down, the queue fills and new ones wait.
    if (ingest_workers_waiting (self->workers) + self->at_store >= (size_t) self->limits.queue)
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

//  Store's answer for a document: answers its submitter. An answer made
//  because store did not answer (or could not reach PostgreSQL) says the
//  document was not acknowledged: a retry is safe and may succeed.
static void
stored (void *context, void *argument, Ofwatch__V1__Reply *reply)
{
    ingest_t *self = context;
    submission_t *submission = argument;
    assert (self->at_store > 0);
    self->at_store--;
    if (reply->body_case == OFWATCH__V1__REPLY__BODY_SUBMIT) {
        //  The submitter sees what was extracted.
        reply->submit->extraction = submission->result->extraction;
        submission->result->extraction = NULL;
    }
    else
    if (reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR
        && reply->error->code == OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE
        && !strstr (reply->error->message, "try again")) {
        char *message = ow_printf ("%s; the document was not acknowledged, try again",
                                   reply->error->message);
        free (reply->error->message);
        reply->error->message = message;
    }
    answer (self, submission, reply);
}

//  Authorises what a worker found and sends it to store. Returns the
//  answer when there is one now (a refusal, store unreachable), or NULL:
//  store's reply will answer (stored).
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
    const char *refused = NULL;
    char *why = ingest_authorise (self->reg, submission->key, facts, &refused);
    if (why) {
        ingest_audit (self, submission->key->name, request, facts, refused, why);
        Ofwatch__V1__Reply *reply = refuse (self, OFWATCH__V1__ERROR__CODE__CODE_REJECTED,
                                            request, "not_authorised", why);
        free (why);
        return reply;
    }
    //  The decoded text travels with the document: bounded like the
    //  document itself, so what store is sent always fits what it takes.
    size_t text = strlen (submission->result->text);
    if (text > EXTRACT_MAX_DOCUMENT)
        return refuse_made (self, OFWATCH__V1__ERROR__CODE__CODE_REJECTED, request, "too_large",
                            ow_printf ("the document's text is %zu MiB, over the %u MiB limit",
                                       text >> 20, EXTRACT_MAX_DOCUMENT >> 20));
    Ofwatch__V1__StoreDocument document = OFWATCH__V1__STORE_DOCUMENT__INIT;
    document.content = request->content;
    document.text = submission->result->text;
    document.submitter = submission->key->name;
    document.extraction = facts;
    document.source_url = request->source_url;
    Ofwatch__V1__Request store_request = OFWATCH__V1__REQUEST__INIT;
    store_request.body_case = OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT;
    store_request.store_document = &document;
    char *error = NULL;
    if (ow_calls_send (self->store, &store_request, STORE_TIMEOUT_MS, stored, self, submission,
                       &error)) {
        self->at_store++;
        return NULL;
    }
    //  Everything sent was checked to fit: nothing a retry could fix is
    //  left, but a socket that could not send now may later.
    ow_warn ("could not send a document to store", "reason", error);
    Ofwatch__V1__Reply *reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_INTERNAL,
        "%s: %s; the document was not stored", file_name_of (request), error);
    free (error);
    return reply;
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

void
ingest_refused (void *context, const Ofwatch__V1__Request *request, const char *peer,
                const char *reason)
{
    if (request->body_case == OFWATCH__V1__REQUEST__BODY_SUBMIT)
        ingest_audit ((ingest_t *) context, peer, request->submit, NULL, NULL, reason);
}

Ofwatch__V1__Reply *
ingest_submit (ingest_t *self, const Ofwatch__V1__SubmitRequest *request, const char *peer)
{
    ow_metrics_count (self->metrics, "ofwatch_documents_received_total", NULL, 1);
    ow_key_t *key = peer ? ow_keys_find (self->keys, peer) : NULL;
    char *audit = NULL;
    Ofwatch__V1__Reply *refusal = ingest_check (self, key, peer, request, &audit);
    if (audit) {
        const ow_authority_t *declared = ow_register_find (self->reg,
                                                           request->declared_authority);
        ingest_audit (self, peer, request, NULL, declared ? declared->code : NULL, audit);
    }
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

// ---------------------------------------------------------------------------
//  Health: answered at once from the last ping

static void
pinged (void *context, void *argument, Ofwatch__V1__Reply *reply)
{
    ingest_t *self = context;
    free (self->store_problem);
    self->store_problem = NULL;
    self->ping_sent = 0;
    if (reply->body_case == OFWATCH__V1__REPLY__BODY_HEALTH)
        self->store_heard = zclock_mono ();
    else
        self->store_problem = ow_strdup (ow_client_error_message (reply)
                                         ? ow_client_error_message (reply)
                                         : "an unexpected answer");
    ow_pb_free (&reply);
}

static int
on_ping (zloop_t *loop, int timer_id, void *argument)
{
    ingest_t *self = argument;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    char *error = NULL;
    if (ow_calls_send (self->store, &request, STORE_HEARD_MS - 500, pinged, self, NULL, &error)) {
        if (!self->ping_sent)
            self->ping_sent = zclock_mono ();       // the oldest unanswered
    }
    else {
        free (self->store_problem);
        self->store_problem = error;
    }
    return 0;
}

int
ingest_ping_attach (ingest_t *self, zloop_t *loop)
{
    on_ping (loop, 0, self);
    return zloop_timer (loop, PING_MS, 0, on_ping, self) < 0 ? -1 : 0;
}

Ofwatch__V1__Reply *
ingest_health (ingest_t *self)
{
    int64_t now = zclock_mono ();
    int64_t since = now - self->store_heard;
    bool slow = self->ping_sent && now - self->ping_sent > STORE_SLOW_MS;
    if (!self->store_heard || since > STORE_HEARD_MS || slow) {
        char *why = self->store_problem ? ow_strdup (self->store_problem)
                  : slow ? ow_printf ("no answer for %.1f s", (double) (now - self->ping_sent) / 1000)
                  : self->store_heard ? ow_printf ("no answer for %d s", (int) (since / 1000))
                  : ow_strdup ("no answer yet");
        Ofwatch__V1__Reply *reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                                                   "ingest cannot reach store: %s", why);
        free (why);
        return reply;
    }
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_HEALTH;
    reply->health = OW_PB_NEW (Ofwatch__V1__HealthReply, ofwatch__v1__health_reply__init);
    ow_pb_set_string (&reply->health->service, "ingest");
    reply->health->database_ok = true;
    return reply;
}
