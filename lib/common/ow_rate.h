/*  ow_rate — how many requests each key may make: a token bucket per key.

    A key may make `burst` requests at once and then `per_minute` a
    minute, whatever the requests are and whether they are granted or
    refused, so one council sending its whole archive, or a hostile loop,
    waits its turn instead of taking the service from everyone else.
    Buckets live only in this process's memory: with several copies of a
    service behind a load balancer each enforces the limit on what it
    sees. One instance belongs to one thread.
*/
#ifndef OW_RATE_H
#define OW_RATE_H

#include <stdint.h>

typedef struct _ow_rate_t ow_rate_t;

ow_rate_t *ow_rate_new (void);
void ow_rate_destroy (ow_rate_t **self_p);

//  How many requests a key may make at once, for a rate of per_minute: a
//  tenth of a minute's worth, at least 10.
int ow_rate_burst (int per_minute);

//  Takes one request of `key` at now_ms (monotonic): 0 when it may be
//  made now (always, for per_minute 0), else the whole seconds until it
//  may.
int ow_rate_take (ow_rate_t *self, const char *key, int per_minute, int64_t now_ms);

#endif
