/*  it_watch — the watch service from a test; see it_watch.h.  */

#include "it_watch.h"
#include "it_http.h"
#include "it_log.h"
#include "it_stack.h"
#include "it_support.h"
#include "ow_config.h"
#include "ow_pb.h"

#include <czmq.h>
#include <signal.h>
#include <stdarg.h>

bool
it_watch_restart (const char *site, int interval)
{
    it_stack_kill ("watch", SIGTERM);
    char seconds [16];
    snprintf (seconds, sizeof seconds, "%d", interval);
    setenv ("OFWATCH_OFSTED_URL", site, 1);
    setenv ("OFWATCH_WATCH_INTERVAL", seconds, 1);
    if (!it_stack_start ("watch"))
        return false;
    ow_config_t config;
    ow_config_load (&config);
    for (int i = 0; i < 100; i++) {
        uint64_t ignored;
        if (it_health_seq (config.watch, "watch", 1000, &ignored))
            return true;
        zclock_sleep (100);
    }
    fprintf (stderr, "it_watch_restart: the watch service did not answer\n");
    return false;
}

void
it_watch_stop (void)
{
    it_stack_kill ("watch", SIGTERM);
}

static char *
vsql (const char *format, va_list args)
{
    char *query = NULL;
    if (vasprintf (&query, format, args) < 0)
        abort ();
    PGresult *result = it_pg_query (query);
    free (query);
    char *value = result && PQntuples (result) == 1 && !PQgetisnull (result, 0, 0)
                ? ow_strdup (PQgetvalue (result, 0, 0)) : NULL;
    PQclear (result);
    return value;
}

char *
it_watch_sql (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *value = vsql (format, args);
    va_end (args);
    return value;
}

long
it_watch_sql_number (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *value = vsql (format, args);
    va_end (args);
    long number = value ? strtol (value, NULL, 10) : -1;
    free (value);
    return number;
}

long
it_watch_passes (const char *outcome)
{
    return outcome ? it_watch_sql_number ("SELECT count(*) FROM watch.pass WHERE outcome = '%s'",
                                          outcome)
                   : it_watch_sql_number ("SELECT count(*) FROM watch.pass WHERE outcome IS NULL"
                                          " AND finished_at IS NULL");
}

bool
it_watch_wait_passes (const char *outcome, long count, int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    long seen = -1;
    while (zclock_mono () < deadline) {
        seen = it_watch_passes (outcome);
        if (seen >= count)
            return true;
        zclock_sleep (100);
    }
    fprintf (stderr, "it_watch_wait_passes: %ld %s passes after %d s, waited for %ld\n", seen,
             outcome ? outcome : "unfinished", timeout_ms / 1000, count);
    return false;
}

size_t
it_watch_log_lines (const char *text)
{
    char *path = ow_printf ("%s/watch.log", getenv ("OFWATCH_TEST_LOG"));
    FILE *file = fopen (path, "r");
    free (path);
    size_t count = 0;
    char *line = NULL;
    size_t capacity = 0;
    while (file && getline (&line, &capacity, file) > 0)
        count += strstr (line, text) != NULL;
    free (line);
    if (file)
        fclose (file);
    return count;
}

double
it_watch_metric (const char *name, const char *labels)
{
    char *series = labels ? ow_printf ("%s{service=\"watch\",%s}", name, labels)
                          : ow_printf ("%s{service=\"watch\"}", name);
    const char *port = getenv ("OFWATCH_METRICS_PORT_WATCH");
    char *url = ow_printf ("http://127.0.0.1:%s/metrics", port ? port : "0");
    long status = 0;
    char *text = it_http (url, NULL, 10, &status);
    free (url);
    double value = -1;
    size_t length = strlen (series);
    for (char *line = text; line && *line; ) {
        char *end = strchr (line, '\n');
        if (strncmp (line, series, length) == 0 && line [length] == ' ')
            value = strtod (line + length + 1, NULL);
        line = end ? end + 1 : NULL;
    }
    free (text);
    free (series);
    return value;
}
