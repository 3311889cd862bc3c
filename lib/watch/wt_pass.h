/*  wt_pass — one pass over Ofsted's site: every publication not yet
    stored is downloaded once and submitted through ingest.

    The one implementation behind the watch service and `ofwatch watch`.
    A pass:

    1. takes the pass lock (another copy passing at the same time makes
       this one stand aside), and checks the watch's key may submit;
    2. submits again what an earlier pass downloaded but did not see
       acknowledged (the outbox), without downloading it again;
    3. walks the search of local authorities' children's services page by
       page (or, for chosen authorities, goes straight to their provider
       pages), reading pages seen before conditionally;
    4. on each provider page, takes every publication whose file URL the
       ledger does not know: downloads it, keeps it in the outbox, submits
       it with its source URL, the provider's authority and the listed
       date (both used by ingest only when the document does not say), and
       records what ingest answered.

    What the document is, is decided by ingest from the document. What
    ofwatch cannot use (not a PDF, too large, refused by ingest) is said
    once and remembered, never fetched again; what failed (no answer, an
    error page, a changed page) is said, counted and tried again at the
    next pass. Nothing a site sends ends the pass early but a site that
    cannot be read at all (its robots.txt or search), and a document is
    either acknowledged by ingest or still in the outbox: never half
    submitted.

    Metrics (when given): ofwatch_watch_passes_total{outcome},
    ofwatch_watch_pages_total{kind,result}, ofwatch_watch_files_total
    {result}, ofwatch_watch_new_documents_total, ofwatch_watch_errors_total
    {reason}, ofwatch_watch_last_success_timestamp_seconds,
    ofwatch_watch_pass_seconds; and wt_http's requests and bytes.
*/
#ifndef WT_PASS_H
#define WT_PASS_H

#include "ow_client.h"
#include "ow_metrics.h"
#include "ow_register.h"
#include "wt_http.h"
#include "wt_ledger.h"
#include "wt_settings.h"
#include "wt_stop.h"

//  How a pass tells its caller what happened, as it happens. The service
//  leaves these NULL and everything goes to the JSON log; the CLI prints.
typedef struct {
    //  A publication stored as a new document.
    void (*stored) (void *context, const wt_listing_t *listing,
                    const Ofwatch__V1__SubmitReply *reply);
    //  Something that went wrong or could not be used: `reason` is the
    //  metric's label (unreachable, http, robots, markup, empty_search,
    //  not_pdf, too_large, refused, ingest, database, key), `sentence` says
    //  what and why.
    void (*problem) (void *context, const char *reason, const char *sentence);
    void *context;
} wt_observer_t;

typedef struct {
    const wt_settings_t *settings;
    const ow_register_t *reg;
    wt_ledger_t *ledger;
    ow_client_t *ingest;
    wt_stop_t *stop;
    wt_http_t *http;                // the site, paced across passes
    const char *cert_path;          // the key presented to ingest
    ow_metrics_t *metrics;          // may be NULL
    const wt_observer_t *observer;  // may be NULL: the log
    const char *const *authorities; // ONS codes to watch; none: every authority
    size_t n_authorities;
} wt_pass_input_t;

typedef enum {
    WT_PASS_COMPLETE,               // the search and every provider page were tried
    WT_PASS_FAILED,                 // the site (or PostgreSQL, or the key) could not be used
    WT_PASS_STOPPED,                // a stop was asked for
    WT_PASS_BUSY,                   // another process holds the pass lock
} wt_pass_outcome_t;

typedef struct {
    wt_pass_outcome_t outcome;
    size_t search_pages;            // read (fetched or not modified)
    size_t provider_pages;
    size_t not_modified;            // pages answered 304
    size_t files;                   // downloaded
    size_t new_documents;
    size_t known_documents;         // acknowledged, but store had the bytes
    size_t refused;
    size_t errors;
    size_t requests;
    uint64_t bytes;
    double seconds;
    char *problem;                  // why it failed, else NULL
} wt_pass_result_t;

void wt_pass_run (const wt_pass_input_t *input, wt_pass_result_t *result);
void wt_pass_result_free (wt_pass_result_t *result);

//  "complete", "failed", "stopped", "busy".
const char *wt_pass_outcome_word (wt_pass_outcome_t outcome);

#endif
