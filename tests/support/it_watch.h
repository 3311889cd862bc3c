/*  it_watch — driving the watch service from a test: restarting it
    against a stand-in of Ofsted's site with chosen settings, waiting for
    its passes (as its ledger in PostgreSQL records them), and reading what
    it said (its log) and counted (its /metrics).
*/
#ifndef IT_WATCH_H
#define IT_WATCH_H

#include <stdbool.h>
#include <stddef.h>

//  Restarts the watch service reading `site` every `interval` seconds
//  (0: idle), with the rest of the test's environment; true once it
//  answers its health check.
bool it_watch_restart (const char *site, int interval);

//  Stops it (SIGTERM), leaving it stopped.
void it_watch_stop (void);

//  How many passes the ledger records with this outcome (complete,
//  failed, stopped; NULL: those cut short); -1 when PostgreSQL cannot be
//  read.
long it_watch_passes (const char *outcome);

//  Waits until at least `count` passes have that outcome; false after
//  timeout_ms (said on stderr).
bool it_watch_wait_passes (const char *outcome, long count, int timeout_ms);

//  Lines of the watch service's log (OFWATCH_TEST_LOG/watch.log) that
//  hold text.
size_t it_watch_log_lines (const char *text);

//  The value of one series of the watch service's metrics: a name and
//  its labels beside the service's (NULL: none), e.g.
//  ("ofwatch_watch_errors_total", "reason=\"markup\""); -1 when absent.
double it_watch_metric (const char *name, const char *labels);

//  A single value from PostgreSQL (OFWATCH_PG) for a query, or NULL
//  (said on stderr). Caller frees.
char *it_watch_sql (const char *format, ...) __attribute__ ((format (printf, 1, 2)));

//  The value as a number (-1 when NULL).
long it_watch_sql_number (const char *format, ...) __attribute__ ((format (printf, 1, 2)));

#endif
