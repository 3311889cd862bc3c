/*  One key flooding ingest with submissions it may not make.

    5,000 submissions from a council key, each declaring an authority the
    key may not speak for, are sent at a thousand a second. They
    count against the key's rate like any other request (1,200 a minute
    by default: a burst of 120, then 20 a second): those within it are
    refused for who sent them and audited, the rest are told "too many
    requests ... try again in S s" and cost no audit row, so the audit
    table grows by at most the rate's worth of the time the flood took.
    Meanwhile another key's documents are stored and health is answered,
    and the log says all of it in a few throttled lines. A submission
    whose file name is 4 MiB is refused for its length before anything
    uses it: no audit row, no log line holding it.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <libpq-fe.h>

#include "it_documents.h"
#include "it_keys.h"
#include "it_log.h"
#include "it_support.h"

#include <pthread.h>
#include <stdatomic.h>

#define FLOOD           5000
#define WINDOW          200
//  Sent at most this many a second: the flood lasts some seconds, while
//  the other key's documents go through, and is still 50 times the rate.
#define FLOOD_PER_S     1000
#define RATE            1200            // OFWATCH_RATE_LIMIT's default, a minute
#define BURST           (RATE / 10)
#define REJECTED        OFWATCH__V1__ERROR__CODE__CODE_REJECTED
#define UNAVAILABLE     OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE

static int
make_keys (void **state)
{
    assert_int_equal (it_keys ("new spammer --authority Herefordshire"), 0);
    assert_int_equal (it_keys ("new bystander --role inspectorate"), 0);
    return 0;
}

static long
audit_rows (const char *key)
{
    char *sql = ow_printf ("SELECT count(*) FROM audit WHERE key_name = '%s'", key);
    PGresult *result = it_pg_query (sql);
    free (sql);
    assert_non_null (result);
    long count = atol (PQgetvalue (result, 0, 0));
    PQclear (result);
    return count;
}

typedef struct {
    ow_client_t *client;                // the spammer's
    size_t refused, limited, other;
    double seconds;
    atomic_bool done;
} flood_t;

//  Sends FLOOD submissions as the spammer, WINDOW in flight at a time.
static void *
flood_run (void *argument)
{
    flood_t *flood = argument;
    ow_client_t *client = flood->client;
    const char *text = "Minutes of the St Helens corporate parenting board";
    Ofwatch__V1__SubmitRequest submit = OFWATCH__V1__SUBMIT_REQUEST__INIT;
    submit.content.data = (uint8_t *) text;
    submit.content.len = strlen (text);
    submit.file_name = "board.txt";
    submit.declared_authority = "St Helens";
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
    request.submit = &submit;
    int64_t started = zclock_mono ();
    size_t sent = 0, answered = 0;
    while (answered < FLOOD) {
        while (sent < FLOOD && sent - answered < WINDOW
               && zclock_mono () >= started + (int64_t) (sent * 1000 / FLOOD_PER_S)) {
            char *error = NULL;
            if (!ow_client_send (client, &request, &error))
                fprintf (stderr, "flood: %s\n", error);
            free (error);
            sent++;
        }
        char *error = NULL;
        Ofwatch__V1__Reply *reply = sent > answered ? ow_client_receive (client, 60000, &error)
                                                    : NULL;
        if (sent == answered) {
            zclock_sleep (1);
            continue;
        }
        if (!reply) {
            fprintf (stderr, "flood: %s\n", error);
            free (error);
            break;
        }
        answered++;
        if (it_error_code (reply) == REJECTED
            && strstr (reply->error->message, "declared to be about St. Helens"))
            flood->refused++;
        else
        if (it_error_code (reply) == UNAVAILABLE
            && strstr (reply->error->message, "too many requests from key spammer")
            && strstr (reply->error->message, "try again in"))
            flood->limited++;
        else {
            if (flood->other++ == 0)
                fprintf (stderr, "flood: unexpected answer: %s\n",
                         ow_client_error_message (reply));
        }
        ow_pb_free (&reply);
    }
    flood->seconds = (double) (zclock_mono () - started) / 1000;
    atomic_store (&flood->done, true);
    ow_client_destroy (&client);
    return NULL;
}

static void
test_refusals_are_rate_limited_and_others_are_served (void **state)
{
    long audited_before = audit_rows ("spammer");
    //  Made before the flood's thread starts: a client reads OFWATCH_CERT,
    //  which it_client_as sets for a moment.
    char *cert = it_key_path ("bystander");
    ow_client_t *bystander = it_client_as ("ingest", cert);
    free (cert);
    cert = it_key_path ("spammer");
    flood_t flood = { .client = it_client_as ("ingest", cert) };
    free (cert);
    pthread_t thread;
    pthread_create (&thread, NULL, flood_run, &flood);

    //  Meanwhile, another key's documents are stored and health answered.
    size_t stored = 0;
    for (unsigned n = 1; n <= 5; n++) {
        char *file_name = NULL;
        char *text = it_document (n, 2, "abuse", &file_name);
        int64_t started = zclock_mono ();
        Ofwatch__V1__Reply *reply = it_submit_bytes (bystander, text, strlen (text), file_name);
        stored += it_stored (&reply);
        assert_false (atomic_load (&flood.done));       // the flood is still going on
        printf ("    bystander's document %u stored in %d ms during the flood\n", n,
                (int) (zclock_mono () - started));
        free (text);
        free (file_name);
        int rc = -1;
        free (it_cli ("health >/dev/null 2>&1", &rc));
        assert_int_equal (rc, 0);
    }
    ow_client_destroy (&bystander);
    pthread_join (thread, NULL);
    assert_int_equal (stored, 5);

    long audited = audit_rows ("spammer") - audited_before;
    long bound = BURST + (long) (flood.seconds * RATE / 60) + 2;
    printf ("    %d refused submissions in %.1f s: %zu refused for the declared authority "
            "and audited (%ld audit rows, at most %ld), %zu over the key's rate\n", FLOOD,
            flood.seconds, flood.refused, audited, bound, flood.limited);
    assert_int_equal (flood.other, 0);
    assert_int_equal (flood.refused + flood.limited, FLOOD);
    assert_true (flood.refused >= BURST);
    assert_true ((long) flood.refused <= bound);
    assert_int_equal (audited, (long) flood.refused);

    //  A handful of log lines said it, each kind at most once per ten
    //  seconds with how many times it happened.
    size_t periods = (size_t) (flood.seconds / 10) + 2;
    size_t over_rate = it_log_lines_with ("ingest", "refused requests over a key's rate");
    size_t audit_lines = it_log_lines_with ("ingest", "refused a submission for who sent it");
    printf ("    ingest logged %zu lines about the rate and %zu about the refusals\n",
            over_rate, audit_lines);
    assert_true (over_rate >= 1 && over_rate <= periods);
    assert_true (audit_lines >= 1 && audit_lines <= periods);
}

static void
test_a_huge_file_name_is_refused_before_use (void **state)
{
    long audited_before = audit_rows ("bystander");
    size_t length = 4u << 20;
    char *name = ow_malloc (length + 1);
    memset (name, 'n', length);
    name [length] = 0;
    char *cert = it_key_path ("bystander");
    ow_client_t *client = it_client_as ("ingest", cert);
    free (cert);
    Ofwatch__V1__Reply *reply = it_submit_bytes (client, "text", 4, name);
    assert_int_equal (it_error_code (reply), OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST);
    assert_non_null (strstr (reply->error->message,
                             "submit.file_name is 4194304 bytes, over its limit of 1024"));
    assert_true (strlen (reply->error->message) < 200);
    ow_pb_free (&reply);
    ow_client_destroy (&client);
    free (name);
    assert_int_equal (audit_rows ("bystander"), audited_before);
    size_t longest = it_log_longest_line ("ingest");
    printf ("    ingest's longest log line: %zu bytes\n", longest);
    assert_true (longest < 8192);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_refusals_are_rate_limited_and_others_are_served),
        cmocka_unit_test (test_a_huge_file_name_is_refused_before_use),
    };
    zsys_init ();
    zsys_set_logstream (NULL);
    return cmocka_run_group_tests (tests, make_keys, NULL);
}
