/*  Many webhook subscriptions cannot take what the rest of ofwatch needs.

    200 subscriptions are added (each to its own path of one real HTTP
    receiver). notify still holds a bounded number of PostgreSQL
    connections, so store, stopped and started again, reconnects; the
    stack then starts and passes `ofwatch health` as `make up` requires,
    and a document stored afterwards reaches every one of the 200, each
    event once and signed. With notify restarted under a limit of 200
    subscriptions (OFWATCH_WEBHOOK_MAX), a 201st is refused, saying so,
    and the 200 go on delivering.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <libpq-fe.h>

#include "it_keys.h"
#include "it_log.h"
#include "it_stack.h"
#include "it_support.h"
#include "it_webhook.h"

#define SUBSCRIPTIONS   200
#define SECRET          "scale-secret"
//  store, analytics, notify's two and this test's own, with room for
//  PostgreSQL's own background work: a handful, whatever the number of
//  subscriptions.
#define CONNECTIONS_MAX 12

static it_webhook_t *s_receiver;

static int
setup (void **state)
{
    it_stack_adopt ();
    s_receiver = it_webhook_new ();
    assert_non_null (s_receiver);
    return 0;
}

static int
teardown (void **state)
{
    it_webhook_destroy (&s_receiver);
    return it_stack_teardown (state);
}

//  Asks notify to add a subscription for path; the reply.
static Ofwatch__V1__Reply *
add (ow_client_t *notify, const char *path)
{
    char *url = ow_printf ("%.*s%s", (int) (strlen (it_webhook_url (s_receiver)) - 5),
                           it_webhook_url (s_receiver), path);
    Ofwatch__V1__WebhookAdd add = OFWATCH__V1__WEBHOOK_ADD__INIT;
    add.url = url;
    add.secret = SECRET;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_WEBHOOK_ADD;
    request.webhook_add = &add;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (notify, &request, 10000, &error);
    if (!reply)
        fprintf (stderr, "adding %s: %s\n", url, error);
    free (error);
    free (url);
    return reply;
}

static ow_client_t *
notify_client (void)
{
    char *admin = it_key_path ("local-admin");
    ow_client_t *client = it_client_as ("notify", admin);
    free (admin);
    return client;
}

static long
pg_connections (void)
{
    PGresult *result = it_pg_query ("SELECT count(*) FROM pg_stat_activity"
                                    " WHERE datname = 'ofwatch'");
    assert_non_null (result);
    long count = atol (PQgetvalue (result, 0, 0));
    PQclear (result);
    return count;
}

static void
submit_new (unsigned n)
{
    assert_true (it_submit_new ("local-admin", n, "webhook-scale"));
}

//  Waits until every subscription has had every event after `after` up
//  to `last` once, each signed; true then.
static bool
every_subscription_has (uint64_t after, uint64_t last, int timeout_ms)
{
    size_t wanted = (size_t) SUBSCRIPTIONS * (size_t) (last - after);
    int64_t deadline = zclock_mono () + timeout_ms;
    size_t count = 0;
    it_delivery_t *deliveries = NULL;
    while (zclock_mono () < deadline) {
        it_deliveries_free (&deliveries, count);
        deliveries = it_webhook_deliveries (s_receiver, &count);
        size_t fresh = 0;
        for (size_t i = 0; i < count; i++)
            fresh += deliveries [i].seq > after && deliveries [i].seq <= last;
        if (fresh >= wanted)
            break;
        zclock_sleep (250);
    }
    //  Per path: each seq once, in order, signed.
    uint64_t *next = ow_calloc (SUBSCRIPTIONS, sizeof (uint64_t));
    bool ok = true;
    for (size_t i = 0; i < count && ok; i++) {
        const it_delivery_t *delivery = &deliveries [i];
        if (delivery->seq <= after || delivery->seq > last)
            continue;
        int path = atoi (strrchr (delivery->path, '/') + 1);
        ok = path >= 0 && path < SUBSCRIPTIONS && it_webhook_signature_ok (delivery, SECRET);
        if (ok && next [path] == 0)
            next [path] = after + 1;
        ok = ok && delivery->seq == next [path]++;
        if (!ok)
            fprintf (stderr, "path %s: seq %lu out of order or unsigned\n", delivery->path,
                     (unsigned long) delivery->seq);
    }
    for (size_t path = 0; path < SUBSCRIPTIONS && ok; path++) {
        ok = next [path] == last + 1;
        if (!ok)
            fprintf (stderr, "subscription %zu had up to seq %lu of %lu\n", path,
                     (unsigned long) (next [path] ? next [path] - 1 : after),
                     (unsigned long) last);
    }
    free (next);
    it_deliveries_free (&deliveries, count);
    return ok;
}

static void
wait_healthy (void)
{
    assert_true (it_stack_wait_healthy (60000));
}

static void
test_200_subscriptions_leave_store_its_connections (void **state)
{
    ow_client_t *notify = notify_client ();
    for (int i = 0; i < SUBSCRIPTIONS; i++) {
        char path [32];
        snprintf (path, sizeof path, "/hook/%d", i);
        Ofwatch__V1__Reply *reply = add (notify, path);
        assert_non_null (reply);
        assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_WEBHOOKS);
        ow_pb_free (&reply);
    }
    ow_client_destroy (&notify);
    long connections = pg_connections ();
    printf ("    %d subscriptions; PostgreSQL holds %ld connections to ofwatch\n",
            SUBSCRIPTIONS, connections);
    assert_true (connections <= CONNECTIONS_MAX);

    //  store stopped and started again, as make up starts what is not
    //  running; then health passes.
    assert_true (it_stack_kill ("store", SIGTERM));
    assert_true (it_stack_start ("store"));
    wait_healthy ();
    assert_true (pg_connections () <= CONNECTIONS_MAX);

    uint64_t before = it_store_last_seq ();
    submit_new (1);
    uint64_t last = it_store_last_seq ();
    assert_true (last > before);
    assert_true (every_subscription_has (before, last, 120000));
    int rc = -1;
    char *listing = it_cli ("webhook list --json", &rc);
    assert_int_equal (rc, 0);
    size_t ok = 0;
    for (const char *at = listing; (at = strstr (at, "\"state\":\"ok\"")) != NULL; at++)
        ok++;
    assert_int_equal (ok, SUBSCRIPTIONS);
    free (listing);
}

static void
test_the_subscription_limit_refuses_one_more (void **state)
{
    assert_true (it_stack_kill ("notify", SIGTERM));
    setenv ("OFWATCH_WEBHOOK_MAX", "200", 1);
    assert_true (it_stack_start ("notify"));
    wait_healthy ();
    ow_client_t *notify = notify_client ();
    Ofwatch__V1__Reply *reply = add (notify, "/hook/one-more");
    ow_client_destroy (&notify);
    assert_int_equal (it_error_code (reply), OFWATCH__V1__ERROR__CODE__CODE_REJECTED);
    assert_non_null (strstr (reply->error->message, "limit of 200 webhook subscriptions"));
    ow_pb_free (&reply);

    uint64_t before = it_store_last_seq ();
    submit_new (2);
    uint64_t last = it_store_last_seq ();
    assert_true (every_subscription_has (before, last, 120000));
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_200_subscriptions_leave_store_its_connections),
        cmocka_unit_test (test_the_subscription_limit_refuses_one_more),
    };
    zsys_init ();
    zsys_set_logstream (NULL);
    return cmocka_run_group_tests (tests, setup, teardown);
}
