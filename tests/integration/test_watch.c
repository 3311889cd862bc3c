/*  test_watch — ofwatch reads Ofsted's site by itself.

    A stand-in of the site on loopback (it_ofsted) lists real reports and
    letters of ../shared/corpus for twelve authorities over two search
    pages, with what the real site does now and then: a provider page whose
    markup changed, one that answers 500, one robots.txt forbids, a 503
    with Retry-After, a file that is not a PDF, a PDF ingest refuses, the
    same bytes under two URLs, a title that says the wrong kind.

    1. `ofwatch watch --once` stores every usable publication once, with
       its source URL, submitted by the watch's key; the summary export's
       inspection_link is the URL of each authority's latest report.
    2. A pass of the watch service downloads nothing again and stores
       nothing: every page is asked for conditionally and answered 304;
       what went wrong is in its log and its metrics; `ofwatch health`
       says when its pass completed.
    3. A publication added to the site is the only download of the next
       pass, and a subscriber on notify hears its document.received (with
       the source URL) and its facts' events.
    4. Publications ofwatch cannot use are said once, counted once and
       never fetched again.
    5. An empty search fails the pass, said once however often it fails.
    6. A site that cannot be reached is said once; everything else stays
       healthy, and the watch's health says why its passes fail.
    Throughout, the site's request log shows the manners: robots.txt
    first, one request at a time, never more than OFWATCH_WATCH_RATE in
    any second, a User-Agent naming ofwatch and its contact, the 503
    retried only after its Retry-After.
*/

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "it_analytics.h"
#include "it_http.h"
#include "it_log.h"
#include "it_ofsted.h"
#include "it_stack.h"
#include "it_support.h"
#include "it_watch.h"
#include "ow_config.h"
#include "ow_hash.h"
#include "ow_pb.h"
#include "ow_register.h"
#include "ow_vocab.h"

#define RATE            10
#define RETRY_AFTER_S   1
#define CONTACT         "watch-tests@ofwatch.invalid"
#define PASS_TIMEOUT_MS (10 * 60 * 1000)

//  Corpus directories (reports/<urn>-<name>) of the twelve authorities
//  whose publications are listed, and of those whose pages misbehave.
static const char *s_listed [] = {
    "2637548-west-northamptonshire", "2733690-cumberland", "2733698-westmorland-and-furness",
    "80418-norfolk", "80426-barnsley", "80428-bedford", "80430-blackburn-with-darwen",
    "80432-bolton", "80436-bracknell-forest", "80438-brighton-and-hove",
    "80442-buckinghamshire", "80450-london-corporation",
};
#define LISTED (sizeof s_listed / sizeof s_listed [0])
static const char *s_changed_markup = "80444-calderdale";
static const char *s_failing = "80446-central-bedfordshire";
static const char *s_forbidden = "80448-cheshire-west-and-chester";
#define NORFOLK     3
#define BARNSLEY    4
#define BEDFORD     5           // its newest report is published between passes
#define BLACKBURN   6
#define BOLTON      7
#define BRACKNELL   8

typedef struct {
    char *urn;
    char *code;                 // ONS
    char *latest_url;           // of its newest report listed
} authority_t;

//  What should become of a publication listed.
typedef enum {
    NOT_STORED,                 // never downloaded: its page cannot be read
    STORED,                     // a new document with this source URL
    STORED_OR_REFUSED,          // a letter: stored, or refused once (extraction decides)
} fate_t;

typedef struct {
    char *url;
    char *sha256;
    fate_t fate;
} listed_t;

static struct {
    bool skipped;
    char *corpus;
    ow_register_t *reg;
    it_ofsted_t *site;
    authority_t authorities [LISTED];
    listed_t listed [64];
    size_t n_listed;
    char *held_back;            // Bedford's newest report, published between passes
    char *duplicate_url;        // the same bytes as another report
    char *misleading_url;       // a report titled as a focused visit
    char *image_only_url;       // a PDF ingest refuses (no text)
    char *not_pdf_url;          // an HTML page served as a publication
    char *added_url;            // the publication added between passes
    size_t marks [16];          // the request log's length at each pass's start and end
    size_t n_marks;
} s;

//  ---------------------------------------------------------------------------
//  Helpers

static bool
contains (const char *text, const char *part)
{
    return text && part && strstr (text, part) != NULL;
}

static void
mark (void)
{
    assert_true (s.n_marks < 16);
    s.marks [s.n_marks++] = it_ofsted_request_count (s.site);
}

static char *
sha256_of (const char *path)
{
    zchunk_t *chunk = zchunk_slurp (path, 0);
    assert_non_null (chunk);
    char hex [OW_HASH_HEX_SIZE];
    ow_hash_sha256_hex (zchunk_data (chunk), zchunk_size (chunk), hex);
    zchunk_destroy (&chunk);
    return ow_strdup (hex);
}

static int
by_name (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

//  The PDFs of a corpus directory, oldest first (their names are dates).
static size_t
pdfs_of (const char *kind, const char *directory, char ***names)
{
    char *path = ow_printf ("%s/%s/%s", s.corpus, kind, directory);
    DIR *dir = opendir (path);
    free (path);
    size_t count = 0;
    *names = NULL;
    struct dirent *entry;
    while (dir && (entry = readdir (dir)) != NULL)
        if (strstr (entry->d_name, ".pdf"))
            ow_pb_append_string (names, &count, entry->d_name);
    if (dir)
        closedir (dir);
    if (count)
        qsort (*names, count, sizeof (char *), by_name);
    return count;
}

static void
free_names (char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free (names [i]);
    free (names);
}

static const char *
urn_of (const char *directory, char *urn, size_t size)
{
    snprintf (urn, size, "%.*s", (int) strcspn (directory, "-"), directory);
    return urn;
}

//  Lists a corpus file on urn's provider page; remembers it.
static const char *
list_file (const char *urn, const char *kind, const char *directory, const char *name,
           const char *title, fate_t fate)
{
    char *path = ow_printf ("%s/%s/%s/%s", s.corpus, kind, directory, name);
    char listed_on [11];
    snprintf (listed_on, sizeof listed_on, "%.10s", name);
    const char *url = it_ofsted_add_file (s.site, urn, path, title, listed_on);
    assert_non_null (url);
    assert_true (s.n_listed < 64);
    s.listed [s.n_listed++] = (listed_t) { ow_strdup (url), sha256_of (path), fate };
    free (path);
    return url;
}

static void
add_provider (const char *directory)
{
    char urn [16];
    const ow_authority_t *authority = ow_register_find (s.reg, urn_of (directory, urn,
                                                                       sizeof urn));
    assert_non_null (authority);
    it_ofsted_add_provider (s.site, urn, authority->name);
}

//  Runs the CLI; its stdout and stderr together.
static char *
run_cli (const char *arguments, int *rc)
{
    char *both = ow_printf ("%s 2>&1", arguments);
    char *output = it_cli (both, rc);
    free (both);
    return output;
}

static size_t
count_occurrences (const char *text, const char *part)
{
    size_t count = 0;
    for (const char *at = text; at && (at = strstr (at, part)) != NULL; at += strlen (part))
        count++;
    return count;
}

//  Requests of the log between two marks that match.
typedef bool (request_test_fn) (const it_request_t *request, const void *argument);

static size_t
count_requests (size_t from, size_t to, request_test_fn *test, const void *argument)
{
    size_t count = 0, total = 0;
    it_request_t *requests = it_ofsted_requests (s.site, &total);
    for (size_t i = from; i < to && i < total; i++)
        count += test (&requests [i], argument);
    it_requests_free (&requests, total);
    return count;
}

static bool
is_file (const it_request_t *request, const void *argument)
{
    return request->files_host && !streq (request->path, "/robots.txt");
}

static bool
has_path (const it_request_t *request, const void *argument)
{
    return strncmp (request->path, argument, strlen (argument)) == 0;
}

static Ofwatch__V1__SummaryRow *
summary_row (Ofwatch__V1__Reply *reply, const char *urn)
{
    for (size_t i = 0; reply && i < reply->summary->n_rows; i++)
        if (streq (reply->summary->rows [i]->urn, urn))
            return reply->summary->rows [i];
    return NULL;
}

static Ofwatch__V1__Reply *
ask_summary (void)
{
    Ofwatch__V1__SummaryQuery query = OFWATCH__V1__SUMMARY_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SUMMARY;
    request.summary = &query;
    return it_analytics_ask (&request, OFWATCH__V1__REPLY__BODY_SUMMARY);
}

#define SKIP_WITHOUT_CORPUS() do { if (s.skipped) { skip (); } } while (0)

//  ---------------------------------------------------------------------------
//  The site

static void
build_site (void)
{
    s.site = it_ofsted_new ();
    assert_non_null (s.site);
    it_ofsted_set_rows (s.site, 8);
    char urn [16];
    char *robots = ow_printf ("User-agent: *\nDisallow: /provider/44/%s\n"
                              "\nUser-agent: otherbot\nDisallow: /\n",
                              urn_of (s_forbidden, urn, sizeof urn));
    it_ofsted_set_robots (s.site, false, robots);
    free (robots);
    it_ofsted_set_robots (s.site, true, "User-agent: *\nDisallow: /private/\n");
    for (size_t i = 0; i < LISTED; i++) {
        add_provider (s_listed [i]);
        authority_t *a = &s.authorities [i];
        a->urn = ow_strdup (urn_of (s_listed [i], urn, sizeof urn));
        a->code = ow_strdup (ow_register_find (s.reg, urn)->code);
        char **names = NULL;
        size_t count = pdfs_of ("reports", s_listed [i], &names);
        assert_true (count >= 1);
        //  The two newest reports; Bedford's newest waits for later.
        size_t newest = i == BEDFORD ? count - 2 : count - 1;
        size_t oldest = newest >= 1 ? newest - 1 : newest;
        for (size_t j = oldest; j <= newest; j++) {
            bool misleading = i == BOLTON && j == newest;
            const char *url = list_file (urn, "reports", s_listed [i], names [j],
                                         misleading ? "Children's services focused visit"
                                                    : "Children's services inspection", STORED);
            if (misleading)
                s.misleading_url = ow_strdup (url);
            if (j == newest)
                a->latest_url = ow_strdup (url);
        }
        if (i == BEDFORD)
            s.held_back = ow_printf ("reports/%s/%s", s_listed [i], names [count - 1]);
        if (i == BARNSLEY) {
            //  The same bytes under a second URL: one document.
            char *path = ow_printf ("%s/reports/%s/%s", s.corpus, s_listed [i], names [oldest]);
            s.duplicate_url = ow_strdup (it_ofsted_add_file (s.site, urn, path,
                                         "Children's services inspection (copy)",
                                         "2018-11-18"));
            free (path);
        }
        free_names (names, count);
    }
    //  Letters, as the site lists them beside reports.
    const size_t letters_of [] = { BARNSLEY, BEDFORD };
    for (size_t i = 0; i < 2; i++) {
        char **names = NULL;
        size_t count = pdfs_of ("letters/focused", s_listed [letters_of [i]], &names);
        if (count)
            list_file (s.authorities [letters_of [i]].urn, "letters/focused",
                       s_listed [letters_of [i]], names [count - 1],
                       "Children's services focused visit", STORED_OR_REFUSED);
        free_names (names, count);
    }
    //  What ofwatch cannot use.
    char *image_only = ow_printf ("%s/tests/fixtures/image-only.pdf",
                                  getenv ("OFWATCH_TEST_TOP"));
    s.image_only_url = ow_strdup (it_ofsted_add_file (s.site, s.authorities [BEDFORD].urn,
                                  image_only, "Annual engagement meeting", "2024-01-10"));
    free (image_only);
    char *not_pdf = ow_printf ("%s/reports/80490-bromley/2012-08-17.pdf", s.corpus);
    s.not_pdf_url = ow_strdup (it_ofsted_add_file (s.site, s.authorities [BLACKBURN].urn,
                               not_pdf, "Children's services inspection", "2012-08-17"));
    free (not_pdf);
    //  Pages that misbehave, each with reports it would otherwise read.
    const char *misbehaving [] = { s_changed_markup, s_failing, s_forbidden };
    for (size_t i = 0; i < 3; i++) {
        add_provider (misbehaving [i]);
        char **names = NULL;
        size_t count = pdfs_of ("reports", misbehaving [i], &names);
        list_file (urn_of (misbehaving [i], urn, sizeof urn), "reports", misbehaving [i],
                   names [count - 1], "Children's services inspection", NOT_STORED);
        free_names (names, count);
    }
    it_ofsted_set_markup_changed (s.site, urn_of (s_changed_markup, urn, sizeof urn), true);
    it_ofsted_set_provider_status (s.site, urn_of (s_failing, urn, sizeof urn), 500);
    char *busy = ow_printf ("/provider/44/%s", s.authorities [BRACKNELL].urn);
    it_ofsted_unavailable (s.site, busy, 1, RETRY_AFTER_S);
    free (busy);
}

static int
setup (void **state)
{
    const char *top = getenv ("OFWATCH_TEST_TOP");
    s.corpus = ow_printf ("%s/../shared/corpus", top ? top : ".");
    char *reports = ow_printf ("%s/reports", s.corpus);
    struct stat info;
    bool present = stat (reports, &info) == 0;
    free (reports);
    if (!present) {
        printf ("skipped: no corpus at %s (the watch's restart test runs on the samples)\n",
                s.corpus);
        s.skipped = true;
        return 0;
    }
    it_stack_adopt ();
    ow_config_t config;
    ow_config_load (&config);
    char *error = NULL;
    s.reg = ow_register_load (config.data, &error);
    assert_non_null (s.reg);
    build_site ();
    setenv ("OFWATCH_OFSTED_URL", it_ofsted_url (s.site), 1);
    setenv ("OFWATCH_WATCH_RATE", "10", 1);
    setenv ("OFWATCH_WATCH_BACKOFF_MS", "100", 1);
    setenv ("OFWATCH_WATCH_CONTACT", CONTACT, 1);
    return 0;
}

static int
teardown (void **state)
{
    it_stack_release ();
    it_ofsted_destroy (&s.site);
    ow_register_destroy (&s.reg);
    return 0;
}

//  ---------------------------------------------------------------------------
//  1. One pass stores every publication once, with its source URL

static void
test_first_pass (void **state)
{
    SKIP_WITHOUT_CORPUS ();
    mark ();
    int rc = -1;
    char *output = run_cli ("watch --once", &rc);
    mark ();
    if (rc != 0 || !contains (output, "pass complete")) {
        fprintf (stderr, "%s", output);
        fail_msg ("ofwatch watch --once: exit %d", rc);
    }

    size_t stored = 0;
    for (size_t i = 0; i < s.n_listed; i++) {
        const listed_t *l = &s.listed [i];
        long count = it_watch_sql_number ("SELECT count(*) FROM document WHERE source_url = '%s'",
                                          l->url);
        char *file_state = it_watch_sql ("SELECT state FROM watch.file WHERE url = '%s'",
                                         l->url);
        bool refused = file_state && streq (file_state, "refused");
        free (file_state);
        long documents = l->fate == STORED ? 1 : l->fate == NOT_STORED ? 0 : refused ? 0 : 1;
        if (count != documents) {
            fprintf (stderr, "%s", output);
            fail_msg ("%s: %ld documents carry it as their source, expected %ld", l->url,
                      count, documents);
        }
        if (refused) {
            //  Said once.
            assert_int_equal (l->fate, STORED_OR_REFUSED);
            assert_int_equal (count_occurrences (output, l->url), 1);
        }
        if (count == 0)
            continue;
        stored++;
        char *sha = it_watch_sql ("SELECT sha256 || ' ' || submitter FROM document"
                                  " WHERE source_url = '%s'", l->url);
        char *expected = ow_printf ("%s watch", l->sha256);
        assert_string_equal (sha, expected);
        free (sha);
        free (expected);
        //  A line on stdout for it.
        assert_true (contains (output, l->url));
    }
    const char *summary = strstr (output, "pass complete");
    printf ("  first pass: %.*s\n", (int) strcspn (summary, "\n"), summary);
    //  Twelve authorities, 2 reports each (1 for two of them) and 2 letters.
    assert_true (stored >= 20);
    assert_int_equal (it_watch_sql_number ("SELECT count(DISTINCT authority) FROM document"
                                           " WHERE source_url IS NOT NULL"), LISTED);
    //  Over two search pages.
    assert_int_equal (count_requests (s.marks [0], s.marks [1], has_path, "/search"), 2);
    assert_int_equal (count_requests (s.marks [0], s.marks [1], has_path,
                                      "/search?q=&location=&lat=&lon=&radius=&level_1_types=3"
                                      "&level_2_types[]=12&start=8&rows=100"), 1);

    //  The same bytes under a second URL: known, not a second document.
    char *dup = it_watch_sql ("SELECT state || ' ' || new_document FROM watch.file"
                              " WHERE url = '%s'", s.duplicate_url);
    assert_string_equal (dup, "stored false");
    free (dup);
    //  What a document is comes from the document, not the link's title.
    char *kind = it_watch_sql ("SELECT doc_kind FROM document WHERE source_url = '%s'",
                               s.misleading_url);
    assert_string_equal (kind, "inspection_report");
    free (kind);
    //  What cannot be used is remembered as such, and was said.
    char *refused = it_watch_sql ("SELECT state || ': ' || reason FROM watch.file"
                                  " WHERE url = '%s'", s.image_only_url);
    assert_true (contains (refused, "refused: "));
    assert_true (contains (refused, "no text"));
    free (refused);
    refused = it_watch_sql ("SELECT state || ': ' || reason FROM watch.file WHERE url = '%s'",
                            s.not_pdf_url);
    assert_true (contains (refused, "refused: it is not a PDF (the site sent application/pdf "
                                    "starting \"<!DOCTYPE html>"));
    free (refused);
    assert_int_equal (count_occurrences (output, s.image_only_url), 1);
    assert_int_equal (count_occurrences (output, s.not_pdf_url), 1);
    assert_true (contains (output, "will not be fetched again"));
    //  Every misbehaving page was said, and the pass went on.
    assert_true (contains (output, "markup has changed"));
    assert_true (contains (output, "HTTP 500 (4 attempts)"));
    assert_true (contains (output, "robots.txt of the site forbids"));
    //  Nothing is left waiting in the outbox.
    assert_int_equal (it_watch_sql_number ("SELECT count(*) FROM watch.file"
                                           " WHERE state = 'downloaded'"), 0);
    free (output);
}

static void
test_source_urls_travel (void **state)
{
    SKIP_WITHOUT_CORPUS ();
    assert_true (it_wait_settled (120000) > 0);
    //  document.received carries the source URL.
    it_events_t events = { 0 };
    assert_true (it_log_events (&events));
    size_t received = 0;
    for (size_t i = 0; i < events.count; i++) {
        const Ofwatch__V1__Event *event = events.events [i];
        if (event->type != OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DOCUMENT_RECEIVED)
            continue;
        const char *url = event->payload->document_received->source_url;
        bool listed = false;
        for (size_t j = 0; j < s.n_listed; j++)
            listed |= streq (s.listed [j].url, url);
        assert_true (listed);
        received++;
    }
    assert_int_equal (received, it_watch_sql_number ("SELECT count(*) FROM document"));
    it_events_free (&events);

    //  The summary export's inspection_link: the URL of the report its
    //  row is about (source_sha256), which is each authority's latest
    //  report but where analytics takes an earlier one as the latest full
    //  inspection (a report of the April 2026 framework prints no overall
    //  grade).
    Ofwatch__V1__Reply *summary = ask_summary ();
    assert_non_null (summary);
    size_t newest = 0;
    for (size_t i = 0; i < LISTED; i++) {
        Ofwatch__V1__SummaryRow *row = summary_row (summary, s.authorities [i].urn);
        assert_non_null (row);
        const char *expected = NULL;
        for (size_t j = 0; j < s.n_listed; j++)
            if (streq (s.listed [j].sha256, row->source_sha256))
                expected = s.listed [j].url;
        if (!expected || !streq (row->inspection_link, expected))
            fail_msg ("%s: inspection_link %s, expected %s", s.authorities [i].code,
                      row->inspection_link, expected ? expected : "(no listed report)");
        newest += streq (row->inspection_link, s.authorities [i].latest_url);
    }
    assert_true (newest >= LISTED - 2);
    ow_pb_free (&summary);
    int rc = -1;
    char *csv = it_cli ("export summary --format csv", &rc);
    assert_int_equal (rc, 0);
    assert_true (contains (csv, "inspection_link"));
    assert_true (contains (csv, s.authorities [BOLTON].latest_url));
    free (csv);
    //  And `ofwatch history --sources`.
    char *arguments = ow_printf ("history %s --sources", s.authorities [BARNSLEY].code);
    char *sources = it_cli (arguments, &rc);
    assert_int_equal (rc, 0);
    assert_true (contains (sources, s.authorities [BARNSLEY].latest_url));
    free (sources);
    free (arguments);
}

//  ---------------------------------------------------------------------------
//  2. The service's pass: nothing downloaded again, everything conditional

static bool
is_listed_page (const it_request_t *request, const void *argument)
{
    if (request->files_host)
        return false;
    if (strncmp (request->path, "/search", 7) == 0)
        return true;
    for (size_t i = 0; i < LISTED; i++) {
        char *page = ow_printf ("/provider/44/%s", s.authorities [i].urn);
        bool match = streq (request->path, page);
        free (page);
        if (match)
            return true;
    }
    return false;
}

static bool
is_conditional_304 (const it_request_t *request, const void *argument)
{
    return is_listed_page (request, NULL) && request->status == 304
        && (*request->if_none_match || *request->if_modified_since);
}

//  `promtool check metrics` on text: its exit code (0 when promtool is
//  not installed, said so).
static int
promtool_check (const char *text)
{
    if (system ("command -v promtool >/dev/null 2>&1") != 0) {
        printf ("  promtool is not installed: the metrics' format is not checked\n");
        return 0;
    }
    char path [] = "/tmp/ofwatch-watch-metrics-XXXXXX";
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    assert_int_equal (write (fd, text, strlen (text)), (ssize_t) strlen (text));
    close (fd);
    char *command = ow_printf ("promtool check metrics < %s", path);
    int status = system (command);
    free (command);
    unlink (path);
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_second_pass_downloads_nothing (void **state)
{
    SKIP_WITHOUT_CORPUS ();
    long documents = it_watch_sql_number ("SELECT count(*) FROM document");
    uint64_t last_seq = it_store_last_seq ();
    long complete = it_watch_passes ("complete");
    mark ();
    assert_true (it_watch_restart (it_ofsted_url (s.site), 1));
    assert_true (it_watch_wait_passes ("complete", complete + 1, PASS_TIMEOUT_MS));
    //  What it counted, before it stops.
    assert_true (it_watch_metric ("ofwatch_watch_passes_total", "outcome=\"complete\"") >= 1);
    assert_true (it_watch_metric ("ofwatch_watch_errors_total", "reason=\"markup\"") >= 1);
    assert_true (it_watch_metric ("ofwatch_watch_errors_total", "reason=\"http\"") >= 1);
    assert_true (it_watch_metric ("ofwatch_watch_errors_total", "reason=\"robots\"") >= 1);
    assert_true (it_watch_metric ("ofwatch_watch_pages_total",
                                  "kind=\"provider\",result=\"not_modified\"") >= LISTED);
    assert_true (it_watch_metric ("ofwatch_watch_last_success_timestamp_seconds", NULL)
                 > 1.7e9);
    assert_true (it_watch_metric ("ofwatch_watch_new_documents_total", NULL) <= 0);
    //  Every family described, and the text as Prometheus reads it.
    char *metrics = it_http_metrics (getenv ("OFWATCH_METRICS_PORT_WATCH"));
    assert_non_null (metrics);
    assert_null (strstr (metrics, "not described"));
    assert_int_equal (promtool_check (metrics), 0);
    free (metrics);
    int rc = -1;
    char *health = it_cli ("health", &rc);
    assert_int_equal (rc, 0);
    assert_true (contains (health, "last pass over Ofsted's site completed 20"));
    assert_false (contains (health, "cannot read Ofsted's site"));
    free (health);
    it_watch_stop ();
    mark ();
    char *cost = it_watch_sql ("SELECT requests || ' requests, ' || bytes || ' bytes received'"
                               " FROM watch.pass WHERE outcome = 'complete' ORDER BY id"
                               " OFFSET 1 LIMIT 1");
    printf ("  a pass with nothing new: %s\n", cost);
    free (cost);
    size_t from = s.marks [2], to = s.marks [3];
    assert_int_equal (count_requests (from, to, is_file, NULL), 0);
    //  Every page read before was asked for conditionally and not sent
    //  again (the search by ETag, provider pages by Last-Modified).
    size_t pages = count_requests (from, to, is_listed_page, NULL);
    assert_true (pages >= LISTED + 2);
    assert_int_equal (count_requests (from, to, is_conditional_304, NULL), pages);
    assert_int_equal (it_watch_sql_number ("SELECT count(*) FROM document"), documents);
    assert_int_equal (it_store_last_seq (), last_seq);
    //  Its log says what went wrong, in sentences.
    assert_true (it_watch_log_lines ("markup has changed") >= 1);
    assert_true (it_watch_log_lines ("\"level\":\"error\"") == 0);
}

//  ---------------------------------------------------------------------------
//  3. A publication added to the site

static void
test_new_publication_reaches_subscribers (void **state)
{
    SKIP_WITHOUT_CORPUS ();
    zsock_t *subscriber = it_subscribe ("");
    char *path = ow_printf ("%s/%s", s.corpus, s.held_back);
    char listed_on [11];
    snprintf (listed_on, sizeof listed_on, "%.10s", strrchr (path, '/') + 1);
    s.added_url = ow_strdup (it_ofsted_add_file (s.site, s.authorities [BEDFORD].urn, path,
                                                 "Children's services inspection", listed_on));
    free (path);
    mark ();
    int rc = -1;
    char *output = run_cli ("watch --once", &rc);
    mark ();
    if (rc != 0 || !contains (output, s.added_url)) {
        fprintf (stderr, "%s", output);
        fail_msg ("ofwatch watch --once: exit %d", rc);
    }
    assert_true (contains (output, "1 files downloaded, 1 new documents"));
    free (output);
    size_t from = s.marks [4], to = s.marks [5];
    assert_int_equal (count_requests (from, to, is_file, NULL), 1);
    assert_int_equal (count_requests (from, to, has_path, it_ofsted_file_path (s.added_url)), 1);

    //  document.received with its source URL, then the facts' events.
    const char *bedford = s.authorities [BEDFORD].code;
    bool received = false, inspection = false, judgement = false;
    int64_t deadline = zclock_mono () + 60000;
    while (zclock_mono () < deadline && !(received && inspection && judgement)) {
        Ofwatch__V1__Event *event = it_next_event (subscriber, 1000);
        if (!event)
            continue;
        if (event->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DOCUMENT_RECEIVED
            && streq (event->payload->document_received->source_url, s.added_url)) {
            assert_string_equal (event->authority, bedford);
            assert_string_equal (event->payload->document_received->submitter, "watch");
            received = true;
        }
        if (received && streq (event->authority, bedford)) {
            inspection |= event->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_INSPECTION_RECORDED;
            judgement |= event->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_RECORDED;
        }
        ow_pb_free (&event);
    }
    zsock_destroy (&subscriber);
    assert_true (received);
    assert_true (inspection);
    assert_true (judgement);

    //  Bedford's latest report is now the new one.
    assert_true (it_wait_settled (120000) > 0);
    Ofwatch__V1__Reply *summary = ask_summary ();
    Ofwatch__V1__SummaryRow *row = summary_row (summary, s.authorities [BEDFORD].urn);
    assert_non_null (row);
    assert_string_equal (row->inspection_link, s.added_url);
    ow_pb_free (&summary);
}

//  ---------------------------------------------------------------------------
//  4. What cannot be used: said once, counted once, never fetched again

static void
test_unusable_said_once (void **state)
{
    SKIP_WITHOUT_CORPUS ();
    const char *page = "<!DOCTYPE html><html><body><h1>Report not found</h1></body></html>";
    const char *urn = s.authorities [BRACKNELL].urn;
    char *not_pdf = ow_strdup (it_ofsted_add_bytes (s.site, urn, page, strlen (page),
                               "text/html", "Children's services inspection", "2025-02-02"));
    char *scan_path = ow_printf ("%s/tests/fixtures/image-only.pdf", getenv ("OFWATCH_TEST_TOP"));
    char *scan = ow_strdup (it_ofsted_add_file (s.site, urn, scan_path,
                                                "Annual engagement meeting", "2025-02-03"));
    free (scan_path);
    long complete = it_watch_passes ("complete");
    mark ();
    assert_true (it_watch_restart (it_ofsted_url (s.site), 1));
    assert_true (it_watch_wait_passes ("complete", complete + 3, PASS_TIMEOUT_MS));
    assert_true (it_watch_metric ("ofwatch_watch_errors_total", "reason=\"not_pdf\"") == 1);
    assert_true (it_watch_metric ("ofwatch_watch_errors_total", "reason=\"refused\"") == 1);
    assert_true (it_watch_metric ("ofwatch_watch_files_total", "result=\"refused\"") == 2);
    it_watch_stop ();
    mark ();
    assert_int_equal (it_watch_log_lines (not_pdf), 1);
    assert_int_equal (it_watch_log_lines (scan), 1);
    assert_true (it_watch_log_lines ("\"reason\":\"not_pdf\"") == 1);
    size_t from = s.marks [6], to = s.marks [7];
    assert_int_equal (count_requests (from, to, has_path, it_ofsted_file_path (not_pdf)), 1);
    assert_int_equal (count_requests (from, to, has_path, it_ofsted_file_path (scan)), 1);
    assert_int_equal (count_requests (from, to, is_file, NULL), 2);
    free (not_pdf);
    free (scan);
}

//  ---------------------------------------------------------------------------
//  Chosen authorities, and passes on a schedule from the command line

static bool
is_search (const it_request_t *request, const void *argument)
{
    return !request->files_host && strncmp (request->path, "/search", 7) == 0;
}

static void
test_named_authorities_and_schedule (void **state)
{
    SKIP_WITHOUT_CORPUS ();
    int rc = -1;
    char *output = run_cli ("watch --once --authority Nowhereshire", &rc);
    assert_int_equal (rc, 2);
    assert_true (contains (output, "no authority is known as \"Nowhereshire\""));
    free (output);

    //  Straight to the provider pages, without the search; found unchanged.
    mark ();
    char *arguments = ow_printf ("watch --once --authority %s --authority 'bolton'",
                                 s.authorities [BARNSLEY].code);
    output = run_cli (arguments, &rc);
    free (arguments);
    mark ();
    assert_int_equal (rc, 0);
    assert_true (contains (output, "0 search pages, 2 provider pages (2 pages not modified), "
                                   "0 files downloaded"));
    free (output);
    size_t from = s.marks [s.n_marks - 2], to = s.marks [s.n_marks - 1];
    assert_int_equal (count_requests (from, to, is_search, NULL), 0);
    char *barnsley = ow_printf ("/provider/44/%s", s.authorities [BARNSLEY].urn);
    char *bolton = ow_printf ("/provider/44/%s", s.authorities [BOLTON].urn);
    assert_int_equal (count_requests (from, to, has_path, barnsley), 1);
    assert_int_equal (count_requests (from, to, has_path, bolton), 1);
    assert_int_equal (count_requests (from, to, is_file, NULL), 0);
    free (barnsley);
    free (bolton);

    //  Without --once: a pass every interval until Ctrl-C.
    mark ();
    char *command = ow_printf ("OFWATCH_WATCH_INTERVAL=1 timeout -s INT 4 '%s/ofwatch' watch "
                               "--authority bolton 2>&1", getenv ("OFWATCH_TEST_BIN"));
    FILE *pipe = popen (command, "r");
    free (command);
    assert_non_null (pipe);
    char line [1024];
    size_t passes = 0;
    bool announced = false;
    while (fgets (line, sizeof line, pipe)) {
        announced |= contains (line, "a pass every 1 s over ");
        passes += contains (line, "pass complete: 0 search pages, 1 provider pages");
    }
    pclose (pipe);
    mark ();
    assert_true (announced);
    assert_true (passes >= 2);
}

//  ---------------------------------------------------------------------------
//  5. and 6. A site that cannot be read

static void
test_empty_search_fails_the_pass (void **state)
{
    SKIP_WITHOUT_CORPUS ();
    long documents = it_watch_sql_number ("SELECT count(*) FROM document");
    it_ofsted_set_empty_search (s.site, true);
    int rc = -1;
    char *output = run_cli ("watch --once", &rc);
    assert_int_equal (rc, 1);
    assert_true (contains (output, "cannot read Ofsted's site at "));
    assert_true (contains (output, "links no provider page"));
    free (output);
    long failed = it_watch_passes ("failed");
    assert_true (it_watch_restart (it_ofsted_url (s.site), 1));
    assert_true (it_watch_wait_passes ("failed", failed + 3, PASS_TIMEOUT_MS));
    assert_true (it_watch_metric ("ofwatch_watch_errors_total", "reason=\"empty_search\"") >= 2);
    assert_true (it_watch_metric ("ofwatch_watch_passes_total", "outcome=\"failed\"") >= 2);
    it_watch_stop ();
    assert_int_equal (it_watch_log_lines ("links no provider page"), 1);
    assert_int_equal (it_watch_sql_number ("SELECT count(*) FROM document"), documents);
    it_ofsted_set_empty_search (s.site, false);
}

static void
test_unreachable_site_said_once (void **state)
{
    SKIP_WITHOUT_CORPUS ();
    const char *nowhere = "http://127.0.0.1:1/";
    long failed = it_watch_passes ("failed");
    assert_true (it_watch_restart (nowhere, 1));
    assert_true (it_watch_wait_passes ("failed", failed + 3, PASS_TIMEOUT_MS));
    int rc = -1;
    char *health = it_cli ("health", &rc);
    assert_int_equal (rc, 0);
    //  The watch is well and says what it cannot do: its line is ok, with
    //  the last pass that completed and why none does now.
    char *line = strstr (health, "watch ");
    assert_non_null (line);
    line [strcspn (line, "\n")] = 0;
    assert_true (contains (line, " ok "));
    assert_true (contains (line, "last pass over Ofsted's site completed 20"));
    assert_true (contains (line, "; cannot read Ofsted's site at http://127.0.0.1:1/"));
    free (health);
    it_watch_stop ();
    assert_int_equal (it_watch_log_lines ("cannot read Ofsted's site at http://127.0.0.1:1/"), 1);
    assert_true (it_watch_log_lines ("the other services do not depend on it") >= 1);
    assert_true (it_watch_restart ("http://127.0.0.1:1/", 0));
}

//  ---------------------------------------------------------------------------
//  The manners, over everything the site saw

static void
test_manners (void **state)
{
    SKIP_WITHOUT_CORPUS ();
    size_t total = 0;
    it_request_t *r = it_ofsted_requests (s.site, &total);
    assert_true (total > 50);
    //  Each segment is one process's passes, paced as one.
    for (size_t m = 0; m + 1 < s.n_marks; m += 2) {
        size_t from = s.marks [m], to = s.marks [m + 1];
        assert_true (to > from);
        //  robots.txt of the site before anything else there.
        assert_false (r [from].files_host);
        assert_string_equal (r [from].path, "/robots.txt");
        for (size_t i = from; i < to; i++) {
            assert_true (contains (r [i].user_agent, "ofwatch"));
            assert_true (contains (r [i].user_agent, CONTACT));
            //  One at a time.
            if (i > from && r [i].start_us < r [i - 1].end_us)
                fail_msg ("request %zu (%s) began before %zu (%s) ended", i, r [i].path, i - 1,
                          r [i - 1].path);
            //  No more than RATE in any second.
            size_t in_second = 0;
            for (size_t j = i; j < to && r [j].start_us < r [i].start_us + 1000000; j++)
                in_second++;
            if (in_second > RATE)
                fail_msg ("%zu requests in the second after request %zu", in_second, i);
        }
    }
    //  The 503 retried after its Retry-After, and only then.
    char *busy = ow_printf ("/provider/44/%s", s.authorities [BRACKNELL].urn);
    size_t refusals = 0;
    for (size_t i = 0; i < total; i++) {
        if (r [i].status != 503)
            continue;
        refusals++;
        assert_string_equal (r [i].path, busy);
        assert_true (i + 1 < total);
        assert_string_equal (r [i + 1].path, busy);
        assert_true (r [i + 1].start_us - r [i].start_us >= RETRY_AFTER_S * 1000000);
        assert_int_equal (r [i + 1].status, 200);
    }
    assert_int_equal (refusals, 1);
    free (busy);
    //  What robots.txt forbids was never asked for.
    char urn [16];
    char *forbidden = ow_printf ("/provider/44/%s", urn_of (s_forbidden, urn, sizeof urn));
    for (size_t i = 0; i < total; i++)
        assert_false (!r [i].files_host && streq (r [i].path, forbidden));
    free (forbidden);
    //  No file was ever downloaded twice.
    for (size_t i = 0; i < total; i++)
        for (size_t j = i + 1; j < total; j++)
            if (r [i].files_host && r [j].files_host && r [i].status == 200
                && r [j].status == 200 && streq (r [i].path, r [j].path)
                && !streq (r [i].path, "/robots.txt"))
                fail_msg ("%s was downloaded twice", r [i].path);
    it_requests_free (&r, total);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_first_pass),
        cmocka_unit_test (test_source_urls_travel),
        cmocka_unit_test (test_second_pass_downloads_nothing),
        cmocka_unit_test (test_new_publication_reaches_subscribers),
        cmocka_unit_test (test_unusable_said_once),
        cmocka_unit_test (test_named_authorities_and_schedule),
        cmocka_unit_test (test_empty_search_fails_the_pass),
        cmocka_unit_test (test_unreachable_site_said_once),
        cmocka_unit_test (test_manners),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
