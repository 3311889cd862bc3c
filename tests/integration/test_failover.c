/*  No single point of failure: two of every service and a PostgreSQL
    standby, losing nothing acknowledged when any one of them dies.

    The harness's single stack is replaced by two replicas of each service
    (each binding its own ports; every client connects to both) on a
    primary PostgreSQL with a synchronous streaming standby, reached
    through one multi-host connection string. Two clients stream 1,000
    generated documents through ingest while every replica is killed with
    SIGKILL in turn (of analytics, notify and the watch, the leader first)
    and started again, and then the primary is stopped and the standby
    promoted. Afterwards every acknowledged document is stored once, the
    log's seqs are gapless, a subscriber on each notify replica and a
    webhook receiver hold every event once by id in seq order (a repeat
    of an event in flight at a kill is dropped by id and counted), and no
    derived event is there twice. Each takeover (a new leader, the first
    event through a surviving replica, the first commit on the promoted
    standby) must come within 10 s of the kill; the test prints how long
    each took and the longest pause a subscriber saw.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "it_documents.h"
#include "it_listener.h"
#include "it_log.h"
#include "it_stack.h"
#include "it_support.h"
#include "it_webhook.h"
#include "ow_wire.h"

#define DOCUMENTS        1000
#define CLIENTS          2
#define REPORT_EVERY     4
//  While faults are injected each client sends a document every PACE_MS,
//  so the stream outlasts them; afterwards as fast as acknowledged.
#define PACE_MS          60
#define SUBMIT_TIMEOUT   10000
#define TAKEOVER_MAX_MS  10000
#define SETTLE_MS        120000
#define SECRET           "failover-secret"

static const char *s_services [] = { "store", "ingest", "analytics", "notify", "watch" };
#define SERVICES (sizeof s_services / sizeof s_services [0])

//  What each service binds (as tools/stack.sh's stack_binds): replica n
//  binds <variable>_n, everyone else connects to the list of both.
static const char *s_binds [SERVICES][2] = {
    { "OFWATCH_STORE", "OFWATCH_STORE_EVENTS" }, { "OFWATCH_INGEST", NULL },
    { "OFWATCH_ANALYTICS", NULL }, { "OFWATCH_NOTIFY_PUB", "OFWATCH_NOTIFY_REPLAY" },
    { "OFWATCH_WATCH", NULL },
};

typedef struct {
    char *primary_dir, *standby_dir;
    int primary_port, standby_port;
    it_listener_t *listeners [2];
    it_webhook_t *receiver;
    atomic_bool faults_over;
    atomic_int acknowledged;
    atomic_int retries;             // submissions sent again after no answer
    pthread_mutex_t lock;
    zhashx_t *acked;                // sha256 -> (void *) 1
    size_t kills;
} failover_t;

static failover_t s;

//  ---------------------------------------------------------------------------
//  The arrangement

static char *
replica_endpoint (const char *variable, int n)
{
    char name [64];
    snprintf (name, sizeof name, "%s_%d", variable, n);
    const char *value = getenv (name);
    assert_non_null (value);
    return ow_config_connectable (value);
}

//  Every endpoint variable becomes a list of two; replica 1 binds what the
//  harness bound, replica 2 a free port.
static void
split_endpoints (void)
{
    for (size_t i = 0; i < SERVICES; i++)
        for (int j = 0; j < 2 && s_binds [i][j]; j++) {
            const char *variable = s_binds [i][j];
            char *first = ow_strdup (getenv (variable));
            char *second = ow_printf ("tcp://127.0.0.1:%d", it_free_port ());
            char *list = ow_printf ("%s,%s", first, second);
            char name [64];
            snprintf (name, sizeof name, "%s_1", variable);
            setenv (name, first, 1);
            snprintf (name, sizeof name, "%s_2", variable);
            setenv (name, second, 1);
            setenv (variable, list, 1);
            free (first);
            free (second);
            free (list);
        }
    //  analytics' HTTP pages: the harness's port (if any) for the first.
    const char *http = getenv ("OFWATCH_HTTP_PORT");
    setenv ("OFWATCH_HTTP_PORT_1", http ? http : "0", 1);
    setenv ("OFWATCH_HTTP_PORT_2", "0", 1);
}

//  One replica's health: whether it answers with PostgreSQL reachable,
//  its role and the last seq it has handled (may be NULL).
static bool
replica_state (size_t service, int n, char *role, size_t size, uint64_t *last_seq)
{
    char *endpoint = replica_endpoint (s_binds [service][service == 3 ? 1 : 0], n);
    ow_client_t *client = ow_client_new (endpoint, s_services [service]);
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (client, &request, 2000, &error);
    bool ok = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_HEALTH
           && reply->health->database_ok;
    if (role)
        snprintf (role, size, "%s", ok ? reply->health->role : "");
    if (last_seq)
        *last_seq = ok ? reply->health->last_seq : 0;
    ow_pb_free (&reply);
    free (error);
    ow_client_destroy (&client);
    free (endpoint);
    return ok;
}

static bool
replica_health (size_t service, int n, char *role, size_t size)
{
    return replica_state (service, n, role, size, NULL);
}

static bool
wait_replica (size_t service, int n, int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (zclock_mono () < deadline) {
        if (replica_health (service, n, NULL, 0))
            return true;
        zclock_sleep (200);
    }
    return false;
}

static char *
replica_name (size_t service, int n)
{
    return ow_printf ("%s-%d", s_services [service], n);
}

static int
setup (void **state)
{
    it_stack_adopt ();
    pthread_mutex_init (&s.lock, NULL);
    s.acked = zhashx_new ();
    //  The harness's single stack goes; its cluster becomes the primary.
    for (size_t i = 0; i < SERVICES; i++)
        it_stack_kill (s_services [i], SIGTERM);
    s.primary_dir = ow_strdup (getenv ("OFWATCH_PG_DIR"));
    s.primary_port = atoi (getenv ("OFWATCH_PG_PORT"));
    s.standby_dir = ow_printf ("%s-standby", s.primary_dir);
    s.standby_port = it_free_port ();
    assert_true (it_stack_pg_standby (s.standby_dir, s.standby_port, s.primary_port));
    char *pg = ow_printf ("host=127.0.0.1,127.0.0.1 port=%d,%d user=postgres dbname=ofwatch"
                          " target_session_attrs=read-write", s.primary_port, s.standby_port);
    char *read = ow_printf ("host=127.0.0.1,127.0.0.1 port=%d,%d user=postgres dbname=ofwatch"
                            " target_session_attrs=prefer-standby", s.standby_port,
                            s.primary_port);
    setenv ("OFWATCH_PG", pg, 1);
    setenv ("OFWATCH_PG_READ", read, 1);
    free (pg);
    free (read);
    split_endpoints ();
    for (size_t i = 0; i < SERVICES; i++)
        for (int n = 1; n <= 2; n++)
            assert_true (it_stack_start_replica (s_services [i], n));
    for (size_t i = 0; i < SERVICES; i++)
        for (int n = 1; n <= 2; n++)
            assert_true (wait_replica (i, n, 60000));
    return 0;
}

static int
teardown (void **state)
{
    it_stack_release ();
    it_stack_pg_stop_at (s.standby_dir);
    it_webhook_destroy (&s.receiver);
    zhashx_destroy (&s.acked);
    free (s.primary_dir);
    free (s.standby_dir);
    return 0;
}

//  ---------------------------------------------------------------------------
//  The clients: each submits its half of the documents, again until
//  acknowledged (the same bytes are stored once, whoever gets them).

typedef struct {
    int client;
} client_arg_t;

static void *
client_run (void *argument)
{
    int client = ((client_arg_t *) argument)->client;
    ow_client_t *ingest = it_client (getenv ("OFWATCH_INGEST"), "ingest");
    for (unsigned n = (unsigned) client; n < DOCUMENTS; n += CLIENTS) {
        char *sha256 = NULL, *problem = NULL;
        size_t retries = 0;
        if (it_submit_document (ingest, n, REPORT_EVERY, "failover", &sha256, &problem,
                                &retries)) {
            pthread_mutex_lock (&s.lock);
            zhashx_insert (s.acked, sha256, (void *) 1);
            pthread_mutex_unlock (&s.lock);
            atomic_fetch_add (&s.acknowledged, 1);
        }
        else
            fprintf (stderr, "document %u: %s\n", n, problem);     // missing: the test fails
        atomic_fetch_add (&s.retries, (int) retries);
        free (sha256);
        free (problem);
        if (!atomic_load (&s.faults_over))
            zclock_sleep (PACE_MS);
    }
    ow_client_destroy (&ingest);
    return NULL;
}

//  ---------------------------------------------------------------------------
//  Faults

static uint64_t
heard_last (void)
{
    uint64_t a = it_listener_last_seq (s.listeners [0]);
    uint64_t b = it_listener_last_seq (s.listeners [1]);
    return a > b ? a : b;
}

//  Whether analytics derived the event (store records the others).
static bool
is_derived (const Ofwatch__V1__Event *event)
{
    switch (event->type) {
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED:
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED:
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_THEME_RECURRING:
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_APPROACHING:
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_PASSED:
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_VISIT_OVERDUE:
            return true;
        default:
            return false;
    }
}

//  When a subscriber first heard an event after seq, at or after since,
//  that wanted accepts (NULL: any).
static int64_t
first_heard (uint64_t after_seq, int64_t since, it_event_wanted_fn *wanted, int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (zclock_mono () < deadline) {
        for (int i = 0; i < 2; i++) {
            int64_t at = it_listener_heard_after (s.listeners [i], after_seq, since, wanted);
            if (at)
                return at;
        }
        zclock_sleep (20);
    }
    return 0;
}

//  When the webhook receiver first got a POST at or after since.
static int64_t
first_posted (int64_t since, int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (zclock_mono () < deadline) {
        size_t count = 0;
        it_delivery_t *deliveries = it_webhook_deliveries (s.receiver, &count);
        int64_t at = 0;
        for (size_t i = 0; i < count && !at; i++)
            if (deliveries [i].received_ms >= since)
                at = deliveries [i].received_ms;
        it_deliveries_free (&deliveries, count);
        if (at)
            return at;
        zclock_sleep (20);
    }
    return 0;
}

//  When replica n of service says it leads, or 0.
static int64_t
leads_at (size_t service, int n, int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (zclock_mono () < deadline) {
        char role [16];
        if (replica_health (service, n, role, sizeof role) && streq (role, "leader"))
            return zclock_mono ();
        zclock_sleep (50);
    }
    return 0;
}

static bool
is_led (size_t service)
{
    return streq (s_services [service], "analytics") || streq (s_services [service], "notify")
        || streq (s_services [service], "watch");
}

//  Kills replica n of service with SIGKILL, says how long the other took
//  to carry on, and starts it again.
static void
kill_one (size_t service, int n)
{
    const char *name = s_services [service];
    char *replica = replica_name (service, n);
    int other = 3 - n;
    char role [16] = "";
    replica_health (service, n, role, sizeof role);
    uint64_t seq = heard_last ();
    int64_t killed = zclock_mono ();
    assert_true (it_stack_kill (replica, SIGKILL));
    s.kills++;
    if (is_led (service) && streq (role, "leader")) {
        int64_t led = leads_at (service, other, TAKEOVER_MAX_MS + 5000);
        assert_true (led > 0);
        assert_true (led - killed < TAKEOVER_MAX_MS);
        if (streq (name, "watch"))
            printf ("  kill -9 %-11s (leader): %s-%d leads after %.2f s (the harness keeps "
                    "the watch idle: no pass to run)\n", replica, name, other,
                    (led - killed) / 1000.0);
        else {
            //  Only the leader derives and delivers webhooks: what is
            //  heard of either after it leads is its work.
            int64_t first = streq (name, "notify") ? first_posted (led, 15000)
                                                   : first_heard (seq, led, is_derived, 15000);
            printf ("  kill -9 %-11s (leader): %s-%d leads after %.2f s; its first %s %.2f s "
                    "after the kill\n", replica, name, other, (led - killed) / 1000.0,
                    streq (name, "notify") ? "webhook delivery" : "derived event",
                    first ? (first - killed) / 1000.0 : -1.0);
            assert_true (first > 0 && first - killed < TAKEOVER_MAX_MS);
        }
    }
    else
    if (streq (name, "store") || streq (name, "ingest")) {
        int64_t first = first_heard (seq, killed, NULL, 15000);
        printf ("  kill -9 %-11s: first event committed through %s-%d %.2f s after the "
                "kill\n", replica, name, other, first ? (first - killed) / 1000.0 : -1.0);
        assert_true (first > 0 && first - killed < TAKEOVER_MAX_MS);
    }
    else
        printf ("  kill -9 %-11s (%s): %s-%d %s\n", replica, *role ? role : "?", name,
                other, replica_health (service, other, NULL, 0) ? "answers on" : "DOWN");
    assert_true (it_stack_start_replica (name, n));
    assert_true (wait_replica (service, n, 30000));
    free (replica);
}

//  The replica of service that leads (1 when none does, as for store).
static int
leader_of (size_t service)
{
    char role [16];
    return replica_health (service, 2, role, sizeof role) && streq (role, "leader") ? 2 : 1;
}

static void
fail_over_database (void)
{
    uint64_t seq = heard_last ();
    int64_t stopped = zclock_mono ();
    assert_true (it_stack_pg_stop_at (s.primary_dir));
    assert_true (it_stack_pg_promote (s.standby_dir));
    int64_t promoted = zclock_mono ();
    int64_t first = first_heard (seq, promoted, NULL, 30000);
    printf ("  primary stopped, standby promoted in %.2f s: first event committed on it "
            "%.2f s after the stop\n", (promoted - stopped) / 1000.0,
            first ? (first - stopped) / 1000.0 : -1.0);
    assert_true (first > 0 && first - stopped < TAKEOVER_MAX_MS);
    for (size_t i = 0; i < SERVICES; i++)
        if (is_led (i)) {
            int64_t led = 0;
            for (int64_t deadline = zclock_mono () + 20000; !led && zclock_mono () < deadline; )
                for (int n = 1; n <= 2 && !led; n++)
                    led = leads_at (i, n, 200);
            printf ("  %s has a leader on the promoted server %.2f s after the stop\n",
                    s_services [i], led ? (led - stopped) / 1000.0 : -1.0);
            assert_true (led > 0 && led - stopped < TAKEOVER_MAX_MS);
        }
}

//  ---------------------------------------------------------------------------
//  What must hold afterwards

static uint64_t
log_end (void)
{
    PGresult *result = it_pg_query ("SELECT coalesce (max (seq), 0) FROM event");
    uint64_t last = result ? strtoull (PQgetvalue (result, 0, 0), NULL, 10) : 0;
    PQclear (result);
    return last;
}

static uint64_t
posted_last (void)
{
    size_t count = 0;
    it_delivery_t *deliveries = it_webhook_deliveries (s.receiver, &count);
    uint64_t last = 0;
    for (size_t i = 0; i < count; i++)
        if (deliveries [i].status / 100 == 2 && deliveries [i].seq > last)
            last = deliveries [i].seq;
    it_deliveries_free (&deliveries, count);
    return last;
}

//  Whether both replicas of analytics have derived from the whole log
//  (the leader committing what it derived; a standby's last seq says how
//  far it has read).
static bool
derived_to (uint64_t end)
{
    for (int n = 1; n <= 2; n++) {
        uint64_t seq = 0;
        if (!replica_state (2, n, NULL, 0, &seq) || seq != end)
            return false;
    }
    return true;
}

//  Until the log stops growing and analytics has derived from all of it,
//  and every subscriber and the receiver has its end.
static bool
settle (void)
{
    int64_t deadline = zclock_mono () + SETTLE_MS, still_since = zclock_mono ();
    uint64_t last = 0;
    while (zclock_mono () < deadline) {
        uint64_t end = log_end ();
        if (end != last) {
            last = end;
            still_since = zclock_mono ();
        }
        bool heard = derived_to (end)
                  && it_listener_last_seq (s.listeners [0]) == end
                  && it_listener_last_seq (s.listeners [1]) == end && posted_last () == end;
        if (heard && zclock_mono () - still_since > 3000)
            return true;
        zclock_sleep (250);
    }
    return false;
}

static void
check_subscriber (const it_events_t *heard, const it_log_t *log, int n)
{
    assert_int_equal (heard->count, log->count);
    for (size_t i = 0; i < heard->count; i++) {
        assert_int_equal (heard->events [i]->seq, i + 1);
        assert_string_equal (heard->events [i]->id, log->ids [i]);
    }
    printf ("  the subscriber on notify-%d holds all %zu events once, in seq order\n", n,
            heard->count);
}

//  The receiver's deliveries, a repeat dropped by id: every event once,
//  in seq order. Returns the repeats.
static size_t
check_receiver (const it_log_t *log)
{
    size_t count = 0;
    it_delivery_t *deliveries = it_webhook_deliveries (s.receiver, &count);
    zhashx_t *seen = zhashx_new ();
    uint64_t kept = 0;
    size_t repeats = 0;
    for (size_t i = 0; i < count; i++) {
        if (deliveries [i].status / 100 != 2)
            continue;
        assert_true (it_webhook_signature_ok (&deliveries [i], SECRET));
        if (zhashx_lookup (seen, deliveries [i].id)) {
            repeats++;
            continue;
        }
        zhashx_insert (seen, deliveries [i].id, (void *) 1);
        assert_int_equal (deliveries [i].seq, kept + 1);
        assert_string_equal (deliveries [i].id, log->ids [kept]);
        kept++;
    }
    assert_int_equal (kept, log->count);
    zhashx_destroy (&seen);
    it_deliveries_free (&deliveries, count);
    return repeats;
}

static void
check_documents (void)
{
    PGresult *result = it_pg_query ("SELECT sha256, count (*) FROM document GROUP BY sha256");
    assert_non_null (result);
    zhashx_t *stored = zhashx_new ();
    for (int row = 0; row < PQntuples (result); row++) {
        assert_string_equal (PQgetvalue (result, row, 1), "1");
        zhashx_insert (stored, PQgetvalue (result, row, 0), (void *) 1);
    }
    PQclear (result);
    assert_int_equal (zhashx_size (s.acked), DOCUMENTS);
    for (void *item = zhashx_first (s.acked); item; item = zhashx_next (s.acked))
        assert_non_null (zhashx_lookup (stored, zhashx_cursor (s.acked)));
    printf ("  all %d acknowledged documents are stored, each once\n", DOCUMENTS);
    zhashx_destroy (&stored);
}

//  No derived event twice: by dedupe key, and by the cause the event
//  itself names (a second leader deriving the same change anew).
static void
check_derived (const it_events_t *heard)
{
    PGresult *result = it_pg_query ("SELECT count (dedupe_key), count (DISTINCT dedupe_key)"
                                    " FROM event");
    assert_non_null (result);
    long keyed = atol (PQgetvalue (result, 0, 0));
    long distinct = atol (PQgetvalue (result, 0, 1));
    PQclear (result);
    assert_int_equal (keyed, distinct);
    zhashx_t *causes = zhashx_new ();
    size_t derived = 0;
    for (size_t i = 0; i < heard->count; i++) {
        char *cause = it_event_cause (heard->events [i]);
        if (!cause)
            continue;
        if (zhashx_lookup (causes, cause))
            fail_msg ("seq %" PRIu64 " derives again what was derived before: %s",
                      heard->events [i]->seq, cause);
        zhashx_insert (causes, cause, (void *) 1);
        derived++;
        free (cause);
    }
    zhashx_destroy (&causes);
    assert_true (keyed > 0 && derived > 0);
    result = it_pg_query ("SELECT string_agg (type || ' ' || n, ', ' ORDER BY type) FROM"
                          " (SELECT type, count (*) AS n FROM event WHERE dedupe_key IS NOT NULL"
                          "  GROUP BY type) AS counts");
    assert_non_null (result);
    printf ("  derived: %s\n", PQgetvalue (result, 0, 0));
    PQclear (result);
    printf ("  %ld derived events, none twice by dedupe key; the %zu that name their cause, "
            "none twice by cause\n", keyed, derived);
}

//  ---------------------------------------------------------------------------

static void
test_nothing_acknowledged_is_lost_when_any_one_part_dies (void **state)
{
    s.receiver = it_webhook_new ();
    assert_non_null (s.receiver);
    int rc = 1;
    char *arguments = ow_printf ("webhook add '%s' --secret '%s' --from 1 >/dev/null",
                                 it_webhook_url (s.receiver), SECRET);
    free (it_cli (arguments, &rc));
    free (arguments);
    assert_int_equal (rc, 0);
    for (int n = 1; n <= 2; n++) {
        char *pub = replica_endpoint ("OFWATCH_NOTIFY_PUB", n);
        char *replay = replica_endpoint ("OFWATCH_NOTIFY_REPLAY", n);
        s.listeners [n - 1] = it_listener_new_at (pub, replay);
        free (pub);
        free (replay);
    }
    int64_t started = zclock_mono ();
    pthread_t clients [CLIENTS];
    client_arg_t arguments_of [CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        arguments_of [i].client = i;
        assert_int_equal (pthread_create (&clients [i], NULL, client_run, &arguments_of [i]), 0);
    }
    //  Some of the stream first, so every kill has work to interrupt.
    while (atomic_load (&s.acknowledged) < 50)
        zclock_sleep (50);
    printf ("  %d documents acknowledged; killing each replica in turn\n",
            atomic_load (&s.acknowledged));
    const char *order [] = { "analytics", "notify", "watch", "store", "ingest" };
    for (size_t k = 0; k < SERVICES; k++) {
        size_t service = 0;
        while (!streq (s_services [service], order [k]))
            service++;
        int first = leader_of (service);
        kill_one (service, first);
        kill_one (service, 3 - first);
    }
    printf ("  %d documents acknowledged; failing the database over\n",
            atomic_load (&s.acknowledged));
    fail_over_database ();
    int during = atomic_load (&s.acknowledged);
    atomic_store (&s.faults_over, true);
    for (int i = 0; i < CLIENTS; i++)
        pthread_join (clients [i], NULL);
    printf ("  %d documents acknowledged while faults were injected, %d in all\n", during,
            atomic_load (&s.acknowledged));
    printf ("  %d submissions sent again after no answer (each stored once)\n",
            atomic_load (&s.retries));
    assert_true (settle ());
    int64_t ended = zclock_mono ();
    it_log_t log = { 0 };
    assert_true (it_log_read (&log));
    for (size_t i = 0; i < log.count; i++)
        assert_int_equal (log.seqs [i], i + 1);
    printf ("  the log holds %zu events, seqs 1 to %zu without a gap\n", log.count,
            log.count);
    for (int n = 1; n <= 2; n++)
        printf ("  the longest pause the subscriber on notify-%d saw: %.2f s\n", n,
                it_listener_longest_pause (s.listeners [n - 1], started, ended) / 1000.0);
    for (int n = 1; n <= 2; n++) {
        it_events_t heard = { 0 };
        it_listener_destroy (&s.listeners [n - 1], &heard);
        check_subscriber (&heard, &log, n);
        if (n == 2)
            check_derived (&heard);
        it_events_free (&heard);
    }
    size_t repeats = check_receiver (&log);
    printf ("  the webhook receiver holds all %zu events once by id, in seq order; "
            "%zu repeats of an event in flight at a kill dropped by id\n", log.count, repeats);
    //  At most the one event in flight at each kill, and at the failover.
    assert_true (repeats <= s.kills + 1);
    check_documents ();
    it_log_free (&log);
}

int
main (void)
{
    setvbuf (stdout, NULL, _IOLBF, 0);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_nothing_acknowledged_is_lost_when_any_one_part_dies),
    };
    return cmocka_run_group_tests_name ("failover", tests, setup, teardown);
}
