/*  it_stack — killing and restarting the stack's processes from a test,
    the way an operator's `make up` would: stop a service (politely or
    with SIGKILL), start what is not running with tools/stack.sh, stop and
    start the private PostgreSQL with tools/pg.sh.

    Call it_stack_adopt first: a restarted service becomes this test's
    child (the test is made a subreaper), so the test can reap it and
    stop it cleanly at the end with it_stack_release; a process nobody
    reaps would look alive to `kill -0` long after it died.
*/
#ifndef IT_STACK_H
#define IT_STACK_H

#include <stdbool.h>
#include <sys/types.h>

void it_stack_adopt (void);

//  The pid in OFWATCH_TEST_RUN/<service>.pid, or 0.
pid_t it_stack_pid (const char *service);

//  Sends signal to the service and waits until it is gone (up to 15 s,
//  then SIGKILL). False when it was not running.
bool it_stack_kill (const char *service, int signal);

//  Starts the service with tools/stack.sh (in the test's environment).
bool it_stack_start (const char *service);

//  Until `ofwatch health` passes (true), or timeout_ms have gone by.
bool it_stack_wait_healthy (int timeout_ms);

//  Stops and starts PostgreSQL (OFWATCH_PG_DIR, OFWATCH_PG_PORT).
bool it_stack_pg_stop (void);
bool it_stack_pg_start (void);

//  Starts replica n of service, known as "<service>-<n>", binding its own
//  endpoints (tools/stack.sh stack_start_replica says which variables).
bool it_stack_start_replica (const char *service, int n);

//  A streaming standby of the primary on primary_port, in dir, listening
//  on port (tools/pg.sh standby); the primary then waits at every commit
//  until the standby has applied it (tools/pg.sh synchronous).
bool it_stack_pg_standby (const char *dir, int port, int primary_port);

//  Stops the cluster in dir (fast shutdown); promotes the standby in dir.
bool it_stack_pg_stop_at (const char *dir);
bool it_stack_pg_promote (const char *dir);

//  Stops, with SIGTERM, every service this test started, so none is left
//  for the harness to wait on.
void it_stack_release (void);

//  it_stack_release as a cmocka group teardown, so it runs whether the
//  tests passed or not.
int it_stack_teardown (void **state);

#endif
