/*  ofwatch health — exit 0 when every service answers and PostgreSQL is
    reachable; --service NAME checks one (the containers' probes). The
    watch service also says when its last pass over Ofsted's site
    completed: a site that cannot be reached is not ill health of ofwatch.

    Every service is asked at once and the answers are awaited together,
    so one service that does not answer (store stopped) costs the command
    one timeout, not one per service, and the others' answers say what
    they can and cannot do meanwhile ("store is unreachable: ...").
*/

#include "cli.h"
#include "ow_security.h"
#include "ow_wire.h"

#include <getopt.h>

#define TIMEOUT_MS 3000

typedef struct {
    const char *name;
    const char *endpoint;
    ow_client_t *client;
    uint64_t request_id;
    Ofwatch__V1__Reply *reply;
    char *error;
} check_t;

static void
ask (check_t *check)
{
    check->client = cli_client (check->endpoint, check->name);
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    if (ow_client_send (check->client, &request, &check->error))
        check->request_id = request.request_id;
}

//  Reads what came for one check: its reply, or its key refused.
static void
take (check_t *check, void *which)
{
    if (which == ow_client_monitor (check->client)) {
        if (ow_security_monitor_refused (which))
            check->error = ow_printf ("%s refused the client certificate: the key is unknown "
                                      "there, revoked, or not allowed to use %s", check->name,
                                      check->name);
        return;
    }
    zframe_t *frame = zframe_recv (which);
    Ofwatch__V1__Reply *reply = frame ? ow_wire_unpack_reply (frame) : NULL;
    zframe_destroy (&frame);
    if (reply && reply->request_id == check->request_id)
        check->reply = reply;
    else
        ow_pb_free (&reply);
}

static bool
pending (const check_t *check)
{
    return check->request_id && !check->reply && !check->error;
}

//  Waits for every answer until the deadline.
static void
await (check_t *checks, size_t count)
{
    int64_t deadline = zclock_mono () + TIMEOUT_MS;
    while (zclock_mono () < deadline && !zsys_interrupted) {
        zpoller_t *poller = zpoller_new (NULL);
        size_t waiting = 0;
        for (size_t i = 0; i < count; i++)
            if (pending (&checks [i])) {
                zpoller_add (poller, ow_client_socket (checks [i].client));
                if (ow_client_monitor (checks [i].client))
                    zpoller_add (poller, ow_client_monitor (checks [i].client));
                waiting++;
            }
        void *which = waiting ? zpoller_wait (poller, (int) (deadline - zclock_mono ())) : NULL;
        zpoller_destroy (&poller);
        if (!which)
            break;
        for (size_t i = 0; i < count; i++)
            if (pending (&checks [i]) && (which == ow_client_socket (checks [i].client)
                                          || which == ow_client_monitor (checks [i].client)))
                take (&checks [i], which);
    }
}

//  Prints one service's line; true when it is healthy.
static bool
report (check_t *check)
{
    const char *problem = check->reply ? cli_reply_problem (check->reply,
                                                            OFWATCH__V1__REPLY__BODY_HEALTH)
                        : check->error ? check->error : NULL;
    char *timeout = NULL;
    if (!check->reply && !check->error)
        problem = timeout = ow_printf ("%s did not answer at %s within %d s", check->name,
                                       check->endpoint, TIMEOUT_MS / 1000);
    if (!problem && !check->reply->health->database_ok)
        problem = "PostgreSQL is unreachable";
    //  Answering is not serving: a service still starting is not ready.
    if (!problem && check->reply->health->starting)
        problem = *check->reply->health->problem ? check->reply->health->problem : "starting";
    if (problem)
        printf ("%-10s FAIL  %s\n", check->name, problem);
    else {
        const Ofwatch__V1__HealthReply *health = check->reply->health;
        if (streq (check->name, "watch"))
            printf ("%-10s ok    %s%s", check->name, *health->last_pass_ok
                    ? "last pass over Ofsted's site completed " : "no pass over Ofsted's site "
                    "has completed yet", health->last_pass_ok);
        else
            printf ("%-10s ok    last seq %lu", check->name, (unsigned long) health->last_seq);
        if (*health->role)
            printf ("; %s", health->role);
        printf ("%s%s\n", *health->problem ? "; " : "", health->problem);
    }
    free (timeout);
    return problem == NULL;
}

int
cli_health (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "service", required_argument, NULL, 's' },
        { NULL, 0, NULL, 0 }
    };
    const char *only = NULL;
    int option;
    while ((option = getopt_long (argc, argv, "s:", options, NULL)) != -1) {
        if (option != 's')
            return 2;
        only = optarg;
    }
    check_t checks [] = {
        { .name = "store", .endpoint = cli->config.store },
        { .name = "ingest", .endpoint = cli->config.ingest },
        { .name = "analytics", .endpoint = cli->config.analytics },
        { .name = "notify", .endpoint = cli->config.notify_replay },
        { .name = "watch", .endpoint = cli->config.watch },
    };
    size_t count = sizeof checks / sizeof checks [0];
    bool matched = false;
    for (size_t i = 0; i < count; i++)
        if (!only || streq (only, checks [i].name)) {
            matched = true;
            ask (&checks [i]);
        }
    if (!matched) {
        cli_fail ("no service is called \"%s\" (ingest, store, analytics, notify, watch)",
                  only);
        return 2;
    }
    await (checks, count);
    bool all_ok = true;
    for (size_t i = 0; i < count; i++) {
        if (checks [i].client)
            all_ok = report (&checks [i]) && all_ok;
        ow_client_destroy (&checks [i].client);
        ow_pb_free (&checks [i].reply);
        free (checks [i].error);
    }
    return all_ok ? 0 : 1;
}
