/*  wt_publication — one publication into ofwatch: downloaded once, kept
    in the ledger's outbox, submitted through ingest with its source URL,
    and settled by ingest's answer (stored, or refused for good). See
    wt_pass.h for the whole pass.
*/

#include "wt_run.h"
#include "ow_hash.h"
#include "ow_log.h"
#include "ow_wire.h"

#include <string.h>

//  ingest answers once store has committed; it says "try again" itself
//  after 30 s without store, and a document's decoding is limited to
//  OFWATCH_DECODE_SECONDS, so this is long enough for any answer.
#define INGEST_TIMEOUT_MS   90000
#define INGEST_ATTEMPTS     4
#define INGEST_BACKOFF_MS   1000

//  PDF readers accept the header anywhere in the first kilobyte.
#define PDF_HEADER_WITHIN   1024

static bool
is_pdf (const uint8_t *content, size_t size)
{
    size_t window = size < PDF_HEADER_WITHIN ? size : PDF_HEADER_WITHIN;
    return memmem (content, window, "%PDF-", 5) != NULL;
}

//  What the site sent instead, for the log: its type and first characters.
static char *
describe_content (const wt_response_t *response)
{
    char start [41];
    size_t length = 0;
    for (size_t i = 0; i < response->size && length < sizeof start - 1; i++) {
        unsigned char c = response->body [i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (c >= 0x20 && c < 0x7F)
            start [length++] = (char) c;
    }
    start [length] = 0;
    return ow_printf ("%s starting \"%s\"", response->content_type ? response->content_type
                                                                   : "no content type", start);
}

//  "2026-01-12-50291234.pdf": the listed date (extraction's last resort
//  for a publication date) and the file's number.
static char *
file_name_for (const wt_listing_t *listing)
{
    const char *slash = strrchr (listing->url, '/');
    const char *number = slash && slash [1] ? slash + 1 : "publication";
    size_t length = strcspn (number, "?#");
    return *listing->listed_on ? ow_printf ("%s-%.*s.pdf", listing->listed_on, (int) length, number)
                               : ow_printf ("%.*s.pdf", (int) length, number);
}

static void
count_file (wt_run_t *run, const char *result)
{
    char labels [40];
    snprintf (labels, sizeof labels, "result=\"%s\"", result);
    ow_metrics_count (run->in->metrics, "ofwatch_watch_files_total", labels, 1);
}

static void
settle_stored (wt_run_t *run, const wt_listing_t *listing, const Ofwatch__V1__SubmitReply *reply)
{
    if (!wt_ledger_mark_stored (run->in->ledger, listing->url, reply->document_id,
                                !reply->duplicate))
        wt_run_problem (run, "database", false, "%s was stored, but the watch could not record "
                        "it; it will be submitted again (and found known) at the next pass",
                        listing->url);
    if (reply->duplicate) {
        run->out->known_documents++;
        count_file (run, "known");
        ow_info ("publication already stored", "url", listing->url, "sha256", reply->sha256);
        return;
    }
    run->out->new_documents++;
    count_file (run, "stored");
    ow_metrics_count (run->in->metrics, "ofwatch_watch_new_documents_total", NULL, 1);
    const wt_observer_t *observer = run->in->observer;
    if (observer && observer->stored)
        observer->stored (observer->context, listing, reply);
    else {
        const Ofwatch__V1__Extraction *facts = reply->extraction;
        const char *authority = facts && facts->authority ? facts->authority->code : "";
        ow_info ("stored a new publication", "url", listing->url, "authority", authority,
                 "sha256", reply->sha256, "title", listing->title, "listed", listing->listed_on);
    }
}

static void
settle_refused (wt_run_t *run, const wt_listing_t *listing, size_t size, const char *sha256,
                const char *reason, const char *why)
{
    if (!wt_ledger_mark_refused (run->in->ledger, listing, size, sha256, why))
        wt_run_problem (run, "database", false, "could not record that %s is refused",
                        listing->url);
    count_file (run, "refused");
    wt_run_problem (run, reason, true, "%s (\"%s\", listed %s) cannot be used and will not be "
                    "fetched again: %s", listing->url, listing->title,
                    *listing->listed_on ? listing->listed_on : "undated", why);
}

//  Submits the bytes kept for a publication and settles it by ingest's
//  answer. A refusal is for good (the same bytes would be refused again);
//  no answer, or "try again", leaves it in the outbox for later.
static void
submit (wt_run_t *run, const wt_listing_t *listing, const uint8_t *content, size_t size)
{
    char *file_name = file_name_for (listing);
    Ofwatch__V1__SubmitRequest submission = OFWATCH__V1__SUBMIT_REQUEST__INIT;
    submission.content.data = (uint8_t *) content;
    submission.content.len = size;
    submission.file_name = file_name;
    submission.declared_authority = listing->authority;
    submission.declared_published = listing->listed_on;
    submission.source_url = listing->url;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
    request.submit = &submission;
    char *last = NULL;
    for (int attempt = 1; attempt <= INGEST_ATTEMPTS && !wt_run_stopping (run); attempt++) {
        char *error = NULL;
        Ofwatch__V1__Reply *reply = ow_client_call (run->in->ingest, &request,
                                                    INGEST_TIMEOUT_MS, &error);
        const char *message = reply ? ow_client_error_message (reply) : NULL;
        int code = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR
                 ? (int) reply->error->code : -1;
        if (reply && reply->body_case == OFWATCH__V1__REPLY__BODY_SUBMIT) {
            settle_stored (run, listing, reply->submit);
            ow_pb_free (&reply);
            free (error);
            free (last);
            free (file_name);
            return;
        }
        if (code == OFWATCH__V1__ERROR__CODE__CODE_REJECTED
            || code == OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST) {
            char sha256 [OW_HASH_HEX_SIZE];
            ow_hash_sha256_hex (content, size, sha256);
            settle_refused (run, listing, size, sha256, "refused", message);
            ow_pb_free (&reply);
            free (error);
            free (last);
            free (file_name);
            return;
        }
        free (last);
        last = ow_strdup (message ? message : error ? error : "an unexpected answer");
        ow_pb_free (&reply);
        free (error);
        if (!wt_stop_wait (run->in->stop, (int64_t) INGEST_BACKOFF_MS << (attempt - 1)))
            break;
    }
    if (!wt_run_stopping (run))
        wt_run_problem (run, "ingest", false, "ingest did not take %s (%s); it is kept and "
                        "submitted again at the next pass", listing->url, last);
    count_file (run, "waiting");
    free (last);
    free (file_name);
}

//  Downloads a publication never downloaded before, keeps it, submits it.
static void
download (wt_run_t *run, const wt_listing_t *listing)
{
    wt_response_t response;
    wt_http_get (run->http, listing->url, NULL, NULL, run->in->settings->max_file, &response);
    switch (response.outcome) {
        case WT_HTTP_OK: {
            run->out->files++;
            char sha256 [OW_HASH_HEX_SIZE];
            ow_hash_sha256_hex (response.body, response.size, sha256);
            if (!is_pdf (response.body, response.size)) {
                char *what = describe_content (&response);
                char *why = ow_printf ("it is not a PDF (the site sent %s)", what);
                settle_refused (run, listing, response.size, sha256, "not_pdf", why);
                free (why);
                free (what);
            }
            else
            if (!wt_ledger_keep_download (run->in->ledger, listing, response.body,
                                          response.size, sha256))
                wt_run_problem (run, "database", false, "could not keep %s; it is not "
                                "submitted and will be downloaded at the next pass",
                                listing->url);
            else
                submit (run, listing, response.body, response.size);
            break;
        }
        case WT_HTTP_TOO_LARGE:
            settle_refused (run, listing, 0, NULL, "too_large", response.error);
            break;
        case WT_HTTP_FORBIDDEN:
            wt_run_problem (run, "robots", false, "%s", response.error);
            break;
        case WT_HTTP_STOPPED:
            break;
        case WT_HTTP_UNREACHABLE:
            count_file (run, "failed");
            wt_run_problem (run, "unreachable", false, "could not download a publication: %s; "
                            "it is tried again at the next pass", response.error);
            break;
        default:
            count_file (run, "failed");
            wt_run_problem (run, "http", false, "could not download a publication: %s; "
                            "it is tried again at the next pass", response.error);
            break;
    }
    wt_response_free (&response);
}

//  Submits what was downloaded before and not acknowledged.
static void
resubmit (wt_run_t *run, const wt_listing_t *listing)
{
    uint8_t *content = NULL;
    size_t size = 0;
    if (wt_ledger_download (run->in->ledger, listing->url, &content, &size)) {
        ow_info ("submitting a publication downloaded earlier", "url", listing->url);
        submit (run, listing, content, size);
    }
    free (content);
}

void
wt_run_publication (wt_run_t *run, const wt_listing_t *listing)
{
    wt_file_state_t state;
    if (!wt_ledger_file_state (run->in->ledger, listing->url, &state)) {
        wt_run_problem (run, "database", false, "could not look %s up in the ledger",
                        listing->url);
        return;
    }
    if (state == WT_FILE_UNSEEN)
        download (run, listing);
    else
    if (state == WT_FILE_DOWNLOADED)
        resubmit (run, listing);
}

void
wt_run_outbox (wt_run_t *run)
{
    size_t count = 0;
    wt_listing_t *listings = wt_ledger_outbox (run->in->ledger, &count);
    for (size_t i = 0; i < count; i++) {
        if (!wt_run_stopping (run))
            resubmit (run, &listings [i]);
        wt_listing_free (&listings [i]);
    }
    free (listings);
}
