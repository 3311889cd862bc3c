/*  ow_leader — which replica of a service does the work that must be done
    once, chosen by a PostgreSQL session advisory lock.

    Every replica of analytics, notify and the watch service runs the same
    code; the one whose own PostgreSQL session holds the service's lock
    derives events, delivers webhooks or reads Ofsted's site, and the
    others serve queries, publish and replay, trying for the lock on every
    check. The lock lives exactly as long as the session that took it: a
    replica killed with SIGKILL, or cut off from PostgreSQL, loses its
    connection, PostgreSQL releases the lock, and the next replica to
    check takes it, within one check interval. A promoted standby starts
    with no locks at all, so after a failover the first replica to reach
    it leads.

    The session is a connection of its own, on a thread of its own (so a
    PostgreSQL that does not answer never holds up a service's reactor),
    never one that a statement helper would silently reconnect (a
    reconnect would drop the lock without anyone noticing). It connects with short timeouts and TCP
    keepalives, so a primary that vanishes without closing its sockets
    is noticed in seconds; a server in recovery (a standby) is never led
    from. Two replicas can both believe they lead for at most the time
    the old leader takes to notice its lost session: the work done once is
    idempotent (derived events by dedupe key, webhook cursors by seq), so
    such an overlap repeats nothing downstream.
*/
#ifndef OW_LEADER_H
#define OW_LEADER_H

#include <stdbool.h>
#include <stdint.h>

//  The locks, one per kind of work done once. (Migrations use the
//  services' port numbers, 7102-7107; these are distinct from them.)
#define OW_LEADER_ANALYTICS  71040
#define OW_LEADER_NOTIFY     71060
#define OW_LEADER_WATCH      71071

//  How often the lock is checked, and how often a service should call
//  ow_leader_check: a standby takes over from a leader that died within
//  about twice this.
#define OW_LEADER_CHECK_MS   500

typedef struct _ow_leader_t ow_leader_t;

//  conninfo: a libpq connection string (multi-host strings are honoured:
//  every host is tried). `who` names the service in the log. Checks once
//  before it returns (waiting at most a connection attempt per host), so
//  ow_leader_leads answers from the start.
ow_leader_t *ow_leader_new (const char *conninfo, int64_t key, const char *who);
void ow_leader_destroy (ow_leader_t **self_p);

//  Whether this replica leads now, as a thread of the leader's own last
//  found (it confirms the lock, or tries to take it, every
//  OW_LEADER_CHECK_MS; each change of role is logged once). Never waits
//  for PostgreSQL. The answer is kept for ow_leader_leads, so a reactor
//  that calls this on a timer sees one role between its calls.
bool ow_leader_check (ow_leader_t *self);

//  The role as of the last ow_leader_check.
bool ow_leader_leads (const ow_leader_t *self);

//  "leader" or "standby", for health replies.
const char *ow_leader_role (const ow_leader_t *self);

#endif
