/*  it_log — documents in, the log out; see it_log.h.  */

#include "it_log.h"
#include "it_documents.h"
#include "it_support.h"
#include "ow_follower.h"

ow_client_t *
it_ingest_client (void)
{
    ow_config_t config;
    ow_config_load (&config);
    return it_client (config.ingest, "ingest");
}

bool
it_submit_document (ow_client_t *ingest, unsigned n, unsigned report_every, const char *nonce,
                    char **sha256, char **problem, size_t *retries)
{
    char *name = NULL;
    char *text = it_document (n, report_every, nonce, &name);
    Ofwatch__V1__SubmitRequest submit = OFWATCH__V1__SUBMIT_REQUEST__INIT;
    submit.content.data = (uint8_t *) text;
    submit.content.len = strlen (text);
    submit.file_name = name;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
    request.submit = &submit;
    *sha256 = *problem = NULL;
    int64_t deadline = zclock_mono () + 150000;
    while (!*sha256 && !*problem && zclock_mono () < deadline) {
        char *error = NULL;
        Ofwatch__V1__Reply *reply = ow_client_call (ingest, &request, 10000, &error);
        bool is_error = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR;
        Ofwatch__V1__Error__Code code = is_error ? reply->error->code
                                                 : OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE;
        if (reply && reply->body_case == OFWATCH__V1__REPLY__BODY_SUBMIT)
            *sha256 = ow_strdup (reply->submit->sha256);
        else if (code == OFWATCH__V1__ERROR__CODE__CODE_REJECTED
                 || code == OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST)
            *problem = ow_printf ("%s: %s", name, reply->error->message);
        else {
            //  Safe to send again (the same bytes are the same document),
            //  but a fault should have been answered UNAVAILABLE: say so.
            if (code != OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE)
                fprintf (stderr, "it_submit_document: %s: answered \"%s\"; sending it again\n",
                         name, reply->error->message);
            if (retries)
                (*retries)++;
            zclock_sleep (100);
        }
        free (error);
        ow_pb_free (&reply);
    }
    if (!*sha256 && !*problem)
        *problem = ow_printf ("%s: never acknowledged", name);
    free (text);
    free (name);
    return *sha256 != NULL;
}

char *
it_submit_documents (unsigned first, unsigned count, unsigned report_every, const char *nonce)
{
    ow_client_t *ingest = it_ingest_client ();
    char *problem = NULL;
    for (unsigned n = first; n < first + count && !problem; n++) {
        char *sha256 = NULL;
        it_submit_document (ingest, n, report_every, nonce, &sha256, &problem, NULL);
        free (sha256);
    }
    ow_client_destroy (&ingest);
    return problem;
}

PGresult *
it_pg_query (const char *sql)
{
    PGconn *connection = PQconnectdb (getenv ("OFWATCH_PG"));
    PGresult *result = PQstatus (connection) == CONNECTION_OK ? PQexec (connection, sql) : NULL;
    if (PQresultStatus (result) != PGRES_TUPLES_OK) {
        fprintf (stderr, "it_pg_query: %s: %s", sql, PQerrorMessage (connection));
        PQclear (result);
        result = NULL;
    }
    PQfinish (connection);
    return result;
}

bool
it_log_read (it_log_t *log)
{
    memset (log, 0, sizeof *log);
    PGresult *result = it_pg_query ("SELECT seq, id FROM event ORDER BY seq");
    if (!result)
        return false;
    log->count = (size_t) PQntuples (result);
    log->seqs = ow_calloc (log->count + 1, sizeof (uint64_t));
    log->ids = ow_calloc (log->count + 1, sizeof (char *));
    for (size_t i = 0; i < log->count; i++) {
        log->seqs [i] = strtoull (PQgetvalue (result, (int) i, 0), NULL, 10);
        log->ids [i] = ow_strdup (PQgetvalue (result, (int) i, 1));
    }
    PQclear (result);
    return true;
}

void
it_log_free (it_log_t *log)
{
    for (size_t i = 0; i < log->count; i++)
        free (log->ids [i]);
    free (log->ids);
    free (log->seqs);
    memset (log, 0, sizeof *log);
}

static void
collect (void *context, const Ofwatch__V1__Event *event)
{
    it_events_add ((it_events_t *) context, ow_pb_copy (&event->base));
}

bool
it_log_events (it_events_t *list)
{
    ow_config_t config;
    ow_config_load (&config);
    char *replay_endpoint = ow_config_connectable (config.notify_replay);
    char *pub_endpoint = ow_config_connectable (config.notify_pub);
    ow_client_t *replay = ow_client_new (replay_endpoint, "notify");
    ow_follower_t *follower = ow_follower_new (replay, pub_endpoint, 0, NULL, collect, NULL,
                                               list);
    bool ok = ow_follower_catch_up (follower);
    ow_follower_destroy (&follower);
    ow_client_destroy (&replay);
    free (replay_endpoint);
    free (pub_endpoint);
    return ok;
}

char *
it_event_cause (const Ofwatch__V1__Event *event)
{
    const Ofwatch__V1__Payload *p = event->payload;
    if (event->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED && p
        && p->body_case == OFWATCH__V1__PAYLOAD__BODY_JUDGEMENT_CHANGED)
        return ow_printf ("judgement.changed %s %s %ld %ld", event->authority,
                          p->judgement_changed->area,
                          (long) p->judgement_changed->from_inspection_id,
                          (long) p->judgement_changed->to_inspection_id);
    if (event->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED && p
        && p->body_case == OFWATCH__V1__PAYLOAD__BODY_STATUS_CHANGED)
        return ow_printf ("status.changed %s %s %ld", event->authority,
                          p->status_changed->direction,
                          (long) p->status_changed->inspection_id);
    return NULL;
}

uint64_t
it_service_seq (const char *service)
{
    ow_config_t config;
    ow_config_load (&config);
    const char *endpoint = streq (service, "store") ? config.store
                         : streq (service, "analytics") ? config.analytics
                         : config.notify_replay;
    uint64_t seq;
    return it_health_seq (endpoint, service, 3000, &seq) ? seq : 0;
}

uint64_t
it_wait_settled (int timeout_ms)
{
    uint64_t last = 0;
    int64_t stable_since = zclock_mono ();
    int64_t deadline = zclock_mono () + timeout_ms;
    while (zclock_mono () < deadline) {
        uint64_t now = it_service_seq ("store");
        bool caught_up = now > 0 && it_service_seq ("analytics") == now
                      && it_service_seq ("notify") == now;
        if (now != last || !caught_up) {
            last = now;
            stable_since = zclock_mono ();
        }
        else if (zclock_mono () - stable_since >= 3000)
            return last;
        zclock_sleep (250);
    }
    fprintf (stderr, "it_wait_settled: the log did not settle within %d s (last seq %lu)\n",
             timeout_ms / 1000, (unsigned long) last);
    return 0;
}
