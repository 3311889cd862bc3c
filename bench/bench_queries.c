/*  bench_queries — how fast analytics answers, as a client sees it.

    usage: bench_queries [COUNT]

    Asks analytics (OFWATCH_ANALYTICS) every question it answers, COUNT
    times each (default 1000; a tenth of that for the whole-England ones
    and the pages), over its ROUTER with real protobuf, one request at a
    time, and prints the median and 99th percentile of the round trips.
    Single-authority questions rotate over every authority with a graded
    inspection. Targets: p99 under 2 ms for one authority, under 50 ms for
    England; the rendered pages are reported without a target. Exit 1
    when a target is not met.
*/

#include "ow_client.h"
#include "ow_config.h"
#include "ow_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SINGLE_TARGET_MS    2.0
#define NATIONAL_TARGET_MS  50.0

typedef struct {
    ow_client_t *analytics;
    char **codes;               // authorities with a graded inspection
    size_t n_codes;
    bool failed;
    //  What the prepared requests point at: one request is in flight at
    //  a time.
    Ofwatch__V1__HistoryQuery history;
    Ofwatch__V1__BenchmarkQuery benchmark;
    Ofwatch__V1__ThemesQuery themes;
    Ofwatch__V1__NationalQuery national;
    Ofwatch__V1__SummaryQuery summary;
    Ofwatch__V1__ReportQuery report;
} bench_t;

typedef enum { ONE_AUTHORITY, ENGLAND, PAGE } scope_t;

static int
compare_doubles (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

//  One round trip; the reply (caller frees) or NULL after saying why.
static Ofwatch__V1__Reply *
call (bench_t *self, Ofwatch__V1__Request *request, double *ms)
{
    int64_t start = zclock_usecs ();
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (self->analytics, request, 30000, &error);
    *ms = (double) (zclock_usecs () - start) / 1000.0;
    if (!reply || reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR) {
        fprintf (stderr, "bench_queries: %s\n", reply ? ow_client_error_message (reply) : error);
        ow_pb_free (&reply);
    }
    free (error);
    return reply;
}

//  Fills in the request for the i-th call of a kind.
typedef void (prepare_fn) (bench_t *self, Ofwatch__V1__Request *request, size_t i);

static void
measure (bench_t *self, const char *name, scope_t scope, size_t count, prepare_fn *prepare)
{
    double *times = calloc (count, sizeof (double));
    size_t done = 0;
    for (size_t i = 0; i < count && !zsys_interrupted; i++) {
        Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
        prepare (self, &request, i);
        double ms = 0;
        Ofwatch__V1__Reply *reply = call (self, &request, &ms);
        if (!reply) {
            self->failed = true;
            break;
        }
        ow_pb_free (&reply);
        times [done++] = ms;
    }
    if (!done) {
        printf ("query %s: FAILED (no answer)\n", name);
        free (times);
        return;
    }
    qsort (times, done, sizeof (double), compare_doubles);
    double p50 = times [done / 2], p99 = times [(done * 99) / 100];
    printf ("query %s: p50 %.3f ms, p99 %.3f ms over %zu", name, p50, p99, done);
    if (scope == PAGE)
        printf (" (reported, no target)\n");
    else {
        double target = scope == ONE_AUTHORITY ? SINGLE_TARGET_MS : NATIONAL_TARGET_MS;
        bool met = p99 < target;
        printf (" (target p99 < %.0f ms): %s\n", target, met ? "met" : "NOT met");
        self->failed |= !met;
    }
    free (times);
}

static void
prepare_history (bench_t *self, Ofwatch__V1__Request *request, size_t i)
{
    self->history.authority = self->codes [i % self->n_codes];
    request->body_case = OFWATCH__V1__REQUEST__BODY_AUTHORITY_HISTORY;
    request->authority_history = &self->history;
}

static void
prepare_benchmark (bench_t *self, Ofwatch__V1__Request *request, size_t i)
{
    self->benchmark.authority = self->codes [i % self->n_codes];
    request->body_case = OFWATCH__V1__REQUEST__BODY_BENCHMARK;
    request->benchmark = &self->benchmark;
}

static void
prepare_themes_one (bench_t *self, Ofwatch__V1__Request *request, size_t i)
{
    self->themes.authority = self->codes [i % self->n_codes];
    self->themes.since = (char *) "";
    request->body_case = OFWATCH__V1__REQUEST__BODY_THEMES;
    request->themes = &self->themes;
}

static void
prepare_themes_england (bench_t *self, Ofwatch__V1__Request *request, size_t i)
{
    self->themes.authority = (char *) "";
    self->themes.since = (char *) "";
    request->body_case = OFWATCH__V1__REQUEST__BODY_THEMES;
    request->themes = &self->themes;
}

static void
prepare_national (bench_t *self, Ofwatch__V1__Request *request, size_t i)
{
    request->body_case = OFWATCH__V1__REQUEST__BODY_NATIONAL;
    request->national = &self->national;
}

static void
prepare_summary (bench_t *self, Ofwatch__V1__Request *request, size_t i)
{
    request->body_case = OFWATCH__V1__REQUEST__BODY_SUMMARY;
    request->summary = &self->summary;
}

static void
prepare_report_one (bench_t *self, Ofwatch__V1__Request *request, size_t i)
{
    self->report.authority = self->codes [i % self->n_codes];
    self->report.national = false;
    request->body_case = OFWATCH__V1__REQUEST__BODY_REPORT;
    request->report = &self->report;
}

static void
prepare_report_england (bench_t *self, Ofwatch__V1__Request *request, size_t i)
{
    self->report.authority = (char *) "";
    self->report.national = true;
    request->body_case = OFWATCH__V1__REQUEST__BODY_REPORT;
    request->report = &self->report;
}

//  Authorities with a graded full inspection, from the national view.
static bool
find_authorities (bench_t *self)
{
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    prepare_national (self, &request, 0);
    double ms = 0;
    Ofwatch__V1__Reply *reply = call (self, &request, &ms);
    if (!reply)
        return false;
    for (size_t r = 0; r < reply->national->n_regions; r++)
        for (size_t a = 0; a < reply->national->regions [r]->n_authorities; a++) {
            const Ofwatch__V1__Standing *s = reply->national->regions [r]->authorities [a];
            if (s->overall)
                ow_pb_append_string (&self->codes, &self->n_codes, s->authority->code);
        }
    ow_pb_free (&reply);
    return self->n_codes > 0;
}

int
main (int argc, char **argv)
{
    size_t count = argc > 1 ? strtoul (argv [1], NULL, 10) : 1000;
    if (count < 10) {
        fprintf (stderr, "usage: bench_queries [COUNT >= 10]\n");
        return 2;
    }
    zsys_init ();
    ow_config_t config;
    ow_config_load (&config);
    bench_t self = {
        .history = OFWATCH__V1__HISTORY_QUERY__INIT,
        .benchmark = OFWATCH__V1__BENCHMARK_QUERY__INIT,
        .themes = OFWATCH__V1__THEMES_QUERY__INIT,
        .national = OFWATCH__V1__NATIONAL_QUERY__INIT,
        .summary = OFWATCH__V1__SUMMARY_QUERY__INIT,
        .report = OFWATCH__V1__REPORT_QUERY__INIT,
    };
    char *endpoint = ow_config_connectable (config.analytics);
    self.analytics = ow_client_new (endpoint, "analytics");
    free (endpoint);
    if (!find_authorities (&self)) {
        printf ("query latency: FAILED (analytics knows no graded authority)\n");
        ow_client_destroy (&self.analytics);
        return 1;
    }
    //  The machine is shared: its load says how much of a tail is ours.
    double load [1] = { 0 };
    getloadavg (load, 1);
    printf ("queries: %zu authorities with a graded inspection, one request at a time over"
            " analytics' ROUTER; load average %.2f on %ld cores\n", self.n_codes, load [0],
            sysconf (_SC_NPROCESSORS_ONLN));
    measure (&self, "history (one authority)", ONE_AUTHORITY, count, prepare_history);
    measure (&self, "benchmark (one authority)", ONE_AUTHORITY, count, prepare_benchmark);
    measure (&self, "themes (one authority)", ONE_AUTHORITY, count, prepare_themes_one);
    measure (&self, "themes (England)", ENGLAND, count / 10, prepare_themes_england);
    measure (&self, "national (England)", ENGLAND, count / 10, prepare_national);
    measure (&self, "export summary (England)", ENGLAND, count / 10, prepare_summary);
    measure (&self, "report page (one authority)", PAGE, count / 10, prepare_report_one);
    measure (&self, "report page (England)", PAGE, count / 10, prepare_report_england);
    for (size_t i = 0; i < self.n_codes; i++)
        free (self.codes [i]);
    free (self.codes);
    ow_client_destroy (&self.analytics);
    return self.failed ? 1 : 0;
}
