/*  Store stopped: the other services go on answering, and say so.

    With store stopped, ingest, analytics and notify each answer health
    within a second, again and again (nothing on their reactors waits for
    store): ingest that it cannot reach store, analytics and notify that
    they cannot read its log. analytics goes on answering questions from
    memory and notify managing webhooks. `ofwatch health` fails, naming
    store, and still prints every other service's line, having waited one
    timeout for store rather than one per service. When store is back
    everything is healthy again and a new document reaches analytics.

    A second is a meaningful bound: each answer is made from memory, in
    well under a millisecond; what the bound catches is a reactor waiting
    on store, which costs a request timeout of seconds.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_analytics.h"
#include "it_keys.h"
#include "it_stack.h"
#include "it_support.h"
#include "ow_config.h"

#define BOUND_MS 1000

static int
setup (void **state)
{
    it_stack_adopt ();
    assert_true (it_submit_new ("local-admin", 1, "store-down"));
    assert_true (it_analytics_settle (60000));
    return 0;
}

//  Asks a service for its health as local-admin; the reply (NULL when
//  none came within the bound) and how long it took.
static Ofwatch__V1__Reply *
health (const char *service, int64_t *took_ms)
{
    char *admin = it_key_path ("local-admin");
    ow_client_t *client = it_client_as (service, admin);
    free (admin);
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    char *error = NULL;
    int64_t started = zclock_mono ();
    Ofwatch__V1__Reply *reply = ow_client_call (client, &request, BOUND_MS, &error);
    *took_ms = zclock_mono () - started;
    if (!reply)
        fprintf (stderr, "%s: %s\n", service, error);
    free (error);
    ow_client_destroy (&client);
    return reply;
}

//  What a health answer says is wrong ("" for nothing).
static const char *
problem_of (const Ofwatch__V1__Reply *reply)
{
    if (reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR)
        return reply->error->message;
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_HEALTH);
    return reply->health->problem;
}

static void
test_with_store_stopped_the_others_answer_within_a_second (void **state)
{
    assert_true (it_stack_kill ("store", SIGTERM));
    const char *services [] = { "ingest", "analytics", "notify" };
    bool said [3] = { false, false, false };
    int64_t slowest = 0;
    //  Asked every 100 ms until each has said store is down (the follower
    //  notices when its next question goes unanswered for two seconds).
    for (int round = 0; round < 150 && !(said [0] && said [1] && said [2]); round++) {
        for (size_t i = 0; i < 3; i++) {
            int64_t took = 0;
            Ofwatch__V1__Reply *reply = health (services [i], &took);
            assert_non_null (reply);
            assert_true (took <= BOUND_MS);
            slowest = took > slowest ? took : slowest;
            const char *problem = problem_of (reply);
            if (!said [i] && strstr (problem, "store")) {
                printf ("    %s, %d rounds after store stopped: %s\n", services [i], round,
                        problem);
                said [i] = true;
            }
            ow_pb_free (&reply);
        }
        zclock_sleep (100);
    }
    printf ("    the slowest health answer took %d ms\n", (int) slowest);
    assert_true (said [0] && said [1] && said [2]);

    //  analytics still answers questions, notify still manages webhooks.
    int64_t started = zclock_mono ();
    Ofwatch__V1__Reply *history = it_analytics_history ("Herefordshire");
    assert_non_null (history);
    assert_int_equal (history->body_case, OFWATCH__V1__REPLY__BODY_AUTHORITY_HISTORY);
    ow_pb_free (&history);
    assert_true (zclock_mono () - started <= BOUND_MS);
    int rc = -1;
    started = zclock_mono ();
    char *listing = it_cli ("webhook list --json", &rc);
    assert_int_equal (rc, 0);
    free (listing);
    assert_true (zclock_mono () - started <= 3 * BOUND_MS);

    //  `ofwatch health`: store named as failing, every other line there,
    //  after one timeout in all.
    started = zclock_mono ();
    char *output = it_cli ("health", &rc);
    int64_t took = zclock_mono () - started;
    printf ("%s    (ofwatch health took %d ms)\n", output, (int) took);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (output, "store      FAIL"));
    assert_non_null (strstr (output, "ingest     FAIL  ingest cannot reach store"));
    assert_non_null (strstr (output, "analytics  ok"));
    assert_non_null (strstr (output, "notify     ok"));
    assert_true (took < 6000);
    free (output);
}

static void
test_when_store_returns_everything_catches_up (void **state)
{
    assert_true (it_stack_start ("store"));
    assert_true (it_stack_wait_healthy (60000));
    assert_true (it_submit_new ("local-admin", 2, "store-down"));
    assert_true (it_analytics_settle (60000));
    Ofwatch__V1__Reply *reply = NULL;
    //  Each says all is well again once its next question is answered.
    int64_t took = 0;
    const char *services [] = { "ingest", "analytics", "notify" };
    for (size_t i = 0; i < 3; i++) {
        bool well = false;
        for (int round = 0; round < 150 && !well; round++) {
            reply = health (services [i], &took);
            assert_non_null (reply);
            well = *problem_of (reply) == 0;
            if (!well && round == 149)
                fprintf (stderr, "%s still says: %s\n", services [i], problem_of (reply));
            ow_pb_free (&reply);
            if (!well)
                zclock_sleep (100);
        }
        assert_true (well);
    }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_with_store_stopped_the_others_answer_within_a_second),
        cmocka_unit_test (test_when_store_returns_everything_catches_up),
    };
    zsys_init ();
    zsys_set_logstream (NULL);
    return cmocka_run_group_tests (tests, setup, it_stack_teardown);
}
