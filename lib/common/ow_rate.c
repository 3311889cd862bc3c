/*  ow_rate — a token bucket per key; see ow_rate.h.  */

#include "ow_rate.h"
#include "ow_pb.h"

#include <czmq.h>
#include <math.h>

//  Keys are authenticated, so this only grows with real keys; the bound is
//  for safety, and a purge only forgives.
#define MAX_BUCKETS 10000

typedef struct {
    double tokens;
    int64_t updated;            // monotonic ms
} bucket_t;

struct _ow_rate_t {
    zhashx_t *buckets;          // key name -> bucket_t
};

ow_rate_t *
ow_rate_new (void)
{
    ow_rate_t *self = ow_calloc (1, sizeof *self);
    self->buckets = zhashx_new ();
    zhashx_set_destructor (self->buckets, (zhashx_destructor_fn *) zstr_free);
    return self;
}

void
ow_rate_destroy (ow_rate_t **self_p)
{
    ow_rate_t *self = *self_p;
    if (self) {
        zhashx_destroy (&self->buckets);
        free (self);
        *self_p = NULL;
    }
}

int
ow_rate_burst (int per_minute)
{
    return per_minute / 10 < 10 ? 10 : per_minute / 10;
}

int
ow_rate_take (ow_rate_t *self, const char *key, int per_minute, int64_t now)
{
    if (per_minute <= 0)
        return 0;
    int burst = ow_rate_burst (per_minute);
    bucket_t *bucket = zhashx_lookup (self->buckets, key);
    if (!bucket) {
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
    int wait = (int) ceil ((1 - bucket->tokens) / per_ms / 1000);
    return wait > 0 ? wait : 1;
}
