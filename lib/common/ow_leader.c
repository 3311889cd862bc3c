/*  ow_leader — the replica that does the work done once; see ow_leader.h.  */

#include "ow_leader.h"
#include "ow_log.h"
#include "ow_pb.h"

#include <assert.h>
#include <czmq.h>
#include <stdatomic.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _ow_leader_t {
    char *conninfo;
    char *who;
    char key [24];
    zactor_t *checker;          // the thread that holds the session
    atomic_bool held;           // the checker's latest answer
    bool leading;               // as the caller last saw it (ow_leader_check)
    //  The checker's own:
    PGconn *session;            // holds the lock while leading
    bool outage_logged;
};

static void checker_run (zsock_t *pipe, void *argument);
static bool check_once (ow_leader_t *self);

ow_leader_t *
ow_leader_new (const char *conninfo, int64_t key, const char *who)
{
    ow_leader_t *self = ow_calloc (1, sizeof *self);
    self->conninfo = ow_strdup (conninfo);
    self->who = ow_strdup (who);
    snprintf (self->key, sizeof self->key, "%" PRId64, key);
    //  The first check before the service starts, so a replica that can
    //  lead does so from its first request on (and analytics does not
    //  derive at start as a standby, only to derive again as the leader).
    self->leading = check_once (self);
    if (!self->leading)
        ow_info ("this replica stands by: another does the work done once, or PostgreSQL "
                 "cannot be reached yet", "who", self->who);
    self->checker = zactor_new (checker_run, self);
    assert (self->checker);
    return self;
}

void
ow_leader_destroy (ow_leader_t **self_p)
{
    ow_leader_t *self = *self_p;
    if (!self)
        return;
    //  The checker closes the session as it stops, which releases the
    //  lock at once: a standby takes over at its next check rather than
    //  when a timeout says so.
    zactor_destroy (&self->checker);
    free (self->conninfo);
    free (self->who);
    free (self);
    *self_p = NULL;
}

//  A session of our own. The settings given first are defaults that the
//  operator's connection string overrides: a connection attempt gives up
//  after 3 s per host, and a peer that vanished is noticed by keepalives
//  and by unacknowledged data within about 5 s.
static PGconn *
connect_session (ow_leader_t *self)
{
    const char *keywords [] = { "connect_timeout", "keepalives", "keepalives_idle",
                                "keepalives_interval", "keepalives_count",
                                "tcp_user_timeout", "application_name", "dbname", NULL };
    char *name = ow_printf ("ofwatch-%s-leader", self->who);
    const char *values [] = { "3", "1", "2", "1", "3", "5000", name, self->conninfo, NULL };
    PGconn *session = PQconnectdbParams (keywords, values, 1);
    free (name);
    if (PQstatus (session) != CONNECTION_OK) {
        if (!self->outage_logged) {
            char *reason = ow_strdup (PQerrorMessage (session));
            reason [strcspn (reason, "\n")] = 0;
            ow_warn ("cannot reach PostgreSQL to take the lead; retrying", "who", self->who,
                     "reason", reason);
            free (reason);
            self->outage_logged = true;
        }
        PQfinish (session);
        return NULL;
    }
    PQsetNoticeProcessor (session, NULL, NULL);
    self->outage_logged = false;
    return session;
}

//  Whether the session holds the lock now. A session keeps what it took
//  until it ends (nothing here unlocks), so while leading it is enough
//  that the session still answers; otherwise the lock is tried for. A
//  server in recovery is a standby, never led from. A session that failed
//  is dropped, so the next check connects afresh and tries the connection
//  string's hosts again.
static bool
holds_lock (ow_leader_t *self, bool taken)
{
    const char *values [] = { self->key };
    PGresult *result = taken
        ? PQexec (self->session, "SELECT pg_is_in_recovery (), true")
        : PQexecParams (self->session,
                        "SELECT pg_is_in_recovery (), CASE WHEN pg_is_in_recovery ()"
                        " THEN false ELSE pg_try_advisory_lock ($1::bigint) END",
                        1, NULL, values, NULL, NULL, 0);
    bool ok = PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1;
    bool standby = ok && streq (PQgetvalue (result, 0, 0), "t");
    bool held = ok && streq (PQgetvalue (result, 0, 1), "t");
    PQclear (result);
    if (!ok || standby || PQstatus (self->session) != CONNECTION_OK) {
        PQfinish (self->session);
        self->session = NULL;
        held = false;
    }
    return held;
}

//  One check, on the checker's thread.
static bool
check_once (ow_leader_t *self)
{
    //  A new session holds nothing yet, whatever the last one held.
    bool taken = self->session && atomic_load (&self->held);
    if (!self->session)
        self->session = connect_session (self);
    bool held = self->session && holds_lock (self, taken);
    if (held != atomic_load (&self->held))
        ow_info (held ? "this replica leads: it does the work done once"
                      : "this replica stands by: another does the work done once",
                 "who", self->who);
    atomic_store (&self->held, held);
    return held;
}

//  The checker: checks every OW_LEADER_CHECK_MS after the first, off the
//  service's reactor, so a PostgreSQL that does not answer (a connection
//  attempt waits up to its timeout) never holds up requests or events.
static void
checker_run (zsock_t *pipe, void *argument)
{
    ow_leader_t *self = argument;
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, NULL);
    bool running = true;
    while (running) {
        if (zpoller_wait (poller, OW_LEADER_CHECK_MS) == pipe) {
            char *command = zstr_recv (pipe);
            running = command && !streq (command, "$TERM");
            zstr_free (&command);
        }
        else
        if (zpoller_terminated (poller))
            running = false;
        else
            check_once (self);
    }
    zpoller_destroy (&poller);
    if (self->session)
        PQfinish (self->session);
    self->session = NULL;
    atomic_store (&self->held, false);
}

bool
ow_leader_check (ow_leader_t *self)
{
    self->leading = atomic_load (&self->held);
    return self->leading;
}

bool
ow_leader_leads (const ow_leader_t *self)
{
    return self->leading;
}

const char *
ow_leader_role (const ow_leader_t *self)
{
    return self->leading ? "leader" : "standby";
}
