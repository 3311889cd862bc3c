/*  Operating ofwatch: metrics that move, and stopping cleanly.

    Each service serves Prometheus metrics; a submission must move the
    counters it concerns. Each service, sent SIGTERM in the middle of a
    stream of submissions, must exit within 10 seconds without losing
    anything it acknowledged: after the services are started again (as
    `make up` would), every acknowledged document is stored exactly once.
    While store is frozen, ingest still answers (its health says store
    cannot be reached), and a submission waiting for store is stored and
    answered once store goes on.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>

#include "it_http.h"
#include "it_keys.h"
#include "it_stack.h"
#include "it_support.h"
#include "ow_client.h"
#include "ow_hash.h"

//  ---------------------------------------------------------------------
//  Metrics

//  GET /metrics of a service; caller frees.
static char *
scrape (const char *service)
{
    char variable [64];
    snprintf (variable, sizeof variable, "OFWATCH_METRICS_PORT_%s", service);
    const char *port = getenv (variable);
    assert_non_null (port);
    char *body = it_http_metrics (port);
    assert_non_null (body);
    return body;
}

//  The value of the series whose line starts with `series` (0 if absent).
static double
metric (const char *text, const char *series)
{
    for (const char *line = text; line && *line; line = strchr (line, '\n')) {
        if (*line == '\n')
            line++;
        if (strncmp (line, series, strlen (series)) == 0)
            return strtod (line + strlen (series), NULL);
    }
    return 0;
}

static void
test_metrics_move_with_a_submission (void **state)
{
    char *ingest = scrape ("INGEST"), *store = scrape ("STORE"), *notify = scrape ("NOTIFY");
    char *analytics = scrape ("ANALYTICS");
    //  The harness's health checks were answered and counted.
    assert_true (metric (analytics, "ofwatch_requests_total{service=\"analytics\","
                                    "request=\"health\",outcome=\"ok\"}") >= 1);
    double received = metric (ingest, "ofwatch_documents_received_total{service=\"ingest\"}");
    double submits = metric (ingest,
        "ofwatch_requests_total{service=\"ingest\",request=\"submit\",outcome=\"ok\"}");
    double stored = metric (store,
        "ofwatch_documents_stored_total{service=\"store\",duplicate=\"false\"}");
    double store_published = metric (store, "ofwatch_events_published_total{service=\"store\"}");
    double notify_published = metric (notify, "ofwatch_events_published_total{service=\"notify\"}");

    char *path = it_sample ("st-helens/2019-11-04.pdf");
    Ofwatch__V1__Reply *reply = it_submit_file (path);
    free (path);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
    double events = (double) reply->submit->n_event_seqs;
    assert_true (events >= 3);
    ow_pb_free (&reply);
    zclock_sleep (1500);            // notify republishes asynchronously

    char *ingest2 = scrape ("INGEST"), *store2 = scrape ("STORE"), *notify2 = scrape ("NOTIFY");
    assert_true (metric (ingest2, "ofwatch_documents_received_total{service=\"ingest\"}")
                 == received + 1);
    assert_true (metric (ingest2,
        "ofwatch_requests_total{service=\"ingest\",request=\"submit\",outcome=\"ok\"}")
                 == submits + 1);
    assert_non_null (strstr (ingest2, "ofwatch_request_seconds_bucket{service=\"ingest\","
                                      "request=\"submit\",le=\"+Inf\"}"));
    assert_true (metric (store2, "ofwatch_documents_stored_total{service=\"store\","
                                 "duplicate=\"false\"}") == stored + 1);
    //  analytics may add derived events: at least the document's.
    assert_true (metric (store2, "ofwatch_events_published_total{service=\"store\"}")
                 >= store_published + events);
    assert_true (metric (notify2, "ofwatch_events_published_total{service=\"notify\"}")
                 >= notify_published + events);
    assert_non_null (strstr (notify2, "ofwatch_catchup_lag{service=\"notify\"} 0"));
    free (ingest); free (store); free (notify); free (analytics);
    free (ingest2); free (store2); free (notify2);
}

//  ---------------------------------------------------------------------
//  SIGTERM in the middle of a stream

#define STREAM_THREADS     2
#define STREAM_PER_THREAD  60

typedef struct {
    int thread;
    char *letter;                   // the sample text each document varies
    char acknowledged [STREAM_PER_THREAD][OW_HASH_HEX_SIZE];
    size_t n_acknowledged;
    size_t n_refused;
} stream_t;

static void *
submit_stream (void *argument)
{
    stream_t *stream = argument;
    ow_config_t config;
    ow_config_load (&config);
    char *endpoint = ow_config_connectable (config.ingest);
    ow_client_t *ingest = ow_client_new (endpoint, "ingest");
    free (endpoint);
    for (int i = 0; i < STREAM_PER_THREAD; i++) {
        char *text = ow_printf ("%s\nReference: shutdown stream %d/%d\n", stream->letter,
                                stream->thread, i);
        Ofwatch__V1__SubmitRequest submit = OFWATCH__V1__SUBMIT_REQUEST__INIT;
        submit.content.data = (uint8_t *) text;
        submit.content.len = strlen (text);
        submit.file_name = (char *) "stream.txt";
        Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
        request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
        request.submit = &submit;
        //  Services come and go: retry the same bytes until acknowledged.
        Ofwatch__V1__Reply *reply = NULL;
        for (int attempt = 0; attempt < 60 && !reply; attempt++) {
            char *error = NULL;
            reply = ow_client_call (ingest, &request, 5000, &error);
            free (error);
            if (reply && reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR
                && reply->error->code == OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE)
                ow_pb_free (&reply);
            if (!reply)
                zclock_sleep (250);
        }
        if (reply && reply->body_case == OFWATCH__V1__REPLY__BODY_SUBMIT)
            snprintf (stream->acknowledged [stream->n_acknowledged++], OW_HASH_HEX_SIZE, "%s",
                      reply->submit->sha256);
        else
            stream->n_refused++;
        ow_pb_free (&reply);
        free (text);
    }
    ow_client_destroy (&ingest);
    return NULL;
}

static void
test_sigterm_mid_stream_loses_nothing (void **state)
{
    char *path = it_sample ("herefordshire-2024-12-04-monitoring-visit.txt");
    zchunk_t *letter = zchunk_slurp (path, 0);
    free (path);
    assert_non_null (letter);
    char *text = ow_strndup ((const char *) zchunk_data (letter), zchunk_size (letter));
    zchunk_destroy (&letter);

    stream_t streams [STREAM_THREADS];
    pthread_t threads [STREAM_THREADS];
    for (int t = 0; t < STREAM_THREADS; t++) {
        memset (&streams [t], 0, sizeof streams [t]);
        streams [t].thread = t;
        streams [t].letter = text;
        pthread_create (&threads [t], NULL, submit_stream, &streams [t]);
    }
    const char *services [] = { "store", "ingest", "analytics", "notify" };
    it_stack_adopt ();
    for (size_t s = 0; s < 4; s++) {
        zclock_sleep (700);
        assert_true (it_stack_pid (services [s]) > 0);
        //  it_stack_kill returns once the service is gone, using SIGKILL
        //  only after 15 s: a clean exit is one well inside 10 s.
        int64_t sent = zclock_mono ();
        assert_true (it_stack_kill (services [s], SIGTERM));
        int64_t took = zclock_mono () - sent;
        print_message ("%s exited %ld ms after SIGTERM\n", services [s], (long) took);
        assert_true (took < 10000);
        assert_true (it_stack_start (services [s]));
    }
    for (int t = 0; t < STREAM_THREADS; t++)
        pthread_join (threads [t], NULL);
    free (text);

    //  Every acknowledged document is in PostgreSQL exactly once.
    PGconn *db = PQconnectdb (getenv ("OFWATCH_PG"));
    assert_int_equal (PQstatus (db), CONNECTION_OK);
    size_t acknowledged = 0;
    for (int t = 0; t < STREAM_THREADS; t++) {
        assert_int_equal (streams [t].n_refused, 0);
        for (size_t i = 0; i < streams [t].n_acknowledged; i++) {
            const char *values [] = { streams [t].acknowledged [i] };
            PGresult *result = PQexecParams (db, "SELECT count(*) FROM document WHERE sha256 = $1",
                                             1, NULL, values, NULL, NULL, 0);
            assert_int_equal (PQresultStatus (result), PGRES_TUPLES_OK);
            assert_string_equal (PQgetvalue (result, 0, 0), "1");
            PQclear (result);
            acknowledged++;
        }
    }
    assert_int_equal (acknowledged, STREAM_THREADS * STREAM_PER_THREAD);
    //  And the log stayed gapless through it all.
    PGresult *gaps = PQexec (db, "SELECT count(*), coalesce (max(seq), 0) FROM event");
    assert_string_equal (PQgetvalue (gaps, 0, 0), PQgetvalue (gaps, 0, 1));
    PQclear (gaps);
    PQfinish (db);
}

//  ---------------------------------------------------------------------
//  A stalled store

static void
test_ingest_answers_while_store_is_stalled (void **state)
{
    char *path = it_sample ("herefordshire-2024-12-04-monitoring-visit.txt");
    zchunk_t *sample = zchunk_slurp (path, 0);
    free (path);
    assert_non_null (sample);
    //  New bytes, so a new document rather than a duplicate.
    char *content = ow_printf ("%.*s\nReceived while store was stalled.\n",
                               (int) zchunk_size (sample), (char *) zchunk_data (sample));
    zchunk_destroy (&sample);

    pid_t store = it_stack_pid ("store");
    assert_true (store > 0);
    assert_int_equal (kill (store, SIGSTOP), 0);
    ow_client_t *submitter = it_client_as ("ingest", getenv ("OFWATCH_CERT"));
    assert_true (it_send_bytes (submitter, content, strlen (content), "stalled.txt"));
    zclock_sleep (1500);         // decoded and sent on to store by now

    ow_client_t *asker = it_client_as ("ingest", getenv ("OFWATCH_CERT"));
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    char *error = NULL;
    int64_t asked = zclock_mono ();
    Ofwatch__V1__Reply *health = ow_client_call (asker, &request, 8000, &error);
    int64_t took = zclock_mono () - asked;
    assert_int_equal (kill (store, SIGCONT), 0);
    if (!health)
        fail_msg ("ingest did not answer while store was stalled: %s", error);
    //  ingest's own check of store waits 2 s, and says store is out of reach.
    assert_true (took < 5000);
    assert_non_null (strstr (ow_client_error_message (health), "cannot reach store"));
    ow_pb_free (&health);
    ow_client_destroy (&asker);

    Ofwatch__V1__Reply *reply = ow_client_receive (submitter, 20000, &error);
    if (!reply)
        fail_msg ("no answer after store went on: %s", error);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
    assert_false (reply->submit->duplicate);
    ow_pb_free (&reply);
    ow_client_destroy (&submitter);
    free (content);
}

int
main (void)
{
    curl_global_init (CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_metrics_move_with_a_submission),
        cmocka_unit_test (test_sigterm_mid_stream_loses_nothing),
        cmocka_unit_test (test_ingest_answers_while_store_is_stalled),
    };
    int failed = cmocka_run_group_tests_name ("operations", tests, NULL, it_stack_teardown);
    curl_global_cleanup ();
    return failed;
}
