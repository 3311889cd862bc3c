/*  it_analytics — asking analytics from a test; see it_analytics.h.  */

#include "it_analytics.h"
#include "it_support.h"
#include "ow_client.h"
#include "ow_config.h"

#include <czmq.h>

//  Whole-England answers of the full corpus take a moment under sanitizers.
#define ASK_TIMEOUT_MS 30000

Ofwatch__V1__Reply *
it_analytics_ask (Ofwatch__V1__Request *request, Ofwatch__V1__Reply__BodyCase expected)
{
    ow_config_t config;
    ow_config_load (&config);
    char *endpoint = ow_config_connectable (config.analytics);
    ow_client_t *analytics = ow_client_new (endpoint, "analytics");
    free (endpoint);
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (analytics, request, ASK_TIMEOUT_MS, &error);
    ow_client_destroy (&analytics);
    if (!reply)
        fprintf (stderr, "it_analytics: no answer: %s\n", error);
    else if (reply->body_case != expected)
        fprintf (stderr, "it_analytics: %s\n", ow_client_error_message (reply)
                 ? ow_client_error_message (reply) : "an unexpected answer");
    free (error);
    return reply;
}

Ofwatch__V1__Reply *
it_analytics_history (const char *authority)
{
    Ofwatch__V1__HistoryQuery query = OFWATCH__V1__HISTORY_QUERY__INIT;
    query.authority = (char *) authority;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_AUTHORITY_HISTORY;
    request.authority_history = &query;
    return it_analytics_ask (&request, OFWATCH__V1__REPLY__BODY_AUTHORITY_HISTORY);
}

const Ofwatch__V1__ThemeRecurring *
it_analytics_recurring (const Ofwatch__V1__AuthorityState *state, Ofwatch__V1__Theme theme)
{
    for (size_t i = 0; state && i < state->n_recurring; i++)
        if (state->recurring [i]->theme == theme)
            return state->recurring [i];
    return NULL;
}

bool
it_analytics_occurs_on (const Ofwatch__V1__ThemeRecurring *recurring, const char *date)
{
    for (size_t i = 0; recurring && i < recurring->n_occurrences; i++)
        if (strcmp (recurring->occurrences [i]->date, date) == 0)
            return true;
    return false;
}

//  The last seq analytics has followed, or -1 when it did not answer.
static int64_t
followed (void)
{
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    Ofwatch__V1__Reply *reply = it_analytics_ask (&request, OFWATCH__V1__REPLY__BODY_HEALTH);
    int64_t seq = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_HEALTH
                ? (int64_t) reply->health->last_seq : -1;
    ow_pb_free (&reply);
    return seq;
}

bool
it_analytics_settle (int timeout_ms)
{
    //  analytics is asked before store: it commits what it derives before
    //  answering, so events still on their way show as a difference.
    int64_t until = zclock_mono () + timeout_ms;
    int quiet = 0;
    while (quiet < 3 && zclock_mono () < until && !zsys_interrupted) {
        int64_t seq = followed ();
        quiet = seq >= 0 && (uint64_t) seq == it_store_last_seq () ? quiet + 1 : 0;
        zclock_sleep (300);
    }
    return quiet == 3;
}
