/*  ofwatch watch [--once] [--authority CODE ...] — read Ofsted's reports
    site (OFWATCH_OFSTED_URL) and submit every publication not yet stored,
    with its source URL: the watch service's passes (lib/watch), run here.

    --once: one pass, a line per new publication on stdout, problems as
    sentences on stderr, a summary; exit 0 when the pass completed, 1 when
    the site (or PostgreSQL, or the watch's key) could not be used.
    Without it, passes on the service's schedule until Ctrl-C.
    --authority: only these authorities' provider pages (any spelling the
    register knows), without reading the search.

    Like the service it needs PostgreSQL (OFWATCH_PG: what it has read
    before) and ingest, and it presents the watch's key when there is one.
*/

#include "cli.h"
#include "ow_vocab.h"
#include "wt_identity.h"
#include "wt_pass.h"
#include "wt_schedule.h"
#include "wt_site.h"

#include <curl/curl.h>
#include <getopt.h>
#include <inttypes.h>

static void
print_stored (void *context, const wt_listing_t *listing, const Ofwatch__V1__SubmitReply *reply)
{
    const Ofwatch__V1__Extraction *facts = reply->extraction;
    const char *authority = facts && facts->authority ? facts->authority->code : "";
    const char *kind = facts ? ow_doc_kind_word (facts->doc_kind) : NULL;
    const char *published = facts && *facts->published_on ? facts->published_on : "-";
    printf ("stored  %-9s  %-20s  %-10s  %s\n", *authority ? authority : "-",
            kind ? kind : "-", published, listing->url);
    fflush (stdout);
}

static void
print_problem (void *context, const char *reason, const char *sentence)
{
    cli_fail ("%s", sentence);
}

static void
print_summary (const wt_pass_result_t *result)
{
    if (result->outcome == WT_PASS_FAILED || result->outcome == WT_PASS_BUSY) {
        cli_fail ("%s", result->problem);
        return;
    }
    printf ("pass %s: %zu search pages, %zu provider pages (%zu pages not modified), "
            "%zu files downloaded, %zu new documents, %zu already stored, %zu refused, "
            "%zu errors; %zu requests, %.1f MB in %.1f s\n",
            wt_pass_outcome_word (result->outcome), result->search_pages,
            result->provider_pages, result->not_modified, result->files,
            result->new_documents, result->known_documents, result->refused, result->errors,
            result->requests, (double) result->bytes / 1e6, result->seconds);
    fflush (stdout);
}

//  The authorities named with --authority, as ONS codes; false after
//  saying which one the register does not know.
static bool
add_authority (cli_t *cli, const char *name, char ***codes, size_t *count)
{
    const ow_register_t *reg = cli_register (cli);
    const ow_authority_t *authority = reg ? ow_register_find (reg, name) : NULL;
    if (!authority) {
        if (reg)
            cli_fail ("no authority is known as \"%s\"", name);
        return false;
    }
    ow_pb_append_string (codes, count, authority->code);
    return true;
}

//  Runs passes: one with --once, else on the schedule until Ctrl-C.
//  Returns the exit code.
static int
watch (cli_t *cli, wt_pass_input_t *input, bool once)
{
    const wt_settings_t *settings = input->settings;
    if (once) {
        wt_pass_result_t result;
        wt_pass_run (input, &result);
        print_summary (&result);
        int rc = result.outcome == WT_PASS_COMPLETE ? 0 : 1;
        wt_pass_result_free (&result);
        return rc;
    }
    if (settings->interval == 0)
        printf ("OFWATCH_WATCH_INTERVAL is 0: no passes are made (ofwatch watch --once makes "
                "one); Ctrl-C stops.\n");
    else
        printf ("a pass every %d s over %s; Ctrl-C stops.\n", settings->interval,
                settings->site);
    fflush (stdout);
    while (wt_schedule_wait (input->ledger, settings->interval, input->stop)) {
        wt_pass_result_t result;
        wt_pass_run (input, &result);
        print_summary (&result);
        bool busy = result.outcome == WT_PASS_BUSY;
        wt_pass_result_free (&result);
        if (busy && !wt_schedule_wait_busy (input->stop))
            break;
    }
    return 0;
}

int
cli_watch (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "once", no_argument, NULL, 'o' },
        { "authority", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 }
    };
    bool once = false;
    char **codes = NULL;
    size_t n_codes = 0;
    int option, rc = 1;
    bool ok = true;
    while (ok && (option = getopt_long (argc, argv, "oa:", options, NULL)) != -1) {
        if (option == 'o')
            once = true;
        else if (option == 'a')
            ok = add_authority (cli, optarg, &codes, &n_codes);
        else
            ok = false;
    }
    if (ok && optind < argc) {
        cli_fail ("watch takes no operands (\"%s\"); name authorities with --authority",
                  argv [optind]);
        ok = false;
    }
    const ow_register_t *reg = ok ? cli_register (cli) : NULL;
    if (!ok)
        rc = 2;
    else
    if (reg) {
        wt_settings_t settings;
        wt_settings_load (&settings, &cli->config);
        curl_global_init (CURL_GLOBAL_DEFAULT);
        wt_site_init ();
        char *cert_path = wt_identity_present (&cli->config);
        wt_ledger_t *ledger = wt_ledger_new (cli->config.pg, cli->config.data);
        ow_client_t *ingest = cli_client (cli->config.ingest, "ingest");
        wt_stop_t *stop = wt_stop_new (NULL);
        wt_http_t *http = wt_http_new (&settings, stop, NULL);
        wt_observer_t observer = { .stored = print_stored, .problem = print_problem };
        wt_pass_input_t input = {
            .settings = &settings, .reg = reg, .ledger = ledger, .ingest = ingest,
            .stop = stop, .http = http, .cert_path = cert_path, .observer = &observer,
            .authorities = (const char *const *) codes, .n_authorities = n_codes,
        };
        rc = watch (cli, &input, once);
        wt_http_destroy (&http);
        wt_stop_destroy (&stop);
        ow_client_destroy (&ingest);
        wt_ledger_destroy (&ledger);
        free (cert_path);
        curl_global_cleanup ();
    }
    for (size_t i = 0; i < n_codes; i++)
        free (codes [i]);
    free (codes);
    return rc;
}
