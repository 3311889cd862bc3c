/*  The event stream across restarts: `ofwatch events` replays from any
    seq and switches to live without gap or repeat, while notify and
    analytics are killed and come back and carry on from their cursors.

    - `ofwatch events --from 1 --follow` running while notify is killed
      and restarted, and documents keep arriving, prints every seq once,
      in order.
    - a plain SUB socket connected throughout hears every event committed
      while notify was down once notify is back (notify publishes what it
      missed from its cursor), and nothing committed since twice.
    - `ofwatch events --from K` after the restarts prints K..last, once.
    - analytics killed while documents with judgements arrive derives, once
      back, what those documents cause, and nothing twice.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_listener.h"
#include "it_log.h"
#include "it_stack.h"
#include "it_support.h"

#include <signal.h>
#include <sys/wait.h>

#define REPORT_EVERY 4

//  `ofwatch events ARGUMENTS` running in the background, its output in a
//  file.
typedef struct {
    char *output;
    pid_t pid;
} background_t;

static void
background_start (background_t *self, const char *arguments)
{
    self->output = ow_printf ("%s/events-%d.out", getenv ("OFWATCH_TEST_LOG"), (int) getpid ());
    char *pid_file = ow_printf ("%s.pid", self->output);
    char *command = ow_printf ("'%s/ofwatch' %s >'%s' 2>&1 & echo $! >'%s'",
                               getenv ("OFWATCH_TEST_BIN"), arguments, self->output, pid_file);
    assert_int_equal (system (command), 0);
    FILE *file = fopen (pid_file, "r");
    assert_non_null (file);
    long pid = 0;
    assert_int_equal (fscanf (file, "%ld", &pid), 1);
    fclose (file);
    self->pid = (pid_t) pid;
    free (command);
    free (pid_file);
}

//  Stops it with Ctrl-C, as a user would, and returns what it printed
//  (caller frees).
static char *
background_stop (background_t *self)
{
    kill (self->pid, SIGINT);
    int status = 0;
    for (int i = 0; i < 100 && waitpid (self->pid, &status, WNOHANG) == 0; i++)
        zclock_sleep (100);
    zchunk_t *chunk = zchunk_slurp (self->output, 0);
    assert_non_null (chunk);
    char *text = ow_strndup ((const char *) zchunk_data (chunk), zchunk_size (chunk));
    zchunk_destroy (&chunk);
    free (self->output);
    return text;
}

//  JSON lines from `events --json` must be seqs first..last, each once.
static void
expect_seqs (const char *text, uint64_t first, uint64_t last)
{
    uint64_t expected = first;
    for (const char *line = text; *line; ) {
        const char *end = strchr (line, '\n');
        assert_non_null (end);
        if (strncmp (line, "{\"seq\":", 7) != 0)
            fail_msg ("not an event: %.*s", (int) (end - line), line);
        uint64_t seq = strtoull (line + 7, NULL, 10);
        if (seq != expected)
            fail_msg ("seq %lu where %lu was due", (unsigned long) seq, (unsigned long) expected);
        expected++;
        line = end + 1;
    }
    assert_int_equal (expected, last + 1);
}

static void
submit (unsigned first, unsigned count)
{
    char *problem = it_submit_documents (first, count, REPORT_EVERY, "events");
    if (problem)
        fail_msg ("%s", problem);
}

static void
test_follow_and_replay_across_a_notify_restart (void **state)
{
    it_stack_adopt ();
    submit (0, 40);
    uint64_t first_settled = it_wait_settled (60000);
    assert_true (first_settled > 80);

    background_t follow = { 0 };
    background_start (&follow, "events --from 1 --follow --json");
    it_listener_t *plain = it_listener_new (false);

    assert_true (it_stack_kill ("notify", SIGKILL));
    uint64_t killed_at = it_service_seq ("store");
    submit (40, 20);                                    // while notify is down
    assert_true (it_stack_start ("notify"));
    submit (60, 20);                                    // live again
    uint64_t last = it_wait_settled (60000);
    assert_true (last > killed_at);
    zclock_sleep (1500);                                // the follower's quiet catch-up

    char *followed = background_stop (&follow);
    expect_seqs (followed, 1, last);
    free (followed);

    //  The plain subscriber: everything since the kill, once.
    it_events_t heard = { 0 };
    it_listener_destroy (&plain, &heard);
    char *seen = ow_calloc (last + 1, 1);
    size_t since_kill = 0;
    for (size_t i = 0; i < heard.count; i++) {
        uint64_t seq = heard.events [i]->seq;
        if (seq <= killed_at)
            continue;                               // before the kill, or published again
        if (seen [seq])
            fail_msg ("seq %lu published twice", (unsigned long) seq);
        seen [seq] = 1;
        since_kill++;
    }
    assert_int_equal (since_kill, last - killed_at);
    free (seen);
    it_events_free (&heard);

    int rc = -1;
    char *from = ow_printf ("events --from %lu --json", (unsigned long) (last / 3));
    char *replayed = it_cli (from, &rc);
    assert_int_equal (rc, 0);
    expect_seqs (replayed, last / 3, last);
    free (replayed);
    free (from);
}

static void
test_analytics_resumes_from_its_cursor (void **state)
{
    assert_true (it_stack_kill ("analytics", SIGKILL));
    uint64_t killed_at = it_service_seq ("store");
    submit (80, 60);                                    // 15 reports while it is down
    assert_true (it_stack_start ("analytics"));
    uint64_t last = it_wait_settled (60000);
    assert_int_equal (it_service_seq ("analytics"), last);

    it_events_t events = { 0 };
    assert_true (it_log_events (&events));
    assert_int_equal (events.count, last);
    //  Inspections recorded while analytics was down.
    zhashx_t *late = zhashx_new ();
    for (size_t i = 0; i < events.count; i++) {
        const Ofwatch__V1__Event *e = events.events [i];
        if (e->seq > killed_at
            && e->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_INSPECTION_RECORDED) {
            char key [24];
            snprintf (key, sizeof key, "%ld",
                      (long) e->payload->inspection_recorded->inspection_id);
            zhashx_insert (late, key, (void *) 1);
        }
    }
    //  Each cause once, and some of them from those inspections.
    zhashx_t *causes = zhashx_new ();
    size_t caused_by_late = 0;
    for (size_t i = 0; i < events.count; i++) {
        const Ofwatch__V1__Event *e = events.events [i];
        char *cause = it_event_cause (e);
        if (!cause)
            continue;
        if (zhashx_lookup (causes, cause))
            fail_msg ("derived twice: %s", cause);
        zhashx_insert (causes, cause, (void *) 1);
        free (cause);
        if (e->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED) {
            char key [24];
            snprintf (key, sizeof key, "%ld",
                      (long) e->payload->judgement_changed->to_inspection_id);
            caused_by_late += zhashx_lookup (late, key) != NULL;
            assert_true (zhashx_lookup (late, key) == NULL || e->seq > killed_at);
        }
    }
    print_message ("%zu derived events; %zu grade changes from inspections recorded while"
                   " analytics was down\n", zhashx_size (causes), caused_by_late);
    assert_true (caused_by_late > 0);
    zhashx_destroy (&causes);
    zhashx_destroy (&late);
    it_events_free (&events);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_follow_and_replay_across_a_notify_restart),
        cmocka_unit_test (test_analytics_resumes_from_its_cursor),
    };
    return cmocka_run_group_tests_name ("events_restart", tests, NULL, it_stack_teardown);
}
