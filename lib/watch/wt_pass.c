/*  wt_pass — one pass over the site: the walk over its pages and the
    pass's bookkeeping; see wt_pass.h. Each publication is taken by
    wt_publication.c.
*/

#include "wt_run.h"
#include "wt_identity.h"
#include "wt_site.h"
#include "ow_log.h"

#include <stdarg.h>
#include <string.h>

//  A search of 153 authorities at 100 a page has two pages; a next link
//  that never ends is the site's mistake, not a reason to read forever.
#define MAX_SEARCH_PAGES 50

//  A provider found by the search (or named by the caller).
typedef struct {
    char *url;
    char *authority;            // ONS code, "" when the register does not know the URN
} provider_t;

typedef struct {
    provider_t *items;
    size_t count;
} providers_t;

//  A page as this pass has it: fetched now, or as kept when not modified.
typedef struct {
    uint8_t *body;
    size_t size;
    char *etag, *last_modified;
    bool fresh;                 // fetched now (200): to be kept once it reads well
} page_t;

static void
page_free (page_t *page)
{
    free (page->body);
    free (page->etag);
    free (page->last_modified);
    memset (page, 0, sizeof *page);
}

const char *
wt_pass_outcome_word (wt_pass_outcome_t outcome)
{
    switch (outcome) {
        case WT_PASS_COMPLETE: return "complete";
        case WT_PASS_FAILED:   return "failed";
        case WT_PASS_STOPPED:  return "stopped";
        case WT_PASS_BUSY:     return "busy";
    }
    return "?";
}

void
wt_pass_result_free (wt_pass_result_t *result)
{
    free (result->problem);
    memset (result, 0, sizeof *result);
}

//  ---------------------------------------------------------------------------
//  Saying what went wrong

void
wt_run_problem (wt_run_t *run, const char *reason, bool refusal, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *sentence = NULL;
    if (vasprintf (&sentence, format, args) < 0)
        abort ();
    va_end (args);
    if (refusal)
        run->out->refused++;
    else
        run->out->errors++;
    if (zhashx_lookup (run->said, sentence)) {
        free (sentence);
        return;
    }
    zhashx_insert (run->said, sentence, (void *) 1);
    char labels [48];
    snprintf (labels, sizeof labels, "reason=\"%s\"", reason);
    ow_metrics_count (run->in->metrics, "ofwatch_watch_errors_total", labels, 1);
    const wt_observer_t *observer = run->in->observer;
    if (observer && observer->problem)
        observer->problem (observer->context, reason, sentence);
    else
        ow_warn (sentence, "reason", reason);
    free (sentence);
}

bool
wt_run_stopping (wt_run_t *run)
{
    return wt_stop_requested (run->in->stop);
}

static const char *
failure_reason (wt_http_outcome_t outcome)
{
    return outcome == WT_HTTP_UNREACHABLE ? "unreachable"
         : outcome == WT_HTTP_FORBIDDEN   ? "robots"
         : outcome == WT_HTTP_TOO_LARGE   ? "too_large"
         : "http";
}

//  ---------------------------------------------------------------------------
//  Pages

static void
count_page (wt_run_t *run, const char *kind, const char *result)
{
    char labels [64];
    snprintf (labels, sizeof labels, "kind=\"%s\",result=\"%s\"", kind, result);
    ow_metrics_count (run->in->metrics, "ofwatch_watch_pages_total", labels, 1);
}

//  Reads a page, conditionally when it was read before. False with
//  *problem (caller frees) and *reason when it cannot be had.
static bool
read_page (wt_run_t *run, const char *url, const char *kind, page_t *page,
           char **problem, const char **reason)
{
    memset (page, 0, sizeof *page);
    wt_page_t kept;
    bool found = false;
    if (!wt_ledger_page (run->in->ledger, url, &kept, &found)) {
        *problem = ow_printf ("could not look the page %s up in the ledger", url);
        *reason = "database";
        return false;
    }
    wt_response_t response;
    wt_http_get (run->http, url, found ? kept.etag : NULL, found ? kept.last_modified : NULL,
                 run->in->settings->max_page, &response);
    bool ok = true;
    if (response.outcome == WT_HTTP_OK) {
        page->body = response.body;
        page->size = response.size;
        page->etag = response.etag;
        page->last_modified = response.last_modified;
        response.body = NULL;
        response.etag = response.last_modified = NULL;
        page->fresh = true;
        count_page (run, kind, "fetched");
    }
    else
    if (response.outcome == WT_HTTP_NOT_MODIFIED) {
        page->body = kept.body;
        page->size = kept.size;
        kept.body = NULL;
        run->out->not_modified++;
        count_page (run, kind, "not_modified");
    }
    else {
        *problem = ow_strdup (response.error);
        *reason = failure_reason (response.outcome);
        count_page (run, kind, response.outcome == WT_HTTP_STOPPED ? "stopped" : "failed");
        ok = false;
    }
    wt_response_free (&response);
    wt_page_free (&kept);
    return ok;
}

//  Keeps a page fetched now once it has been read: its validators make
//  the next request conditional, its body stands for a 304.
static void
keep_page (wt_run_t *run, const char *url, const page_t *page)
{
    if (page->fresh
        && !wt_ledger_keep_page (run->in->ledger, url, page->etag, page->last_modified,
                                 page->body, page->size))
        wt_run_problem (run, "database", false, "could not keep the page %s", url);
}

//  ---------------------------------------------------------------------------
//  The walk

static void
add_provider (providers_t *providers, const char *url, const char *authority)
{
    for (size_t i = 0; i < providers->count; i++)
        if (streq (providers->items [i].url, url))
            return;
    providers->items = realloc (providers->items, (providers->count + 1) * sizeof (provider_t));
    if (!providers->items)
        abort ();
    providers->items [providers->count].url = ow_strdup (url);
    providers->items [providers->count].authority = ow_strdup (authority);
    providers->count++;
}

static void
providers_free (providers_t *providers)
{
    for (size_t i = 0; i < providers->count; i++) {
        free (providers->items [i].url);
        free (providers->items [i].authority);
    }
    free (providers->items);
    memset (providers, 0, sizeof *providers);
}

static void
fail_pass (wt_run_t *run, char *problem)
{
    if (run->out->outcome == WT_PASS_COMPLETE) {
        run->out->outcome = WT_PASS_FAILED;
        run->out->problem = problem;
    }
    else
        free (problem);
}

//  The authorities the caller named, straight to their provider pages.
static void
named_providers (wt_run_t *run, providers_t *providers)
{
    for (size_t i = 0; i < run->in->n_authorities; i++) {
        const ow_authority_t *authority = ow_register_find (run->in->reg,
                                                            run->in->authorities [i]);
        if (!authority || !*authority->urn) {
            wt_run_problem (run, "register", false, "%s has no Ofsted URN in the register, so "
                            "its provider page is not known", run->in->authorities [i]);
            continue;
        }
        char *url = wt_site_provider_url (run->in->settings->site, authority->urn);
        add_provider (providers, url, authority->code);
        free (url);
    }
}

//  Every provider the search lists, page by page. The first page must be
//  read, or the pass fails: there is nothing else to go on.
static void
searched_providers (wt_run_t *run, providers_t *providers)
{
    char *url = wt_site_search_url (run->in->settings->site);
    zhashx_t *visited = zhashx_new ();
    size_t pages = 0;
    while (url && pages < MAX_SEARCH_PAGES && !wt_run_stopping (run)
           && !zhashx_lookup (visited, url)) {
        zhashx_insert (visited, url, (void *) 1);
        page_t page;
        char *problem = NULL;
        const char *reason = NULL;
        wt_search_page_t search;
        bool read = read_page (run, url, "search", &page, &problem, &reason);
        if (read && !wt_site_search_page (page.body, page.size, url, &search, &problem))
            reason = pages == 0 ? "empty_search" : "markup";
        else
        if (read) {
            keep_page (run, url, &page);
            pages++;
            for (size_t i = 0; i < search.n_providers; i++) {
                const ow_authority_t *authority = ow_register_find (run->in->reg,
                                                                    search.providers [i].urn);
                add_provider (providers, search.providers [i].url,
                              authority ? authority->code : "");
            }
        }
        page_free (&page);
        free (url);
        url = NULL;
        if (problem) {
            if (pages == 0 && !wt_run_stopping (run)) {
                char labels [48];
                snprintf (labels, sizeof labels, "reason=\"%s\"", reason);
                ow_metrics_count (run->in->metrics, "ofwatch_watch_errors_total", labels, 1);
                run->out->errors++;
                fail_pass (run, ow_printf ("cannot read Ofsted's site at %s: %s",
                                           run->in->settings->site, problem));
                free (problem);
            }
            else {
                if (!wt_run_stopping (run))
                    wt_run_problem (run, reason, false, "%s", problem);
                free (problem);
            }
            break;
        }
        url = search.next_url ? ow_strdup (search.next_url) : NULL;
        wt_search_page_free (&search);
    }
    free (url);
    zhashx_destroy (&visited);
    run->out->search_pages = pages;
}

//  Every publication a provider page lists.
static void
read_provider (wt_run_t *run, const provider_t *provider)
{
    page_t page;
    char *problem = NULL;
    const char *reason = NULL;
    if (!read_page (run, provider->url, "provider", &page, &problem, &reason)) {
        if (!wt_run_stopping (run))
            wt_run_problem (run, reason, false, "could not read a provider page: %s; it is "
                            "read again at the next pass", problem);
        free (problem);
        return;
    }
    wt_provider_page_t listed;
    if (!wt_site_provider_page (page.body, page.size, provider->url, &listed, &problem)) {
        wt_run_problem (run, "markup", false, "%s", problem);
        free (problem);
        page_free (&page);
        return;
    }
    keep_page (run, provider->url, &page);
    page_free (&page);
    run->out->provider_pages++;
    for (size_t i = 0; i < listed.n_publications && !wt_run_stopping (run); i++) {
        const wt_publication_t *publication = &listed.publications [i];
        wt_listing_t listing = {
            .url = publication->url, .authority = provider->authority,
            .title = publication->title, .listed_on = publication->listed_on,
        };
        wt_run_publication (run, &listing);
    }
    wt_provider_page_free (&listed);
}

static void
walk (wt_run_t *run)
{
    wt_run_outbox (run);
    providers_t providers = { 0 };
    if (run->in->n_authorities)
        named_providers (run, &providers);
    else
        searched_providers (run, &providers);
    for (size_t i = 0; i < providers.count && !wt_run_stopping (run); i++)
        read_provider (run, &providers.items [i]);
    if (run->out->outcome == WT_PASS_COMPLETE && providers.count && !run->out->provider_pages
        && !wt_run_stopping (run))
        fail_pass (run, ow_printf ("none of the %zu provider pages of %s could be read",
                                   providers.count, run->in->settings->site));
    providers_free (&providers);
}

//  ---------------------------------------------------------------------------
//  The pass

static void
record (wt_run_t *run, int64_t pass_id)
{
    wt_pass_result_t *out = run->out;
    wt_pass_record_t entry = {
        .outcome = wt_pass_outcome_word (out->outcome),
        .requests = out->requests, .bytes = out->bytes, .files = out->files,
        .new_documents = out->new_documents, .errors = out->errors, .note = out->problem,
    };
    wt_ledger_pass_end (run->in->ledger, pass_id, &entry);
    char labels [32];
    snprintf (labels, sizeof labels, "outcome=\"%s\"", entry.outcome);
    ow_metrics_count (run->in->metrics, "ofwatch_watch_passes_total", labels, 1);
    ow_metrics_set (run->in->metrics, "ofwatch_watch_pass_seconds", NULL, out->seconds);
    char when [40];
    double epoch = 0;
    if (out->outcome == WT_PASS_COMPLETE
        && wt_ledger_last_success (run->in->ledger, when, sizeof when, &epoch) && epoch > 0)
        ow_metrics_set (run->in->metrics, "ofwatch_watch_last_success_timestamp_seconds", NULL,
                        epoch);
}

void
wt_pass_run (const wt_pass_input_t *input, wt_pass_result_t *result)
{
    memset (result, 0, sizeof *result);
    int64_t started = zclock_mono ();
    wt_run_t run = { .in = input, .out = result, .said = zhashx_new () };
    int64_t pass_id = 0;
    bool busy = false;
    if (!wt_ledger_ready (input->ledger)) {
        zhashx_destroy (&run.said);
        result->outcome = WT_PASS_FAILED;
        result->problem = ow_strdup ("PostgreSQL cannot be reached, so the watch cannot know "
                                     "what it has read before");
        return;
    }
    if (!wt_ledger_pass_begin (input->ledger, &pass_id, &busy)) {
        zhashx_destroy (&run.said);
        result->outcome = busy ? WT_PASS_BUSY : WT_PASS_FAILED;
        result->problem = ow_strdup (busy ? "another watch process is reading the site now"
                                          : "the pass could not be recorded in PostgreSQL");
        return;
    }
    result->outcome = WT_PASS_COMPLETE;
    char *key_problem = wt_identity_problem (input->settings->config, input->cert_path);
    if (key_problem)
        fail_pass (&run, key_problem);
    else {
        run.http = input->http;
        wt_http_begin (run.http);
        walk (&run);
        result->requests = wt_http_requests (run.http);
        result->bytes = wt_http_bytes (run.http);
    }
    if (wt_stop_requested (input->stop) && result->outcome == WT_PASS_COMPLETE)
        result->outcome = WT_PASS_STOPPED;
    result->seconds = (double) (zclock_mono () - started) / 1000;
    record (&run, pass_id);
    zhashx_destroy (&run.said);
}
