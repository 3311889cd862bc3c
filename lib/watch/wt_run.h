/*  wt_run — one pass in progress, shared by wt_pass.c (the walk over the
    site's pages) and wt_publication.c (one publication: download, keep,
    submit, record). Not for use outside lib/watch.
*/
#ifndef WT_RUN_H
#define WT_RUN_H

#include "wt_http.h"
#include "wt_pass.h"

typedef struct {
    const wt_pass_input_t *in;
    wt_pass_result_t *out;
    wt_http_t *http;
    zhashx_t *said;             // sentences said in this pass: each is said once
                                // (a host whose robots.txt cannot be read fails
                                // every file there with the same sentence)
} wt_run_t;

//  Says a problem once: to the observer, else the log (warn), counted in
//  ofwatch_watch_errors_total{reason} and, unless `refusal`, in the
//  pass's errors. `reason` is a metric label (see wt_observer_t).
void wt_run_problem (wt_run_t *run, const char *reason, bool refusal, const char *format, ...)
    __attribute__ ((format (printf, 4, 5)));

//  Whether the pass should stop now.
bool wt_run_stopping (wt_run_t *run);

//  wt_publication.c: takes one publication listed on a provider page.
void wt_run_publication (wt_run_t *run, const wt_listing_t *listing);

//  Submits again every download not yet acknowledged.
void wt_run_outbox (wt_run_t *run);

#endif
