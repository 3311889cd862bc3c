/*  ofwatch health — exit 0 when every service answers and PostgreSQL is
    reachable; --service NAME checks one (the containers' probes). The
    watch service also says when its last pass over Ofsted's site
    completed: a site that cannot be reached is not ill health of ofwatch.
*/

#include "cli.h"
#include "ow_wire.h"

#include <getopt.h>

static bool
check (const char *name, const char *endpoint)
{
    ow_client_t *client = cli_client (endpoint, name);
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (client, &request, 3000, &error);
    ow_client_destroy (&client);
    const char *problem = reply ? cli_reply_problem (reply, OFWATCH__V1__REPLY__BODY_HEALTH)
                                : error;
    if (!problem && !reply->health->database_ok)
        problem = "PostgreSQL is unreachable";
    if (problem)
        printf ("%-10s FAIL  %s\n", name, problem);
    else
    if (streq (name, "watch"))
        printf ("%-10s ok    %s%s\n", name, *reply->health->last_pass_ok
                ? "last pass over Ofsted's site completed " : "no pass over Ofsted's site "
                "has completed yet", reply->health->last_pass_ok);
    else
        printf ("%-10s ok    last seq %lu\n", name, (unsigned long) reply->health->last_seq);
    free (error);
    ow_pb_free (&reply);
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
    const struct { const char *name; const char *endpoint; } services [] = {
        { "store", cli->config.store },
        { "ingest", cli->config.ingest },
        { "analytics", cli->config.analytics },
        { "notify", cli->config.notify_replay },
        { "watch", cli->config.watch },
    };
    bool all_ok = true, matched = false;
    for (size_t i = 0; i < sizeof services / sizeof services [0]; i++) {
        if (only && strcmp (only, services [i].name) != 0)
            continue;
        matched = true;
        all_ok = check (services [i].name, services [i].endpoint) && all_ok;
    }
    if (!matched) {
        cli_fail ("no service is called \"%s\" (ingest, store, analytics, notify, watch)",
                  only);
        return 2;
    }
    return all_ok ? 0 : 1;
}
