/*  it_stack — killing and restarting the stack; see it_stack.h.  */

#include "it_stack.h"
#include "it_support.h"
#include "ow_pb.h"

#include <czmq.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static const char *s_services [] = { "store", "ingest", "analytics", "notify", "watch" };

void
it_stack_adopt (void)
{
    prctl (PR_SET_CHILD_SUBREAPER, 1);
}

pid_t
it_stack_pid (const char *service)
{
    char *path = ow_printf ("%s/%s.pid", getenv ("OFWATCH_TEST_RUN"), service);
    FILE *file = fopen (path, "r");
    free (path);
    long pid = 0;
    if (file) {
        if (fscanf (file, "%ld", &pid) != 1)
            pid = 0;
        fclose (file);
    }
    return (pid_t) pid;
}

//  Gone: reaped, or a zombie waiting for a parent that is not us.
static bool
gone (pid_t pid)
{
    if (waitpid (pid, NULL, WNOHANG) == pid || kill (pid, 0) != 0)
        return true;
    char path [64], state = 0;
    snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
    FILE *file = fopen (path, "r");
    if (!file)
        return true;
    if (fscanf (file, "%*d %*s %c", &state) != 1)
        state = 0;
    fclose (file);
    return state == 'Z';
}

bool
it_stack_kill (const char *service, int signal)
{
    pid_t pid = it_stack_pid (service);
    if (pid <= 0 || gone (pid))
        return false;
    kill (pid, signal);
    for (int i = 0; i < 150 && !gone (pid); i++)
        zclock_sleep (100);
    if (!gone (pid)) {
        kill (pid, SIGKILL);
        while (!gone (pid))
            zclock_sleep (50);
    }
    char *path = ow_printf ("%s/%s.pid", getenv ("OFWATCH_TEST_RUN"), service);
    remove (path);
    free (path);
    return true;
}

//  Runs a shell command with the repository's tools; true on exit 0.
static bool
run (const char *command)
{
    int status = system (command);
    return status != -1 && WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

bool
it_stack_start (const char *service)
{
    char *command = ow_printf (
        "bash -c '. \"$OFWATCH_TEST_TOP/tools/stack.sh\" && stack_start_service"
        " \"$OFWATCH_TEST_BIN\" \"$OFWATCH_TEST_RUN\" \"$OFWATCH_TEST_LOG\" %s'", service);
    bool ok = run (command);
    free (command);
    return ok;
}

bool
it_stack_pg_stop (void)
{
    return run ("\"$OFWATCH_TEST_TOP/tools/pg.sh\" stop \"$OFWATCH_PG_DIR\"");
}

bool
it_stack_pg_start (void)
{
    return run ("\"$OFWATCH_TEST_TOP/tools/pg.sh\" start \"$OFWATCH_PG_DIR\" \"$OFWATCH_PG_PORT\""
                " >/dev/null");
}

void
it_stack_release (void)
{
    for (size_t i = 0; i < sizeof s_services / sizeof s_services [0]; i++) {
        pid_t pid = it_stack_pid (s_services [i]);
        //  Only our children: the harness stops the ones it started.
        if (pid > 0 && waitpid (pid, NULL, WNOHANG) == 0)
            it_stack_kill (s_services [i], SIGTERM);
    }
}

int
it_stack_teardown (void **state)
{
    it_stack_release ();
    return 0;
}

bool
it_stack_wait_healthy (int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    int rc = 1;
    while (rc != 0 && zclock_mono () < deadline) {
        free (it_cli ("health >/dev/null 2>&1", &rc));
        if (rc != 0)
            zclock_sleep (250);
    }
    return rc == 0;
}
