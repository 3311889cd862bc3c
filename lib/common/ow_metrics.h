/*  ow_metrics — Prometheus metrics of one service, served over HTTP.

    Counters, gauges and latency histograms, each a name and an optional
    label set, kept in memory and written in the Prometheus text format
    (version 0.0.4) at GET /metrics on OFWATCH_METRICS_PORT. The HTTP
    server (libmicrohttpd) runs in its own thread; a mutex guards the
    series, so updates from the service's thread are cheap and safe.

    The exposition is what `promtool check metrics` and the client
    libraries expect: every family once, its HELP and TYPE lines first
    (from data/metrics.csv, the list of every family and what it means),
    then all its series together, in name order.
*/
#ifndef OW_METRICS_H
#define OW_METRICS_H

typedef struct _ow_metrics_t ow_metrics_t;

//  `port` 0 keeps the metrics without serving them. NULL is never
//  returned: a port that cannot be bound is logged and not served.
ow_metrics_t *ow_metrics_new (const char *service, int port);
void ow_metrics_destroy (ow_metrics_t **self_p);

//  Adds to a counter. `labels` is NULL or a Prometheus label set body,
//  e.g. "reason=\"too_large\"". A NULL self does nothing, so code paths
//  without metrics (tests, the CLI) need no checks.
void ow_metrics_count (ow_metrics_t *self, const char *name, const char *labels, double by);

//  Sets a gauge.
void ow_metrics_set (ow_metrics_t *self, const char *name, const char *labels, double value);

//  Records one observation (seconds) in a latency histogram.
void ow_metrics_observe (ow_metrics_t *self, const char *name, const char *labels,
                         double seconds);

//  The exposition text (caller frees); what GET /metrics answers.
char *ow_metrics_text (ow_metrics_t *self);

#endif
