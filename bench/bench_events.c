/*  bench_events — how fast committed events reach subscribers on notify.

    usage: bench_events latency RATE SECONDS [BATCH]
           bench_events fanout SUBSCRIBERS EVENTS

    Events are written straight into store's log with DeriveRequests (as
    analytics writes its derived events: each with a dedupe key, committed
    in one transaction per request), of a type no service derives anything
    from, so what is measured is store's commit, store's PUB, notify's
    follower and notify's PUB, and nothing else.

    latency: RATE events a second for SECONDS, in requests of BATCH events
    (10, about what one document causes) paced evenly; one SUB client on notify notes when each event
    arrives. The latency of an event is its arrival time less its
    recorded_at, the time store stamped it inside its transaction, so it
    counts the commit itself too: an upper bound on commit-to-subscriber.
    Prints "p50_ms p99_ms max_ms received sent seconds".

    fanout: SUBSCRIBERS SUB clients on notify, each on its own thread;
    EVENTS events written as fast as store takes them, 1000 a request.
    Fan-out is every delivery to every subscriber over the time from the
    first arrival to the last. Prints "deliveries_per_second
    per_subscriber_per_second received expected seconds".
*/

#include "it_keys.h"
#include "it_log.h"
#include "ow_client.h"
#include "ow_config.h"
#include "ow_security.h"
#include "ow_wire.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define BATCH_FANOUT    1000
#define BATCH_LATENCY   10
#define DRAIN_MS        3000          // after the last event: wait this long for stragglers

//  ---- writing events ---------------------------------------------------------

//  A derived event of a type nothing derives from, with a unique key.
static Ofwatch__V1__DerivedEvent *
bench_event (const char *run, uint64_t n)
{
    Ofwatch__V1__DerivedEvent *derived = OW_PB_NEW (Ofwatch__V1__DerivedEvent,
                                                    ofwatch__v1__derived_event__init);
    derived->dedupe_key = ow_printf ("bench %s %" PRIu64, run, n);
    Ofwatch__V1__Event *event = OW_PB_NEW (Ofwatch__V1__Event, ofwatch__v1__event__init);
    event->type = OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_CONFLICT_DETECTED;
    event->authority = ow_strdup ("E06000019");
    event->payload = OW_PB_NEW (Ofwatch__V1__Payload, ofwatch__v1__payload__init);
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_CONFLICT_DETECTED;
    event->payload->conflict_detected = OW_PB_NEW (Ofwatch__V1__ConflictDetected,
                                                   ofwatch__v1__conflict_detected__init);
    event->payload->conflict_detected->fact = ow_strdup ("bench");
    derived->event = event;
    return derived;
}

//  Commits events first .. first + count - 1 in one transaction. False
//  (said on stderr) when store did not.
static bool
write_events (ow_client_t *store, const char *run, uint64_t first, size_t count)
{
    Ofwatch__V1__DeriveRequest *derive = OW_PB_NEW (Ofwatch__V1__DeriveRequest,
                                                    ofwatch__v1__derive_request__init);
    derive->consumer = ow_strdup ("bench");
    for (size_t i = 0; i < count; i++)
        ow_pb_append ((void ***) &derive->events, &derive->n_events, bench_event (run, first + i));
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_DERIVE;
    request.derive = derive;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (store, &request, 30000, &error);
    bool ok = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_DERIVE
           && reply->derive->n_event_seqs == count;
    if (!ok) {
        const char *why = error ? error : ow_client_error_message (reply);
        fprintf (stderr, "bench_events: store did not commit: %s\n",
                 why ? why : reply ? "some events were dropped" : "no answer");
    }
    free (error);
    ow_pb_free (&reply);
    ow_pb_free (&derive);
    return ok;
}

typedef struct {
    size_t batch;                    // events per request
    int64_t interval_us;             // between requests (0: no pacing)
    uint64_t total;
    uint64_t sent;
    char run [32];
} writer_t;

static void *
writer_run (void *argument)
{
    writer_t *self = argument;
    //  Derived events reach store only from the services' own keys: the
    //  writer speaks as analytics does.
    char *cert = it_key_path ("analytics");
    ow_client_t *store = it_client_as ("store", cert);
    free (cert);
    int64_t next = zclock_usecs ();
    while (self->sent < self->total) {
        size_t left = self->total - self->sent;
        size_t count = left < self->batch ? left : self->batch;
        if (!write_events (store, self->run, self->sent, count))
            break;
        self->sent += count;
        if (self->interval_us) {
            next += self->interval_us;
            int64_t wait = next - zclock_usecs ();
            if (wait > 0)
                usleep ((useconds_t) wait);
        }
    }
    ow_client_destroy (&store);
    return NULL;
}

static void
writer_start (writer_t *writer, pthread_t *thread)
{
    snprintf (writer->run, sizeof writer->run, "%" PRId64, zclock_time ());
    pthread_create (thread, NULL, writer_run, writer);
}

//  ---- subscribers ------------------------------------------------------------

//  A SUB client of notify's PUB ("notify") or store's ("store"), for the
//  bench's events only.
static zsock_t *
subscribe (const char *service)
{
    ow_config_t config;
    ow_config_load (&config);
    char *endpoint = ow_config_connectable (streq (service, "store") ? config.store_events
                                                                      : config.notify_pub);
    zsock_t *subscriber = zsock_new (ZMQ_SUB);
    zsock_set_rcvhwm (subscriber, 0);            // a benchmark counts, never drops
    ow_security_client (subscriber, service, NULL);
    zsock_set_subscribe (subscriber, "conflict.detected.");
    //  Every store replica publishes what it commits: a list is heard whole.
    ow_config_connect (subscriber, endpoint);
    free (endpoint);
    return subscriber;
}

//  Microseconds since the epoch of an RFC 3339 UTC time with a fraction.
static int64_t
epoch_us (const char *rfc3339)
{
    struct tm tm = { 0 };
    const char *rest = strptime (rfc3339, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest)
        return 0;
    int64_t us = (int64_t) timegm (&tm) * 1000000;
    if (*rest == '.') {
        int64_t scale = 100000;
        for (rest++; *rest >= '0' && *rest <= '9'; rest++, scale /= 10)
            us += (*rest - '0') * scale;
    }
    return us;
}

static int64_t
now_us (void)
{
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    return (int64_t) now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

static int
by_value (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

//  ---- latency ----------------------------------------------------------------

//  The arrival of every event at one subscriber: its seq, when (wall
//  clock, µs), and how long after its recorded_at (ms).
typedef struct {
    zsock_t *socket;
    uint64_t *seqs;
    int64_t *at_us;
    double *ms;
    size_t count;
} arrivals_t;

static void
arrivals_init (arrivals_t *self, const char *service, size_t capacity)
{
    self->socket = subscribe (service);
    self->seqs = ow_calloc (capacity + 1, sizeof (uint64_t));
    self->at_us = ow_calloc (capacity + 1, sizeof (int64_t));
    self->ms = ow_calloc (capacity + 1, sizeof (double));
    self->count = 0;
}

static void
arrivals_free (arrivals_t *self)
{
    zsock_destroy (&self->socket);
    free (self->seqs);
    free (self->at_us);
    free (self->ms);
}

static void
arrive (arrivals_t *self, size_t capacity)
{
    Ofwatch__V1__Event *event = ow_wire_receive_event (self->socket);
    int64_t arrived = now_us ();
    if (event && self->count < capacity) {
        self->seqs [self->count] = event->seq;
        self->at_us [self->count] = arrived;
        self->ms [self->count++] = (double) (arrived - epoch_us (event->recorded_at)) / 1000.0;
    }
    ow_pb_free (&event);
}

//  The fraction-th smallest of values (sorted in place).
static double
percentile (double *values, size_t count, double fraction)
{
    if (count == 0)
        return 0;
    qsort (values, count, sizeof (double), by_value);
    size_t rank = (size_t) ceil ((double) count * fraction);
    return values [rank > 0 ? rank - 1 : 0];
}

//  What notify adds: for each event both heard, notify's arrival less
//  store's (both arrive in seq order). Returns how many were paired.
static size_t
hops (const arrivals_t *notify, const arrivals_t *store, double *ms)
{
    size_t paired = 0, j = 0;
    for (size_t i = 0; i < notify->count; i++) {
        while (j < store->count && store->seqs [j] < notify->seqs [i])
            j++;
        if (j < store->count && store->seqs [j] == notify->seqs [i])
            ms [paired++] = (double) (notify->at_us [i] - store->at_us [j]) / 1000.0;
    }
    return paired;
}

//  Also listens on store's own PUB, so the report can tell store's part
//  (commit and publish) from notify's (follow and publish again).
static int
latency (int rate, int seconds, int batch)
{
    writer_t writer = { .batch = (size_t) batch,
                        .interval_us = (int64_t) batch * 1000000 / rate,
                        .total = (uint64_t) rate * (uint64_t) seconds };
    arrivals_t notify, store;
    arrivals_init (&notify, "notify", writer.total);
    arrivals_init (&store, "store", writer.total);
    zclock_sleep (500);                           // joined before the first event
    pthread_t thread;
    int64_t started = zclock_mono ();
    writer_start (&writer, &thread);
    zpoller_t *poller = zpoller_new (notify.socket, store.socket, NULL);
    int64_t quiet_until = zclock_mono () + (int64_t) seconds * 1000 + DRAIN_MS;
    while ((notify.count < writer.total || store.count < writer.total)
           && zclock_mono () < quiet_until) {
        void *which = zpoller_wait (poller, 100);
        if (which == notify.socket)
            arrive (&notify, writer.total);
        else if (which == store.socket)
            arrive (&store, writer.total);
    }
    double elapsed = (double) (zclock_mono () - started) / 1000.0;
    pthread_join (thread, NULL);
    zpoller_destroy (&poller);
    int rc = notify.count == writer.total ? 0 : 1;
    if (notify.count == 0) {
        fprintf (stderr, "bench_events: no event arrived\n");
        rc = 1;
    }
    else {
        double *hop = ow_calloc (notify.count + 1, sizeof (double));
        size_t paired = hops (&notify, &store, hop);
        double max = percentile (notify.ms, notify.count, 1.0);
        printf ("%.2f %.2f %.2f %zu %" PRIu64 " %.1f %.2f %.2f %.2f %.2f\n",
                percentile (notify.ms, notify.count, 0.50),
                percentile (notify.ms, notify.count, 0.99), max, notify.count, writer.sent,
                elapsed, percentile (store.ms, store.count, 0.50),
                percentile (store.ms, store.count, 0.99), percentile (hop, paired, 0.50),
                percentile (hop, paired, 0.99));
        free (hop);
    }
    arrivals_free (&notify);
    arrivals_free (&store);
    return rc;
}

//  ---- fan-out ----------------------------------------------------------------

typedef struct {
    uint64_t expected;
    uint64_t received;
    int64_t first_us, last_us;
    zsock_t *socket;
} counter_t;

static void *
counter_run (void *argument)
{
    counter_t *self = argument;
    zpoller_t *poller = zpoller_new (self->socket, NULL);
    int64_t idle_since = zclock_mono ();
    while (self->received < self->expected && zclock_mono () - idle_since < 30000) {
        if (!zpoller_wait (poller, 100))
            continue;
        zmsg_t *msg = zmsg_recv (self->socket);     // counted, not decoded: as a router would
        zmsg_destroy (&msg);
        self->last_us = now_us ();
        if (self->received++ == 0)
            self->first_us = self->last_us;
        idle_since = zclock_mono ();
    }
    zpoller_destroy (&poller);
    return NULL;
}

static int
fanout (int subscribers, int events)
{
    counter_t *counters = ow_calloc ((size_t) subscribers, sizeof (counter_t));
    pthread_t *threads = ow_calloc ((size_t) subscribers, sizeof (pthread_t));
    for (int i = 0; i < subscribers; i++) {
        counters [i].expected = (uint64_t) events;
        counters [i].socket = subscribe ("notify");
    }
    zclock_sleep (1000);
    for (int i = 0; i < subscribers; i++)
        pthread_create (&threads [i], NULL, counter_run, &counters [i]);
    writer_t writer = { .batch = BATCH_FANOUT, .interval_us = 0, .total = (uint64_t) events };
    pthread_t writer_thread;
    writer_start (&writer, &writer_thread);
    pthread_join (writer_thread, NULL);
    uint64_t received = 0;
    int64_t first = INT64_MAX, last = 0;
    for (int i = 0; i < subscribers; i++) {
        pthread_join (threads [i], NULL);
        received += counters [i].received;
        if (counters [i].received && counters [i].first_us < first)
            first = counters [i].first_us;
        if (counters [i].last_us > last)
            last = counters [i].last_us;
        zsock_destroy (&counters [i].socket);
    }
    double seconds = last > first ? (double) (last - first) / 1e6 : 0;
    uint64_t expected = (uint64_t) events * (uint64_t) subscribers;
    printf ("%.0f %.0f %" PRIu64 " %" PRIu64 " %.2f\n", seconds > 0 ? received / seconds : 0,
           seconds > 0 ? received / seconds / subscribers : 0, received, expected, seconds);
    free (threads);
    free (counters);
    return received == expected ? 0 : 1;
}

int
main (int argc, char **argv)
{
    zsys_init ();
    int batch = argc == 5 ? atoi (argv [4]) : BATCH_LATENCY;
    if ((argc == 4 || argc == 5) && streq (argv [1], "latency") && atoi (argv [2]) > 0
        && atoi (argv [3]) > 0 && batch > 0)
        return latency (atoi (argv [2]), atoi (argv [3]), batch);
    if (argc == 4 && streq (argv [1], "fanout") && atoi (argv [2]) > 0 && atoi (argv [3]) > 0)
        return fanout (atoi (argv [2]), atoi (argv [3]));
    fprintf (stderr, "usage: bench_events latency RATE SECONDS [BATCH]\n"
                     "       bench_events fanout SUBSCRIBERS EVENTS\n");
    return 2;
}
