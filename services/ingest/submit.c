/*  submit — one submission: extract, hand to store, answer.

    Nothing is stored unless extraction succeeds, and the answer waits for
    store's commit. When store does not answer in time the submitter is
    told to try again: the same bytes are the same document, so a retry
    can never store it twice.
*/

#include "ingest.h"
#include "extract.h"
#include "ow_log.h"
#include "ow_wire.h"

//  Store commits a document in well under a second; this bounds how long
//  a submitter waits when store is down or restarting.
#define STORE_TIMEOUT_MS 30000

static Ofwatch__V1__Reply *
refuse (ingest_t *self, const char *file_name, const char *why, const char *reason)
{
    char labels [64];
    snprintf (labels, sizeof labels, "reason=\"%s\"", why);
    ow_metrics_count (self->metrics, "ofwatch_documents_rejected_total", labels, 1);
    ow_info ("refused a document", "file", file_name, "reason", reason);
    return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_REJECTED, "%s: %s", file_name, reason);
}

static Ofwatch__V1__Reply *
store_document (ingest_t *self, Ofwatch__V1__StoreDocument *document)
{
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT;
    request.store_document = document;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (self->store, &request, STORE_TIMEOUT_MS, &error);
    if (!reply) {
        ow_warn ("store did not answer", "reason", error);
        reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                               "%s; the document was not acknowledged, try again", error);
        free (error);
    }
    return reply;
}

Ofwatch__V1__Reply *
ingest_submit (ingest_t *self, const Ofwatch__V1__SubmitRequest *request, const char *submitter)
{
    const char *file_name = (request->file_name && *request->file_name)
                          ? request->file_name : "(unnamed)";
    ow_metrics_count (self->metrics, "ofwatch_documents_received_total", NULL, 1);
    if (request->content.len > EXTRACT_MAX_DOCUMENT)
        return refuse (self, file_name, "too_large", "the document is larger than the 64 MiB limit");

    extract_input_t input = {
        .bytes = request->content.data,
        .size = request->content.len,
        .file_name = file_name,
        .declared_authority = *request->declared_authority ? request->declared_authority : NULL,
        .declared_published = *request->declared_published ? request->declared_published : NULL,
    };
    char *text = NULL, *error = NULL;
    Ofwatch__V1__Extraction *facts = extract_document (self->reg, &input, &text, &error);
    if (!facts) {
        Ofwatch__V1__Reply *reply = refuse (self, file_name, "extraction",
                                            error ? error : "nothing could be extracted");
        free (error);
        return reply;
    }

    Ofwatch__V1__StoreDocument document = OFWATCH__V1__STORE_DOCUMENT__INIT;
    document.content = request->content;
    document.text = text ? text : (char *) "";
    document.submitter = (char *) submitter;
    document.extraction = facts;
    Ofwatch__V1__Reply *reply = store_document (self, &document);
    if (reply->body_case == OFWATCH__V1__REPLY__BODY_SUBMIT) {
        //  The submitter sees what was extracted.
        reply->submit->extraction = facts;
        facts = NULL;
    }
    ow_pb_free (&facts);
    free (text);
    return reply;
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
