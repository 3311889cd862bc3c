/*  analytics against a clock: Herefordshire's reports and letters (the
    bundled samples) through the real stack, with analytics restarted on
    chosen days (OFWATCH_CLOCK) and its HTTP server on a free port.

    On 2022-12-20 the 2022 report's action plan (due 2022-12-30) is
    approaching and the 2018 one's has passed; Herefordshire has been
    inadequate since the July 2022 inspection (five months), has had five
    monitoring visits by October 2024, and its management oversight
    weakness recurs across inspections and visits. On 2025-06-01 the 2022
    deadline has passed and the next monitoring visit (due by four months
    after the October 2024 one) is overdue; the restart derives nothing
    twice. The pages render in headless Chromium with an SVG element for
    every inspection, and the CLI's report is the page the server serves.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_analytics.h"
#include "it_http.h"
#include "it_stack.h"
#include "it_support.h"
#include "ow_client.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/stat.h>

#define HEREFORDSHIRE "E06000019"
#define WAIT_MS       60000

static int s_http_port;

//  --------------------------------------------------------------------------
//  The stack

//  Stops analytics and starts it again standing on `day`, with its HTTP
//  server on s_http_port; returns once it answers.
static void
restart_analytics (const char *day)
{
    it_stack_kill ("analytics", SIGTERM);
    char port [16];
    snprintf (port, sizeof port, "%d", s_http_port);
    setenv ("OFWATCH_CLOCK", day, 1);
    setenv ("OFWATCH_HTTP_PORT", port, 1);
    assert_true (it_stack_start ("analytics"));
    int rc = 1;
    for (int i = 0; i < 120 && rc != 0; i++) {
        free (it_cli ("health --service analytics >/dev/null 2>&1", &rc));
        if (rc != 0)
            zclock_sleep (250);
    }
    assert_int_equal (rc, 0);
}

//  Asks analytics; the reply must have the expected body.
static Ofwatch__V1__Reply *
ask (Ofwatch__V1__Request *request, Ofwatch__V1__Reply__BodyCase expected)
{
    Ofwatch__V1__Reply *reply = it_analytics_ask (request, expected);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, expected);
    return reply;
}

static Ofwatch__V1__Reply *
history_of (const char *authority)
{
    Ofwatch__V1__Reply *reply = it_analytics_history (authority);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_AUTHORITY_HISTORY);
    return reply;
}

//  Every event of one type in the log, through notify's replay.
static void
events_of (Ofwatch__V1__EventType type, it_events_t *list)
{
    ow_config_t config;
    ow_config_load (&config);
    char *endpoint = ow_config_connectable (config.notify_replay);
    ow_client_t *replay = ow_client_new (endpoint, "notify");
    free (endpoint);
    Ofwatch__V1__EventFilter filter = OFWATCH__V1__EVENT_FILTER__INIT;
    int types [] = { type };
    filter.types = (Ofwatch__V1__EventType *) types;
    filter.n_types = 1;
    uint64_t after = 0;
    for (bool more = true; more;) {
        Ofwatch__V1__EventsAfter query = OFWATCH__V1__EVENTS_AFTER__INIT;
        query.after_seq = after;
        query.limit = 500;
        query.filter = &filter;
        Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
        request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
        request.events_after = &query;
        char *error = NULL;
        Ofwatch__V1__Reply *reply = ow_client_call (replay, &request, 10000, &error);
        free (error);
        assert_non_null (reply);
        assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_EVENTS);
        more = reply->events->n_events == query.limit;
        for (size_t i = 0; i < reply->events->n_events; i++) {
            after = reply->events->events [i]->seq;
            it_events_add (list, reply->events->events [i]);
            reply->events->events [i] = NULL;
        }
        reply->events->n_events = 0;
        ow_pb_free (&reply);
    }
    ow_client_destroy (&replay);
}

//  Deadline events of Herefordshire's action plan due on `due`; the
//  last one's date in the world into `occurred_on` when not NULL.
static size_t
count_deadline_events (Ofwatch__V1__EventType type, const char *due, char occurred_on [11])
{
    it_events_t list = { 0 };
    events_of (type, &list);
    size_t count = 0;
    for (size_t i = 0; i < list.count; i++) {
        const Ofwatch__V1__Event *e = list.events [i];
        if (strcmp (e->authority, HEREFORDSHIRE) == 0
            && strcmp (e->payload->deadline->deadline->due, due) == 0
            && strcmp (e->payload->deadline->deadline->kind, "action_plan") == 0) {
            count++;
            if (occurred_on)
                snprintf (occurred_on, 11, "%s", e->occurred_on);
        }
    }
    it_events_free (&list);
    return count;
}

//  Waits until at least `count` such deadline events are in the log.
static void
wait_for_deadline (Ofwatch__V1__EventType type, const char *due)
{
    int64_t until = zclock_mono () + WAIT_MS;
    while (count_deadline_events (type, due, NULL) == 0 && zclock_mono () < until)
        zclock_sleep (200);
    assert_int_equal (count_deadline_events (type, due, NULL), 1);
}

static int
setup (void **state)
{
    it_stack_adopt ();
    s_http_port = it_http_free_port ();
    restart_analytics ("2022-12-20");
    char *samples = it_sample ("");
    char *submissions [] = {
        ow_printf ("submit '%sherefordshire' >/dev/null", samples),
        //  The 2023 council paper prints no publication date: its meeting's.
        ow_printf ("submit --published 2023-06-22"
                   " '%sherefordshire-2023-06-22-cabinet-monitoring-visit-feedback.txt' >/dev/null",
                   samples),
        ow_printf ("submit '%sherefordshire-2024-12-04-monitoring-visit.txt' >/dev/null", samples),
    };
    int rc = 0;
    for (size_t i = 0; i < 3; i++) {
        int submitted = -1;
        free (it_cli (submissions [i], &submitted));
        rc |= submitted;
        free (submissions [i]);
    }
    free (samples);
    return rc;
}

//  --------------------------------------------------------------------------
//  Against the clock

static void
test_deadline_approaches_against_the_clock (void **state)
{
    wait_for_deadline (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_APPROACHING, "2022-12-30");
    char occurred [11] = "";
    count_deadline_events (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_APPROACHING,
                           "2022-12-30", occurred);
    assert_string_equal (occurred, "2022-12-16");           // 14 days before it falls due
    //  The 2018 report's plan fell due long before the clock's day.
    wait_for_deadline (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_PASSED, "2018-10-30");
    assert_int_equal (count_deadline_events (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_PASSED,
                                             "2022-12-30", NULL), 0);
    assert_int_equal (count_deadline_events (
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_APPROACHING, "2018-10-30", NULL), 0);
}

static void
test_state_of_an_inadequate_authority (void **state)
{
    Ofwatch__V1__Reply *reply = history_of ("herefordshire");
    const Ofwatch__V1__AuthorityState *s = reply->authority_history->state;
    assert_non_null (s);
    assert_string_equal (s->as_of, "2022-12-20");
    assert_int_equal (s->overall, OFWATCH__V1__GRADE__GRADE_INADEQUATE);
    assert_true (s->inadequate);
    assert_string_equal (s->inadequate_since, "2022-07-18");
    assert_int_equal (s->months_inadequate, 5);
    assert_int_equal (s->monitoring_visits, 5);             // the October 2024 letter: "fifth"
    assert_string_equal (s->last_visit, "2024-10-23");
    assert_int_equal (s->n_open_deadlines, 1);
    assert_string_equal (s->open_deadlines [0]->due, "2022-12-30");
    assert_non_null (s->next);
    assert_int_equal (s->next->kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT);
    assert_int_equal (s->n_spells, 1);
    assert_true (s->spells [0]->ongoing);

    const Ofwatch__V1__ThemeRecurring *r = it_analytics_recurring (s,
        OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT);
    assert_non_null (r);
    assert_true (it_analytics_occurs_on (r, "2022-07-18"));     // the inspection
    assert_true (it_analytics_occurs_on (r, "2023-03-29"));     // the first visit (cabinet paper)
    assert_true (it_analytics_occurs_on (r, "2024-10-22"));     // the fifth visit's letter
    for (size_t i = 0; i < r->n_occurrences; i++) {
        assert_int_equal (strlen (r->occurrences [i]->source_sha256), 64);
        assert_true (strlen (r->occurrences [i]->text) > 20);
    }
    ow_pb_free (&reply);

    //  The CLI shows the same state.
    int rc = -1;
    char *out = it_cli ("history E06000019", &rc);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (out, "since 2022-07-18: 5 months; 5 monitoring visits since"));
    assert_non_null (strstr (out, "management_oversight"));
    assert_non_null (strstr (out, "action_plan due 2022-12-30"));
    free (out);
}

static void
test_recurring_theme_is_an_event_with_every_occurrence (void **state)
{
    it_events_t list = { 0 };
    const Ofwatch__V1__ThemeRecurring *latest = NULL;
    int64_t until = zclock_mono () + WAIT_MS;
    while (!latest && zclock_mono () < until) {
        it_events_free (&list);
        events_of (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_THEME_RECURRING, &list);
        for (size_t i = 0; i < list.count; i++) {
            const Ofwatch__V1__Event *e = list.events [i];
            assert_int_equal (e->payload->body_case, OFWATCH__V1__PAYLOAD__BODY_THEME_RECURRING);
            assert_int_equal (e->theme, e->payload->theme_recurring->theme);
            if (e->theme == OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT
                && it_analytics_occurs_on (e->payload->theme_recurring, "2024-10-22"))
                latest = e->payload->theme_recurring;
        }
        if (!latest)
            zclock_sleep (200);
    }
    assert_non_null (latest);
    assert_true (it_analytics_occurs_on (latest, "2022-07-18"));
    assert_true (it_analytics_occurs_on (latest, "2023-03-29"));
    it_events_free (&list);
}

static void
test_the_clock_moves_on (void **state)
{
    size_t themes_before = 0;
    it_events_t list = { 0 };
    events_of (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_THEME_RECURRING, &list);
    themes_before = list.count;
    it_events_free (&list);

    restart_analytics ("2025-06-01");
    wait_for_deadline (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_PASSED, "2022-12-30");
    //  Restarting derived nothing twice.
    assert_int_equal (count_deadline_events (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_PASSED,
                                             "2018-10-30", NULL), 1);
    assert_int_equal (count_deadline_events (
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_APPROACHING, "2022-12-30", NULL), 1);
    events_of (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_THEME_RECURRING, &list);
    assert_int_equal (list.count, themes_before);
    it_events_free (&list);

    //  Four months after the last visit (2024-10-23) is 2025-02-23.
    const Ofwatch__V1__VisitOverdue *overdue = NULL;
    int64_t until = zclock_mono () + WAIT_MS;
    while (!overdue && zclock_mono () < until) {
        it_events_free (&list);
        events_of (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_VISIT_OVERDUE, &list);
        for (size_t i = 0; i < list.count; i++)
            if (strcmp (list.events [i]->authority, HEREFORDSHIRE) == 0) {
                overdue = list.events [i]->payload->visit_overdue;
                assert_string_equal (list.events [i]->occurred_on, "2025-02-24");
            }
        if (!overdue)
            zclock_sleep (200);
    }
    assert_non_null (overdue);
    assert_int_equal (list.count, 1);
    assert_string_equal (overdue->last_visit, "2024-10-23");
    assert_int_equal (overdue->days_since, ow_date_from_iso ("2025-06-01")
                                           - ow_date_from_iso ("2024-10-23"));
    assert_int_equal (overdue->expected_within_days, ow_date_from_iso ("2025-02-23")
                                                     - ow_date_from_iso ("2024-10-23"));
    it_events_free (&list);

    Ofwatch__V1__Reply *reply = history_of (HEREFORDSHIRE);
    const Ofwatch__V1__AuthorityState *s = reply->authority_history->state;
    assert_int_equal (s->months_inadequate, 34);
    assert_int_equal (s->n_open_deadlines, 0);
    assert_true (s->next->overdue);
    ow_pb_free (&reply);
}

//  --------------------------------------------------------------------------
//  Queries

static void
test_benchmark_and_themes (void **state)
{
    Ofwatch__V1__BenchmarkQuery query = OFWATCH__V1__BENCHMARK_QUERY__INIT;
    query.authority = "884";                                 // the DfE code
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_BENCHMARK;
    request.benchmark = &query;
    Ofwatch__V1__Reply *reply = ask (&request, OFWATCH__V1__REPLY__BODY_BENCHMARK);
    const Ofwatch__V1__Benchmark *b = reply->benchmark;
    assert_string_equal (b->authority->authority->code, HEREFORDSHIRE);
    assert_int_equal (b->n_neighbours, 10);
    assert_int_equal (b->n_groups, 3);
    assert_string_equal (b->groups [0]->kind, "neighbours");
    assert_int_equal (b->groups [0]->authorities, 11);
    assert_string_equal (b->groups [1]->name, "West Midlands");
    assert_int_equal (b->groups [2]->inadequate_now, 1);
    assert_int_equal (b->authority->rank, 1);               // the only one graded here
    ow_pb_free (&reply);

    int rc = -1;
    char *out = it_cli ("themes --authority herefordshire --since 2022-01-01", &rc);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (out, "management_oversight"));
    free (out);
    out = it_cli ("themes --since 2022-13-01 2>&1", &rc);
    assert_int_equal (rc, 2);
    assert_non_null (strstr (out, "--since needs a date"));
    free (out);
    out = it_cli ("benchmark atlantis 2>&1", &rc);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (out, "no authority is known as \"atlantis\""));
    free (out);
}

//  --------------------------------------------------------------------------
//  HTTP and pictures

static char *
http_get (const char *path, long *status, const char *method)
{
    char *url = ow_printf ("http://127.0.0.1:%d%s", s_http_port, path);
    char *body = it_http (url, method, 30, status);
    free (url);
    assert_non_null (body);
    return body;
}

static void
test_http_api (void **state)
{
    long status = 0;
    char *body = http_get ("/api/authority/herefordshire", &status, NULL);
    assert_int_equal (status, 200);
    assert_non_null (strstr (body, "\"code\":\"E06000019\""));
    assert_non_null (strstr (body, "\"months_inadequate\":34"));
    assert_non_null (strstr (body, "\"theme\":\"management_oversight\""));
    free (body);
    body = http_get ("/api/themes?authority=E06000019&since=2024-01-01", &status, NULL);
    assert_int_equal (status, 200);
    assert_non_null (strstr (body, "\"since\":\"2024-01-01\""));
    free (body);
    body = http_get ("/api/national", &status, NULL);
    assert_int_equal (status, 200);
    assert_non_null (strstr (body, "\"authorities\":153"));
    free (body);
    body = http_get ("/api/summary", &status, NULL);
    assert_int_equal (status, 200);
    assert_non_null (strstr (body, "\"inspection_start_date\":\"18/07/2022\""));
    free (body);
    body = http_get ("/api/authority/atlantis", &status, NULL);
    assert_int_equal (status, 404);
    assert_non_null (strstr (body, "\"code\":\"not_found\""));
    free (body);
    body = http_get ("/api/themes?since=yesterday", &status, NULL);
    assert_int_equal (status, 400);
    free (body);
    body = http_get ("/api/national", &status, "POST");
    assert_int_equal (status, 405);
    free (body);
}

static size_t
count_of (const char *text, const char *what)
{
    size_t count = 0;
    for (const char *at = strstr (text, what); at; at = strstr (at + 1, what))
        count++;
    return count;
}

//  Runs headless Chromium on a page: its DOM after rendering (caller
//  frees) and a screenshot at `png`.
static char *
chromium (const char *path, const char *png)
{
    char profile [] = "/tmp/ofwatch-chromium.XXXXXX";
    assert_non_null (mkdtemp (profile));
    char *flags = ow_printf ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                             " --disable-background-networking --disable-component-update"
                             " --disable-sync --user-data-dir=%s --window-size=1240,1800",
                             profile);
    char *url = ow_printf ("http://127.0.0.1:%d%s", s_http_port, path);
    char *shot = ow_printf ("timeout 120 chromium %s --screenshot='%s' '%s' >/dev/null 2>&1",
                            flags, png, url);
    assert_int_equal (system (shot), 0);
    char *dump = ow_printf ("timeout 120 chromium %s --dump-dom '%s' 2>/dev/null", flags, url);
    FILE *pipe = popen (dump, "r");
    assert_non_null (pipe);
    char *dom = NULL;
    size_t dom_size = 0;
    FILE *out = open_memstream (&dom, &dom_size);
    char buffer [65536];
    size_t n;
    while ((n = fread (buffer, 1, sizeof buffer, pipe)) > 0)
        fwrite (buffer, 1, n, out);
    fclose (out);
    assert_int_equal (pclose (pipe), 0);
    char *clean = ow_printf ("rm -rf '%s'", profile);
    assert_int_equal (system (clean), 0);
    free (clean);
    free (dump);
    free (shot);
    free (url);
    free (flags);
    return dom;
}

//  build/test-output/test_analytics/NAME: kept after the run (the
//  harness removes the stack's own directory when a test passes).
static char *
output_path (const char *name)
{
    char *dir = ow_printf ("%s/../test-output/test_analytics", getenv ("OFWATCH_TEST_BIN"));
    char *make = ow_printf ("mkdir -p '%s'", dir);
    assert_int_equal (system (make), 0);
    char *path = ow_printf ("%s/%s", dir, name);
    free (make);
    free (dir);
    return path;
}

static void
expect_png (const char *path)
{
    struct stat info;
    assert_int_equal (stat (path, &info), 0);
    assert_true (info.st_size > 10000);
    FILE *file = fopen (path, "rb");
    unsigned char signature [8] = { 0 };
    assert_int_equal (fread (signature, 1, 8, file), 8);
    fclose (file);
    assert_memory_equal (signature, "\x89PNG\r\n\x1a\n", 8);
}

static void
test_reports_render_in_chromium (void **state)
{
    if (system ("command -v chromium >/dev/null 2>&1") != 0) {
        printf ("skipped: chromium is not installed (apt-get install chromium)\n");
        skip ();
    }
    Ofwatch__V1__Reply *reply = history_of (HEREFORDSHIRE);
    const Ofwatch__V1__AuthorityHistory *h = reply->authority_history;
    char *png = output_path ("herefordshire.png");
    char *dom = chromium ("/authority/E06000019", png);
    expect_png (png);
    assert_int_equal (count_of (dom, "class=\"inspection\""), h->n_inspections);
    for (size_t i = 0; i < h->n_inspections; i++) {
        char *mark = ow_printf ("data-kind=\"%s\" data-start=\"%s\"",
                                ow_kind_word (h->inspections [i]->kind),
                                h->inspections [i]->start_date);
        if (!strstr (dom, mark))
            fprintf (stderr, "no SVG element for %s\n", mark);
        assert_non_null (strstr (dom, mark));
        free (mark);
    }
    assert_int_equal (count_of (dom, "class=\"deadline\""), h->n_deadlines);
    assert_int_equal (count_of (dom, "<h3 class=\"recurring\""), h->state->n_recurring);
    assert_non_null (strstr (dom, "<svg class=\"timeline\""));
    free (dom);
    free (png);
    ow_pb_free (&reply);

    png = output_path ("england.png");
    dom = chromium ("/national", png);
    expect_png (png);
    assert_int_equal (count_of (dom, "class=\"authority\""), 153);
    assert_non_null (strstr (dom, "data-code=\"E06000019\" data-grade=\"inadequate\""));
    assert_int_equal (count_of (dom, "class=\"transition\""), 25);
    assert_non_null (strstr (dom, "class=\"transition\" data-from=\"requires_improvement\""
                                  " data-to=\"inadequate\" data-count=\"1\""));
    assert_true (count_of (dom, "class=\"heat\"") > 10);
    free (dom);
    free (png);
}

static void
test_cli_report_is_the_served_page (void **state)
{
    char *file = output_path ("herefordshire.html");
    char *arguments = ow_printf ("report herefordshire -o '%s'", file);
    int rc = -1;
    free (it_cli (arguments, &rc));
    assert_int_equal (rc, 0);
    zchunk_t *written = zchunk_slurp (file, 0);
    assert_non_null (written);
    long status = 0;
    char *served = http_get ("/authority/herefordshire", &status, NULL);
    assert_int_equal (status, 200);
    assert_int_equal (zchunk_size (written), strlen (served));
    assert_memory_equal (zchunk_data (written), served, strlen (served));
    free (served);
    zchunk_destroy (&written);
    free (arguments);
    free (file);

    char *out = it_cli ("report atlantis -o /dev/null 2>&1", &rc);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (out, "no authority is known"));
    free (out);
}

static int
teardown (void **state)
{
    it_stack_release ();
    return 0;
}

int
main (void)
{
    curl_global_init (CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_deadline_approaches_against_the_clock),
        cmocka_unit_test (test_state_of_an_inadequate_authority),
        cmocka_unit_test (test_recurring_theme_is_an_event_with_every_occurrence),
        cmocka_unit_test (test_the_clock_moves_on),
        cmocka_unit_test (test_benchmark_and_themes),
        cmocka_unit_test (test_http_api),
        cmocka_unit_test (test_reports_render_in_chromium),
        cmocka_unit_test (test_cli_report_is_the_served_page),
    };
    int failed = cmocka_run_group_tests (tests, setup, teardown);
    curl_global_cleanup ();
    return failed;
}
