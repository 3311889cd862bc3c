/*  bench_settle — waits until the stack has caught up with its own log.

    usage: bench_settle SECONDS

    A load is finished when every event is committed, analytics has
    derived what follows from them (its derived events included) and
    notify has published them all. That is the moment analytics' and
    notify's cursors equal store's last seq. The order of the questions
    matters: analytics commits its derived events before it answers the
    next request, so asking analytics and notify first and store last
    never mistakes "derived events on their way" for "settled". Prints
    the last seq; exit 1 when the stack has not settled within SECONDS.
*/

#include "ow_client.h"
#include "ow_config.h"
#include "ow_wire.h"

#include <inttypes.h>
#include <stdio.h>

#define POLL_MS 10

//  The service's last seq, or -1 when it does not answer.
static int64_t
last_seq (ow_client_t *client)
{
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (client, &request, 5000, &error);
    free (error);
    int64_t seq = -1;
    if (reply && reply->body_case == OFWATCH__V1__REPLY__BODY_HEALTH)
        seq = (int64_t) reply->health->last_seq;
    ow_pb_free (&reply);
    return seq;
}

static ow_client_t *
client_for (const char *endpoint, const char *name)
{
    char *connectable = ow_config_connectable (endpoint);
    ow_client_t *client = ow_client_new (connectable, name);
    free (connectable);
    return client;
}

int
main (int argc, char **argv)
{
    if (argc != 2) {
        fprintf (stderr, "usage: bench_settle SECONDS\n");
        return 2;
    }
    zsys_init ();
    ow_config_t config;
    ow_config_load (&config);
    ow_client_t *analytics = client_for (config.analytics, "analytics");
    ow_client_t *notify = client_for (config.notify_replay, "notify");
    ow_client_t *store = client_for (config.store, "store");
    int64_t deadline = zclock_mono () + (int64_t) (atof (argv [1]) * 1000);
    int64_t seq = -1;
    bool settled = false;
    while (!settled && !zsys_interrupted && zclock_mono () < deadline) {
        int64_t derived = last_seq (analytics);
        int64_t published = last_seq (notify);
        seq = last_seq (store);
        settled = seq >= 0 && derived == seq && published == seq;
        if (!settled)
            zclock_sleep (POLL_MS);
    }
    ow_client_destroy (&analytics);
    ow_client_destroy (&notify);
    ow_client_destroy (&store);
    if (!settled) {
        fprintf (stderr, "bench_settle: analytics and notify have not caught up with store "
                         "(last seq %" PRId64 ") within %s s\n", seq, argv [1]);
        return 1;
    }
    printf ("%" PRId64 "\n", seq);
    return 0;
}
