/*  rate — how many submissions each key may send: a token bucket per key.

    A key may send `burst` submissions at once and then `per_minute` a
    minute, so one council sending its whole archive, or a hostile loop,
    waits its turn instead of taking every worker from everyone else.
    Buckets live only in this ingest's memory: with several ingests behind
    a load balancer each enforces the limit on what it sees.
*/

#include "ingest.h"

#define MAX_BUCKETS 10000

typedef struct {
    double tokens;
    int64_t updated;            // monotonic ms
} bucket_t;

struct _ingest_rates_t {
    zhashx_t *buckets;          // key name -> bucket_t
};

ingest_rates_t *
ingest_rates_new (void)
{
    ingest_rates_t *self = ow_calloc (1, sizeof *self);
    self->buckets = zhashx_new ();
    zhashx_set_destructor (self->buckets, (zhashx_destructor_fn *) zstr_free);
    return self;
}

void
ingest_rates_destroy (ingest_rates_t **self_p)
{
    ingest_rates_t *self = *self_p;
    if (self) {
        zhashx_destroy (&self->buckets);
        free (self);
        *self_p = NULL;
    }
}

int
ingest_rates_take (ingest_rates_t *self, const char *key, int per_minute, int burst,
                   int64_t now)
{
    if (per_minute <= 0)
        return 0;
    bucket_t *bucket = zhashx_lookup (self->buckets, key);
    if (!bucket) {
        //  Keys are authenticated, so this only grows with real keys; the
        //  bound is for safety, and a purge only forgives.
        if (zhashx_size (self->buckets) >= MAX_BUCKETS)
            zhashx_purge (self->buckets);
        bucket = ow_malloc (sizeof *bucket);
        bucket->tokens = burst;
        bucket->updated = now;
        zhashx_insert (self->buckets, key, bucket);
    }
    double per_ms = per_minute / 60000.0;
    bucket->tokens += (double) (now - bucket->updated) * per_ms;
    if (bucket->tokens > burst)
        bucket->tokens = burst;
    bucket->updated = now;
    if (bucket->tokens >= 1) {
        bucket->tokens -= 1;
        return 0;
    }
    //  Seconds until a whole token has dripped in, rounded up.
    return (int) ((1 - bucket->tokens) / per_ms / 1000) + 1;
}
