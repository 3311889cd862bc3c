/*  ow_metrics — Prometheus metrics of one service; see ow_metrics.h.

    A service has a few dozen series at most, so they live in a small
    array searched linearly: boring and visible. The exposition sorts them
    by family so each family is one group, whatever order the series were
    first used in.
*/

#include "ow_metrics.h"
#include "ow_config.h"
#include "ow_csv.h"
#include "ow_log.h"
#include "ow_pb.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define MAX_SERIES 128
#define MAX_FAMILIES 64

//  What a family without a line in data/metrics.csv is described as; the
//  metrics test looks for it.
#define UNDESCRIBED "not described in data/metrics.csv"

typedef enum { KIND_COUNTER, KIND_GAUGE, KIND_HISTOGRAM } kind_t;

//  Latency bucket bounds in seconds: 100 µs to 10 s.
static const double s_bounds [] = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10
};
#define BUCKETS (sizeof s_bounds / sizeof s_bounds [0])

typedef struct {
    char *name;
    char *labels;
    kind_t kind;
    double value;                       // counter, gauge; histogram: sum
    unsigned long count;                // histogram
    unsigned long buckets [BUCKETS];    // histogram, not cumulative
} series_t;

typedef struct {
    char *name;
    char *help;
} family_t;

struct _ow_metrics_t {
    char *service;
    family_t families [MAX_FAMILIES];   // from data/metrics.csv
    size_t n_families;
    pthread_mutex_t lock;
    series_t series [MAX_SERIES];
    size_t n_series;
    struct MHD_Daemon *daemon;
};

static enum MHD_Result
answer (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
        const char *version, const char *upload_data, size_t *upload_data_size, void **state)
{
    ow_metrics_t *self = cls;
    bool found = strcmp (method, "GET") == 0 && strcmp (url, "/metrics") == 0;
    char *text = found ? ow_metrics_text (self) : ow_strdup ("not found\n");
    struct MHD_Response *response = MHD_create_response_from_buffer (strlen (text), text,
                                                                     MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header (response, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    enum MHD_Result result = MHD_queue_response (connection, found ? 200 : 404, response);
    MHD_destroy_response (response);
    return result;
}

//  Reads every family's HELP text from the data directory's metrics.csv.
static void
load_families (ow_metrics_t *self)
{
    ow_config_t config;
    ow_config_load (&config);
    char *path = ow_printf ("%s/metrics.csv", config.data), *error = NULL;
    ow_csv_t *csv = ow_csv_open (path, &error);
    if (csv) {
        ow_csv_set_comment (csv, '#');
        int name = -1, help = -1;
        if (ow_csv_next (csv)) {
            name = ow_csv_find (csv, "name");
            help = ow_csv_find (csv, "help");
        }
        while (name >= 0 && help >= 0 && ow_csv_next (csv) && self->n_families < MAX_FAMILIES) {
            family_t *family = &self->families [self->n_families++];
            family->name = ow_strdup (ow_csv_field (csv, (size_t) name));
            family->help = ow_strdup (ow_csv_field (csv, (size_t) help));
        }
    }
    else {
        ow_warn ("metrics are exposed without their descriptions", "reason", error);
        free (error);
    }
    ow_csv_destroy (&csv);
    free (path);
}

ow_metrics_t *
ow_metrics_new (const char *service, int port)
{
    ow_metrics_t *self = ow_calloc (1, sizeof *self);
    self->service = ow_strdup (service);
    load_families (self);
    pthread_mutex_init (&self->lock, NULL);
    if (port > 0) {
        self->daemon = MHD_start_daemon (MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
                                         (uint16_t) port, NULL, NULL, answer, self,
                                         MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
        char text [16];
        snprintf (text, sizeof text, "%d", port);
        if (self->daemon)
            ow_info ("serving metrics", "port", text, "path", "/metrics");
        else
            ow_error ("cannot serve metrics", "port", text);
    }
    return self;
}

void
ow_metrics_destroy (ow_metrics_t **self_p)
{
    ow_metrics_t *self = *self_p;
    if (!self)
        return;
    if (self->daemon)
        MHD_stop_daemon (self->daemon);
    for (size_t i = 0; i < self->n_series; i++) {
        free (self->series [i].name);
        free (self->series [i].labels);
    }
    for (size_t i = 0; i < self->n_families; i++) {
        free (self->families [i].name);
        free (self->families [i].help);
    }
    pthread_mutex_destroy (&self->lock);
    free (self->service);
    free (self);
    *self_p = NULL;
}

//  The series for name and labels, created on first use; NULL when full.
//  Called with the lock held.
static series_t *
series_for (ow_metrics_t *self, const char *name, const char *labels, kind_t kind)
{
    labels = labels ? labels : "";
    for (size_t i = 0; i < self->n_series; i++)
        if (strcmp (self->series [i].name, name) == 0
            && strcmp (self->series [i].labels, labels) == 0)
            return &self->series [i];
    if (self->n_series == MAX_SERIES)
        return NULL;
    series_t *series = &self->series [self->n_series++];
    memset (series, 0, sizeof *series);
    series->name = ow_strdup (name);
    series->labels = ow_strdup (labels);
    series->kind = kind;
    return series;
}

void
ow_metrics_count (ow_metrics_t *self, const char *name, const char *labels, double by)
{
    if (!self)
        return;
    pthread_mutex_lock (&self->lock);
    series_t *series = series_for (self, name, labels, KIND_COUNTER);
    if (series)
        series->value += by;
    pthread_mutex_unlock (&self->lock);
}

void
ow_metrics_set (ow_metrics_t *self, const char *name, const char *labels, double value)
{
    if (!self)
        return;
    pthread_mutex_lock (&self->lock);
    series_t *series = series_for (self, name, labels, KIND_GAUGE);
    if (series)
        series->value = value;
    pthread_mutex_unlock (&self->lock);
}

void
ow_metrics_observe (ow_metrics_t *self, const char *name, const char *labels, double seconds)
{
    if (!self)
        return;
    pthread_mutex_lock (&self->lock);
    series_t *series = series_for (self, name, labels, KIND_HISTOGRAM);
    if (series) {
        series->value += seconds;
        series->count++;
        for (size_t b = 0; b < BUCKETS; b++)
            if (seconds <= s_bounds [b]) {
                series->buckets [b]++;
                break;
            }
    }
    pthread_mutex_unlock (&self->lock);
}

static const char *
type_word (kind_t kind)
{
    return kind == KIND_COUNTER ? "counter" : kind == KIND_GAUGE ? "gauge" : "histogram";
}

//  Writes "name{service="x",labels}" into out.
static void
write_name (FILE *out, const ow_metrics_t *self, const series_t *s, const char *suffix,
            const char *extra)
{
    fprintf (out, "%s%s{service=\"%s\"%s%s%s%s}", s->name, suffix, self->service,
             *s->labels ? "," : "", s->labels, extra ? "," : "", extra ? extra : "");
}

static const char *
help_of (const ow_metrics_t *self, const char *name)
{
    for (size_t i = 0; i < self->n_families; i++)
        if (strcmp (self->families [i].name, name) == 0)
            return self->families [i].help;
    return UNDESCRIBED;
}

//  HELP text escapes backslashes and line breaks.
static void
write_help (FILE *out, const char *name, const char *help)
{
    fprintf (out, "# HELP %s ", name);
    for (const char *c = help; *c; c++)
        if (*c == '\\')
            fputs ("\\\\", out);
        else if (*c == '\n')
            fputs ("\\n", out);
        else
            fputc (*c, out);
    fputc ('\n', out);
}

static void
write_series (FILE *out, const ow_metrics_t *self, const series_t *s)
{
    if (s->kind != KIND_HISTOGRAM) {
        write_name (out, self, s, "", NULL);
        fprintf (out, " %.17g\n", s->value);
        return;
    }
    unsigned long cumulative = 0;
    for (size_t b = 0; b < BUCKETS; b++) {
        cumulative += s->buckets [b];
        char le [32];
        snprintf (le, sizeof le, "le=\"%g\"", s_bounds [b]);
        write_name (out, self, s, "_bucket", le);
        fprintf (out, " %lu\n", cumulative);
    }
    write_name (out, self, s, "_bucket", "le=\"+Inf\"");
    fprintf (out, " %lu\n", s->count);
    write_name (out, self, s, "_sum", NULL);
    fprintf (out, " %.17g\n", s->value);
    write_name (out, self, s, "_count", NULL);
    fprintf (out, " %lu\n", s->count);
}

static int
by_family (const void *a, const void *b)
{
    const series_t *x = *(const series_t *const *) a, *y = *(const series_t *const *) b;
    int by_name = strcmp (x->name, y->name);
    return by_name ? by_name : strcmp (x->labels, y->labels);
}

char *
ow_metrics_text (ow_metrics_t *self)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    pthread_mutex_lock (&self->lock);
    const series_t *sorted [MAX_SERIES];
    for (size_t i = 0; i < self->n_series; i++)
        sorted [i] = &self->series [i];
    qsort (sorted, self->n_series, sizeof sorted [0], by_family);
    for (size_t i = 0; i < self->n_series; i++) {
        const series_t *s = sorted [i];
        if (i == 0 || strcmp (sorted [i - 1]->name, s->name) != 0) {
            write_help (out, s->name, help_of (self, s->name));
            fprintf (out, "# TYPE %s %s\n", s->name, type_word (s->kind));
        }
        write_series (out, self, s);
    }
    pthread_mutex_unlock (&self->lock);
    fclose (out);
    return text;
}
