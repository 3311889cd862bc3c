/*  Nothing is lost and nothing is doubled while the stack is knocked
    over: real processes, real PostgreSQL, real sockets.

    While two client threads stream 1000 generated documents into ingest
    (retrying, with the same bytes, whatever gets no acknowledgement), the
    test kills store, ingest, analytics and notify in turn with SIGKILL and
    restarts each as `make up` would, then stops and starts PostgreSQL.
    Meanwhile a ZeroMQ subscriber follows notify (replay, then live, the
    way `ofwatch events --follow` does) and a webhook receiver takes
    notify's POSTs. Afterwards:

    - every acknowledged document is in PostgreSQL, once;
    - the log's seqs are 1..N with no gap;
    - the subscriber and the webhook receiver each hold every event of the
      log once, by id, in seq order (the receiver may have been sent again
      the one event in flight when notify was killed; it drops it by id);
    - each derived event was derived once for its cause;
    - `ofwatch events --from 1` prints the whole log, `--from K` the log
      from K, with no repeat.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_listener.h"
#include "it_log.h"
#include "it_stack.h"
#include "it_support.h"
#include "it_webhook.h"
#include "ow_client.h"
#include "ow_vocab.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#define DOCUMENTS        1000
#define SUBMITTERS       2
#define REPORT_EVERY     5           // every fifth document has judgements
#define SECRET           "fault-test-secret"

//  ---- submitters -------------------------------------------------------------

typedef struct {
    unsigned first, count;           // the documents this thread submits
    atomic_uint *acked_total;        // shared progress, for the fault schedule
    char **acked;                    // sha256 of each acknowledged document
    size_t n_acked;
    size_t retries;
    char *rejection;                 // the first refusal, if any
} submitter_t;

static void *
submitter_run (void *argument)
{
    submitter_t *self = argument;
    ow_client_t *ingest = it_ingest_client ();
    for (unsigned n = self->first; n < self->first + self->count; n++) {
        char *sha256 = NULL, *problem = NULL;
        if (it_submit_document (ingest, n, REPORT_EVERY, "faults", &sha256, &problem,
                                &self->retries)) {
            ow_pb_append_string (&self->acked, &self->n_acked, sha256);
            atomic_fetch_add (self->acked_total, 1);
        }
        else if (!self->rejection)
            self->rejection = problem;
        else
            free (problem);
        free (sha256);
    }
    ow_client_destroy (&ingest);
    return NULL;
}

//  ---- faults -------------------------------------------------------------------

//  Waits until `more` further documents have been acknowledged (or 60 s),
//  so each fault lands while documents are streaming in.
static void
wait_for_progress (atomic_uint *acked_total, unsigned more)
{
    unsigned target = atomic_load (acked_total) + more;
    int64_t deadline = zclock_mono () + 60000;
    while (atomic_load (acked_total) < target && atomic_load (acked_total) < DOCUMENTS
           && zclock_mono () < deadline)
        zclock_sleep (20);
}

static void
kill_and_restart (const char *service)
{
    assert_true (it_stack_kill (service, SIGKILL));
    assert_true (it_stack_start (service));
    print_message ("killed -9 and restarted %s\n", service);
}

static void
run_faults (atomic_uint *acked_total)
{
    const char *services [] = { "store", "ingest", "analytics", "notify" };
    for (size_t i = 0; i < 4; i++) {
        wait_for_progress (acked_total, DOCUMENTS / 8);
        kill_and_restart (services [i]);
    }
    wait_for_progress (acked_total, DOCUMENTS / 8);
    assert_true (it_stack_pg_stop ());
    zclock_sleep (500);
    assert_true (it_stack_pg_start ());
    print_message ("stopped and started PostgreSQL (%u documents acknowledged)\n",
                   atomic_load (acked_total));
}

//  ---- checks -------------------------------------------------------------------

static void
check_documents (submitter_t *submitters, size_t count)
{
    PGresult *result = it_pg_query ("SELECT count(*), count(DISTINCT sha256) FROM document");
    assert_non_null (result);
    size_t rows = strtoull (PQgetvalue (result, 0, 0), NULL, 10);
    assert_int_equal (rows, strtoull (PQgetvalue (result, 0, 1), NULL, 10));
    PQclear (result);
    result = it_pg_query ("SELECT sha256 FROM document");
    assert_non_null (result);
    zhashx_t *stored = zhashx_new ();
    for (int row = 0; row < PQntuples (result); row++)
        zhashx_insert (stored, PQgetvalue (result, row, 0), (void *) 1);
    PQclear (result);
    size_t acked = 0;
    for (size_t s = 0; s < count; s++)
        for (size_t i = 0; i < submitters [s].n_acked; i++, acked++)
            if (!zhashx_lookup (stored, submitters [s].acked [i]))
                fail_msg ("acknowledged document %s is not in PostgreSQL",
                          submitters [s].acked [i]);
    assert_int_equal (acked, DOCUMENTS);
    assert_int_equal (rows, DOCUMENTS);     // nothing stored twice, nothing unacknowledged
    zhashx_destroy (&stored);
}

static void
check_log (const it_log_t *log)
{
    assert_true (log->count > 2 * DOCUMENTS);
    for (size_t i = 0; i < log->count; i++)
        if (log->seqs [i] != i + 1)
            fail_msg ("the log has seq %lu at position %zu", (unsigned long) log->seqs [i], i + 1);
    PGresult *result = it_pg_query ("SELECT last_seq FROM event_counter");
    assert_non_null (result);
    assert_int_equal (strtoull (PQgetvalue (result, 0, 0), NULL, 10), log->count);
    PQclear (result);
}

static void
check_subscriber (const it_events_t *events, const it_log_t *log)
{
    assert_int_equal (events->count, log->count);
    for (size_t i = 0; i < log->count; i++) {
        assert_int_equal (events->events [i]->seq, log->seqs [i]);
        assert_string_equal (events->events [i]->id, log->ids [i]);
    }
}

//  Every delivery signed; the accepted ones, without repeats by id, are
//  the log in order; at most `repeats_allowed` were sent again.
static void
check_webhook (it_webhook_t *receiver, const it_log_t *log, size_t repeats_allowed)
{
    size_t count = 0;
    it_delivery_t *deliveries = it_webhook_deliveries (receiver, &count);
    zhashx_t *seen = zhashx_new ();
    size_t unique = 0, repeats = 0;
    for (size_t i = 0; i < count; i++) {
        assert_true (it_webhook_signature_ok (&deliveries [i], SECRET));
        assert_string_equal (deliveries [i].content_type, "application/cloudevents+json");
        if (zhashx_lookup (seen, deliveries [i].id)) {
            repeats++;
            continue;
        }
        zhashx_insert (seen, deliveries [i].id, (void *) 1);
        assert_true (unique < log->count);
        assert_string_equal (deliveries [i].id, log->ids [unique]);
        assert_int_equal (deliveries [i].seq, log->seqs [unique]);
        unique++;
    }
    assert_int_equal (unique, log->count);
    print_message ("webhook: %zu deliveries, %zu sent again\n", count, repeats);
    assert_true (repeats <= repeats_allowed);
    zhashx_destroy (&seen);
    it_deliveries_free (&deliveries, count);
}

static void
check_derived_once (const it_events_t *events)
{
    zhashx_t *causes = zhashx_new ();
    size_t derived = 0;
    for (size_t i = 0; i < events->count; i++) {
        char *cause = it_event_cause (events->events [i]);
        if (!cause)
            continue;
        if (zhashx_lookup (causes, cause))
            fail_msg ("derived twice: %s", cause);
        zhashx_insert (causes, cause, (void *) 1);
        derived++;
        free (cause);
    }
    print_message ("%zu derived events, each once\n", derived);
    assert_true (derived > 0);
    zhashx_destroy (&causes);
}

//  `ofwatch events --from K --json` prints seqs K..last, each once.
static void
check_cli_replay (uint64_t from, uint64_t last)
{
    char *arguments = ow_printf ("events --from %lu --json", (unsigned long) from);
    int rc = -1;
    char *out = it_cli (arguments, &rc);
    assert_int_equal (rc, 0);
    uint64_t expected = from;
    for (char *line = out; *line; ) {
        char *end = strchr (line, '\n');
        assert_non_null (end);
        assert_true (strncmp (line, "{\"seq\":", 7) == 0);
        assert_int_equal (strtoull (line + 7, NULL, 10), expected);
        expected++;
        line = end + 1;
    }
    assert_int_equal (expected, last + 1);
    free (out);
    free (arguments);
}

//  ---- the test -----------------------------------------------------------------

static void
test_nothing_lost_or_doubled_under_faults (void **state)
{
    it_stack_adopt ();
    it_webhook_t *receiver = it_webhook_new ();
    assert_non_null (receiver);
    char *arguments = ow_printf ("webhook add '%s' --secret '%s' --from 1",
                                 it_webhook_url (receiver), SECRET);
    int rc = -1;
    char *id = it_cli (arguments, &rc);
    assert_int_equal (rc, 0);
    assert_true (strtoull (id, NULL, 10) > 0);

    it_listener_t *subscriber = it_listener_new (true);

    atomic_uint acked_total = 0;
    submitter_t submitters [SUBMITTERS] = { { 0 } };
    pthread_t threads [SUBMITTERS];
    int64_t started = zclock_mono ();
    for (unsigned s = 0; s < SUBMITTERS; s++) {
        submitters [s].first = s * (DOCUMENTS / SUBMITTERS);
        submitters [s].count = DOCUMENTS / SUBMITTERS;
        submitters [s].acked_total = &acked_total;
        assert_int_equal (pthread_create (&threads [s], NULL, submitter_run, &submitters [s]), 0);
    }
    run_faults (&acked_total);
    size_t retries = 0;
    for (unsigned s = 0; s < SUBMITTERS; s++) {
        pthread_join (threads [s], NULL);
        if (submitters [s].rejection)
            fail_msg ("a document was refused: %s", submitters [s].rejection);
        retries += submitters [s].retries;
    }
    print_message ("%d documents acknowledged in %.1f s, %zu submissions sent again\n",
                   DOCUMENTS, (double) (zclock_mono () - started) / 1000, retries);

    uint64_t last = it_wait_settled (90000);
    assert_true (last > 0);
    int64_t deadline = zclock_mono () + 60000;
    while ((it_listener_count (subscriber) < last || it_webhook_accepted (receiver) < last)
           && zclock_mono () < deadline)
        zclock_sleep (100);
    it_events_t heard = { 0 };
    it_listener_destroy (&subscriber, &heard);
    print_message ("log settled at seq %lu after %.1f s\n", (unsigned long) last,
                   (double) (zclock_mono () - started) / 1000);

    it_log_t log;
    assert_true (it_log_read (&log));
    assert_int_equal (log.count, last);
    check_documents (submitters, SUBMITTERS);
    check_log (&log);
    check_subscriber (&heard, &log);
    //  Two of the faults interrupt a delivery: notify's kill, and
    //  PostgreSQL's restart, which takes the lead (a PostgreSQL session)
    //  and the unsaved cursor with it. Each may repeat its one event in
    //  flight.
    check_webhook (receiver, &log, 2);
    check_derived_once (&heard);
    check_cli_replay (1, last);
    check_cli_replay (last / 2, last);

    it_log_free (&log);
    it_events_free (&heard);
    for (unsigned s = 0; s < SUBMITTERS; s++) {
        for (size_t i = 0; i < submitters [s].n_acked; i++)
            free (submitters [s].acked [i]);
        free (submitters [s].acked);
    }
    free (id);
    free (arguments);
    it_webhook_destroy (&receiver);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_nothing_lost_or_doubled_under_faults),
    };
    return cmocka_run_group_tests_name ("faults", tests, NULL, it_stack_teardown);
}
