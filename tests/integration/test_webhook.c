/*  Webhooks, end to end: notify POSTing to real HTTP receivers.

    One receiver is down for a while, then answers 500 for a while, then
    200; it must end with every event once, in seq order, each signed with
    its subscription's secret, having been sent nothing out of order while
    it failed. A second, healthy subscription must meanwhile have received
    everything long before the first recovered. `ofwatch webhook` adds,
    lists (state, cursor, failures, last error, never the secret), filters,
    disables, enables and removes; a subscription resumes from its cursor
    across a restart of notify.

    notify is restarted at the start with short backoffs
    (OFWATCH_WEBHOOK_BACKOFF_MS), so failures pile up in seconds.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_log.h"
#include "it_stack.h"
#include "it_support.h"
#include "it_webhook.h"

#include <signal.h>
#include <unistd.h>

#define SLOW_SECRET     "slow-receiver-secret"
#define HEALTHY_SECRET  "healthy-receiver-secret"
#define REPORT_EVERY    3

//  Runs `ofwatch webhook ARGUMENTS`; returns stdout (caller frees).
static char *
webhook_cli (int *rc, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *arguments = NULL;
    assert_true (vasprintf (&arguments, format, args) > 0);
    va_end (args);
    char *command = ow_printf ("webhook %s", arguments);
    char *out = it_cli (command, rc);
    free (command);
    free (arguments);
    return out;
}

//  Adds a subscription, giving the secret on the command line or, with
//  in_file, in a file.
static uint64_t
add_webhook_with (const char *url, const char *secret, bool in_file, const char *options)
{
    int rc = -1;
    char *out = NULL;
    if (in_file) {
        char *path = ow_printf ("%s/webhook-%d.secret", getenv ("OFWATCH_TEST_LOG"), getpid ());
        FILE *file = fopen (path, "w");
        assert_non_null (file);
        fprintf (file, "%s\n", secret);
        fclose (file);
        out = webhook_cli (&rc, "add '%s' --secret-file '%s' %s", url, path, options);
        remove (path);
        free (path);
    }
    else
        out = webhook_cli (&rc, "add '%s' --secret '%s' %s", url, secret, options);
    assert_int_equal (rc, 0);
    uint64_t id = strtoull (out, NULL, 10);
    assert_true (id > 0);
    free (out);
    return id;
}

static uint64_t
add_webhook (const char *url, const char *secret, const char *options)
{
    return add_webhook_with (url, secret, false, options);
}

//  The JSON line `webhook list --json` prints for subscription id
//  (caller frees), or NULL.
static char *
listing_of (uint64_t id)
{
    int rc = -1;
    char *out = webhook_cli (&rc, "list --json");
    assert_int_equal (rc, 0);
    char *prefix = ow_printf ("{\"id\":%lu,", (unsigned long) id);
    char *line = NULL;
    for (char *at = out; at && *at; ) {
        char *end = strchr (at, '\n');
        if (strncmp (at, prefix, strlen (prefix)) == 0)
            line = end ? ow_strndup (at, (size_t) (end - at)) : ow_strdup (at);
        at = end ? end + 1 : NULL;
    }
    free (prefix);
    free (out);
    return line;
}

static bool
listing_says (uint64_t id, const char *fragment)
{
    char *line = listing_of (id);
    bool says = line && strstr (line, fragment);
    free (line);
    return says;
}

//  Waits up to timeout_ms for the condition; true when it came.
#define WAIT_FOR(condition, timeout_ms) ({ \
    int64_t deadline_ = zclock_mono () + (timeout_ms); \
    while (!(condition) && zclock_mono () < deadline_) \
        zclock_sleep (50); \
    (condition); })

//  The accepted deliveries, without repeats, must be the log from
//  log->seqs [from] on, in order, each signed with secret.
static void
expect_log_delivered (it_webhook_t *receiver, const it_log_t *log, size_t from,
                      const char *secret)
{
    size_t count = 0;
    it_delivery_t *deliveries = it_webhook_deliveries (receiver, &count);
    size_t next = from;
    for (size_t i = 0; i < count; i++) {
        assert_true (it_webhook_signature_ok (&deliveries [i], secret));
        assert_string_equal (deliveries [i].content_type, "application/cloudevents+json");
        assert_non_null (strstr (deliveries [i].body, "\"specversion\":\"1.0\""));
        assert_non_null (strstr (deliveries [i].body, "\"source\":\"ofwatch\""));
        if (deliveries [i].status != 200)
            continue;
        assert_true (next < log->count);
        assert_string_equal (deliveries [i].id, log->ids [next]);
        assert_int_equal (deliveries [i].seq, log->seqs [next]);
        next++;
    }
    assert_int_equal (next, log->count);
    it_deliveries_free (&deliveries, count);
}

static void
restart_notify_with_short_backoff (void)
{
    setenv ("OFWATCH_WEBHOOK_BACKOFF_MS", "50", 1);
    setenv ("OFWATCH_WEBHOOK_BACKOFF_MAX_MS", "300", 1);
    assert_true (it_stack_kill ("notify", SIGTERM));
    assert_true (it_stack_start ("notify"));
    int rc = -1;
    char *out = NULL;
    assert_true (WAIT_FOR ((free (out), out = it_cli ("health --service notify", &rc), rc == 0),
                           20000));
    free (out);
}

static void
test_failing_receiver_ends_with_everything_once_and_delays_nobody (void **state)
{
    it_stack_adopt ();
    restart_notify_with_short_backoff ();
    it_webhook_t *slow = it_webhook_new ();
    it_webhook_t *healthy = it_webhook_new ();
    assert_non_null (slow);
    assert_non_null (healthy);
    it_webhook_stop (slow);                                     // down
    uint64_t slow_id = add_webhook (it_webhook_url (slow), SLOW_SECRET, "--from 1");
    uint64_t healthy_id = add_webhook_with (it_webhook_url (healthy), HEALTHY_SECRET, true,
                                            "--from 1");

    char *problem = it_submit_documents (0, 30, REPORT_EVERY, "webhook");
    assert_null (problem);
    uint64_t last = it_wait_settled (60000);
    assert_true (last > 60);
    //  The healthy one has everything while the other is still down.
    assert_true (WAIT_FOR (it_webhook_accepted (healthy) >= last, 2000));
    int64_t healthy_done = zclock_mono ();
    assert_true (WAIT_FOR (listing_says (slow_id, "\"state\":\"failing\""), 20000));
    assert_true (listing_says (slow_id, "\"cursor\":0,"));
    assert_true (listing_says (slow_id, "Failed to connect") || listing_says (slow_id, "refused"));
    assert_true (listing_says (healthy_id, "\"state\":\"ok\""));

    //  Up, but failing: the first event is offered again and again.
    it_webhook_set_status (slow, 500);
    assert_true (it_webhook_start (slow));
    size_t count = 0;
    it_delivery_t *deliveries = NULL;
    assert_true (WAIT_FOR ((it_deliveries_free (&deliveries, count),
                            deliveries = it_webhook_deliveries (slow, &count), count >= 4), 20000));
    for (size_t i = 0; i < count; i++) {
        assert_int_equal (deliveries [i].status, 500);
        assert_int_equal (deliveries [i].seq, 1);
    }
    it_deliveries_free (&deliveries, count);
    assert_true (WAIT_FOR (listing_says (slow_id, "answered HTTP 500"), 10000));

    it_webhook_set_status (slow, 200);
    int64_t recovered = zclock_mono ();
    assert_true (WAIT_FOR (it_webhook_accepted (slow) >= last, 30000));
    assert_true (healthy_done < recovered);

    it_log_t log;
    assert_true (it_log_read (&log));
    assert_int_equal (log.count, last);
    expect_log_delivered (slow, &log, 0, SLOW_SECRET);
    expect_log_delivered (healthy, &log, 0, HEALTHY_SECRET);
    assert_int_equal (it_webhook_accepted (slow), last);        // nothing sent twice
    assert_int_equal (it_webhook_accepted (healthy), last);
    assert_true (WAIT_FOR (listing_says (slow_id, "\"state\":\"ok\",\"failures\":0"), 5000));
    char *cursor = ow_printf ("\"cursor\":%lu,", (unsigned long) last);
    assert_true (listing_says (slow_id, cursor));
    free (cursor);

    //  The secret never comes back, in either listing.
    int rc = -1;
    char *text = webhook_cli (&rc, "list");
    char *json = webhook_cli (&rc, "list --json");
    assert_null (strstr (text, SLOW_SECRET));
    assert_null (strstr (json, SLOW_SECRET));
    assert_null (strstr (text, HEALTHY_SECRET));
    assert_non_null (strstr (text, "ok"));
    free (text);
    free (json);

    it_log_free (&log);
    free (webhook_cli (&rc, "rm %lu", (unsigned long) slow_id));
    free (webhook_cli (&rc, "rm %lu", (unsigned long) healthy_id));
    it_webhook_destroy (&slow);
    it_webhook_destroy (&healthy);
}

static void
test_filtered_subscription_resumes_after_notify_restarts (void **state)
{
    it_webhook_t *receiver = it_webhook_new ();
    uint64_t from = it_service_seq ("store") + 1;
    char *options = ow_printf ("--type judgement.recorded --authority herefordshire --from %lu",
                               (unsigned long) from);
    uint64_t id = add_webhook (it_webhook_url (receiver), HEALTHY_SECRET, options);
    free (options);
    assert_true (listing_says (id, "\"types\":[\"judgement.recorded\"],"
                                   "\"authorities\":[\"E06000019\"]"));

    //  Of these, documents 122 and 152 are reports about Herefordshire
    //  (it_documents), four judgements each: one before notify stops, one
    //  while it is down.
    char *problem = it_submit_documents (100, 30, REPORT_EVERY, "filter");
    assert_null (problem);
    assert_true (WAIT_FOR (it_webhook_accepted (receiver) >= 4, 20000));
    assert_true (it_stack_kill ("notify", SIGTERM));
    problem = it_submit_documents (130, 30, REPORT_EVERY, "filter");
    assert_null (problem);
    assert_true (it_stack_start ("notify"));
    assert_true (it_wait_settled (60000) > 0);
    assert_true (WAIT_FOR (it_webhook_accepted (receiver) >= 8, 20000));
    zclock_sleep (500);

    PGresult *expected = it_pg_query (
        "SELECT seq, id FROM event WHERE type = 'judgement.recorded'"
        " AND authority = 'E06000019' ORDER BY seq");
    assert_non_null (expected);
    size_t count = 0;
    it_delivery_t *deliveries = it_webhook_deliveries (receiver, &count);
    size_t matched = 0;
    for (int row = 0; row < PQntuples (expected); row++) {
        if (strtoull (PQgetvalue (expected, row, 0), NULL, 10) < from)
            continue;
        assert_true (matched < count);
        assert_string_equal (deliveries [matched].id, PQgetvalue (expected, row, 1));
        assert_true (it_webhook_signature_ok (&deliveries [matched], HEALTHY_SECRET));
        matched++;
    }
    assert_int_equal (matched, count);                          // nothing else, nothing twice
    assert_int_equal (matched, 8);
    it_deliveries_free (&deliveries, count);
    PQclear (expected);

    int rc = -1;
    free (webhook_cli (&rc, "disable %lu", (unsigned long) id));
    assert_int_equal (rc, 0);
    assert_true (listing_says (id, "\"state\":\"disabled\""));
    free (webhook_cli (&rc, "enable %lu", (unsigned long) id));
    assert_int_equal (rc, 0);
    assert_true (listing_says (id, "\"state\":\"ok\""));
    free (webhook_cli (&rc, "rm %lu", (unsigned long) id));
    assert_int_equal (rc, 0);
    assert_null (listing_of (id));
    it_webhook_destroy (&receiver);
}

static void
test_bad_admin_requests_change_nothing (void **state)
{
    int rc = -1;
    char *before = webhook_cli (&rc, "list --json");
    const char *bad [] = {
        "add ftp://example.org/hook --secret s 2>/dev/null",
        "add 'http:///nohost' --secret s 2>/dev/null",
        "add http://127.0.0.1:1/hook 2>/dev/null",                      // no secret
        "add http://127.0.0.1:1/hook --secret s --type nonsense 2>/dev/null",
        "add http://127.0.0.1:1/hook --secret s --authority atlantis 2>/dev/null",
        "rm 999999 2>/dev/null",
        "enable 999999 2>/dev/null",
        "rm notanumber 2>/dev/null",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++) {
        char *out = webhook_cli (&rc, "%s", bad [i]);
        assert_int_not_equal (rc, 0);
        assert_string_equal (out, "");
        free (out);
    }
    char *after = webhook_cli (&rc, "list --json");
    assert_string_equal (before, after);
    free (before);
    free (after);
    char *message = webhook_cli (&rc, "rm 999999 2>&1");
    assert_non_null (strstr (message, "there is no webhook 999999"));
    free (message);
    message = webhook_cli (&rc, "add ftp://x/y --secret s 2>&1");
    assert_non_null (strstr (message, "http:// or https://"));
    free (message);
}

static void
test_only_the_inspectorate_manages_webhooks (void **state)
{
    int rc = -1;
    free (it_cli ("keys new webhook-reader --role subscriber >/dev/null 2>&1", &rc));
    assert_int_equal (rc, 0);
    char *own_cert = ow_strdup (getenv ("OFWATCH_CERT") ? getenv ("OFWATCH_CERT") : "");
    char *reader_cert = ow_printf ("%s/webhook-reader.cert", getenv ("OFWATCH_KEYS"));
    setenv ("OFWATCH_CERT", reader_cert, 1);
    char *listing = webhook_cli (&rc, "list 2>&1");
    int list_rc = rc;
    char *added = webhook_cli (&rc, "add http://127.0.0.1:1/hook --secret s 2>&1");
    int add_rc = rc;
    char *events = it_cli ("events --from 1 --json | head -1", &rc);
    if (*own_cert)
        setenv ("OFWATCH_CERT", own_cert, 1);
    else
        unsetenv ("OFWATCH_CERT");
    assert_int_equal (list_rc, 1);
    assert_non_null (strstr (listing, "may not manage webhooks"));
    assert_int_equal (add_rc, 1);
    assert_non_null (strstr (added, "may not manage webhooks"));
    free (listing);
    free (added);
    //  The subscriber key still replays; the inspectorate's still lists.
    assert_non_null (strstr (events, "\"seq\":1,"));
    free (events);
    free (webhook_cli (&rc, "list"));
    assert_int_equal (rc, 0);
    free (reader_cert);
    free (own_cert);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_failing_receiver_ends_with_everything_once_and_delays_nobody),
        cmocka_unit_test (test_filtered_subscription_resumes_after_notify_restarts),
        cmocka_unit_test (test_bad_admin_requests_change_nothing),
        cmocka_unit_test (test_only_the_inspectorate_manages_webhooks),
    };
    return cmocka_run_group_tests_name ("webhook", tests, NULL, it_stack_teardown);
}
