/*  test_watch_restart — the watch service killed in the middle of a pass
    loses nothing and downloads nothing twice.

    The stand-in of Ofsted's site (it_ofsted) serves the bundled samples.
    First the service is killed (SIGKILL) while a file is half downloaded:
    the file is downloaded again, whole, and nothing else is; then while a
    downloaded file waits for ingest (stopped with SIGSTOP): the file is
    submitted again from the ledger's outbox, not downloaded again. Each
    publication ends up stored exactly once, with its source URL.
*/

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>

#include "it_log.h"
#include "it_ofsted.h"
#include "it_stack.h"
#include "it_support.h"
#include "it_watch.h"
#include "ow_config.h"
#include "ow_pb.h"
#include "ow_register.h"

#define WAIT_MS (5 * 60 * 1000)

static struct {
    it_ofsted_t *site;
    char *recent, *older, *st_helens;   // file URLs of the samples
} s;

static long
documents_from (const char *url)
{
    return it_watch_sql_number ("SELECT count(*) FROM document WHERE source_url = '%s'", url);
}

//  The answers to requests for a file: how many there were, and how many
//  of them had every byte handed over.
static void
answers_for (const char *url, size_t *requests, size_t *whole)
{
    size_t total = 0;
    it_request_t *r = it_ofsted_requests (s.site, &total);
    *requests = *whole = 0;
    for (size_t i = 0; i < total; i++)
        if (r [i].files_host && streq (r [i].path, it_ofsted_file_path (url))) {
            (*requests)++;
            *whole += r [i].status == 200 && r [i].complete;
        }
    it_requests_free (&r, total);
}

static bool
wait_for (bool (*condition) (void), int timeout_ms)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (zclock_mono () < deadline) {
        if (condition ())
            return true;
        zclock_sleep (50);
    }
    return false;
}

static bool
stalled (void)
{
    return it_ofsted_stalled (s.site);
}

static bool
waiting_in_outbox (void)
{
    return it_watch_sql_number ("SELECT count(*) FROM watch.file WHERE state = 'downloaded'") == 1;
}

static bool
outbox_empty (void)
{
    return it_watch_sql_number ("SELECT count(*) FROM watch.file WHERE state = 'downloaded'") == 0;
}

static int
setup (void **state)
{
    it_stack_adopt ();
    ow_config_t config;
    ow_config_load (&config);
    char *error = NULL;
    ow_register_t *reg = ow_register_load (config.data, &error);
    assert_non_null (reg);
    const ow_authority_t *herefordshire = ow_register_find (reg, "Herefordshire");
    const ow_authority_t *st_helens = ow_register_find (reg, "St Helens");
    assert_non_null (herefordshire);
    assert_non_null (st_helens);
    s.site = it_ofsted_new ();
    assert_non_null (s.site);
    it_ofsted_add_provider (s.site, herefordshire->urn, herefordshire->name);
    it_ofsted_add_provider (s.site, st_helens->urn, st_helens->name);
    char *path = it_sample ("herefordshire/2022-09-21.pdf");
    s.recent = ow_strdup (it_ofsted_add_file (s.site, herefordshire->urn, path,
                                              "Children's services inspection", "2022-09-21"));
    free (path);
    path = it_sample ("herefordshire/2018-07-23.pdf");
    s.older = ow_strdup (it_ofsted_add_file (s.site, herefordshire->urn, path,
                                             "Children's services inspection", "2018-07-23"));
    free (path);
    path = it_sample ("st-helens/2019-11-04.pdf");
    s.st_helens = ow_strdup (it_ofsted_add_file (s.site, st_helens->urn, path,
                                                 "Children's services inspection", "2019-11-04"));
    free (path);
    ow_register_destroy (&reg);
    setenv ("OFWATCH_WATCH_RATE", "20", 1);
    setenv ("OFWATCH_WATCH_BACKOFF_MS", "100", 1);
    setenv ("OFWATCH_WATCH_CONTACT", "watch-tests@ofwatch.invalid", 1);
    return 0;
}

static int
teardown (void **state)
{
    pid_t ingest = it_stack_pid ("ingest");
    if (ingest > 0)
        kill (ingest, SIGCONT);
    it_stack_release ();
    it_ofsted_destroy (&s.site);
    free (s.recent);
    free (s.older);
    free (s.st_helens);
    return 0;
}

static void
test_killed_while_downloading (void **state)
{
    //  The newest report is listed first: it is stored by the time the
    //  second file's download stalls.
    it_ofsted_stall (s.site, s.older, true);
    assert_true (it_watch_restart (it_ofsted_url (s.site), 3600));
    assert_true (wait_for (stalled, WAIT_MS));
    assert_int_equal (documents_from (s.recent), 1);
    assert_true (it_stack_kill ("watch", SIGKILL));
    it_ofsted_cut (s.site, s.older);
    //  The pass was cut short: no end recorded.
    assert_int_equal (it_watch_passes (NULL), 1);
    assert_int_equal (it_watch_passes ("complete"), 0);

    //  Started again, a pass is due at once however long the interval.
    assert_true (it_watch_restart (it_ofsted_url (s.site), 3600));
    assert_true (it_watch_wait_passes ("complete", 1, WAIT_MS));
    const char *urls [] = { s.recent, s.older, s.st_helens };
    for (size_t i = 0; i < 3; i++)
        assert_int_equal (documents_from (urls [i]), 1);
    size_t requests, whole;
    answers_for (s.recent, &requests, &whole);
    assert_int_equal (requests, 1);
    assert_int_equal (whole, 1);
    answers_for (s.st_helens, &requests, &whole);
    assert_int_equal (requests, 1);
    assert_int_equal (whole, 1);
    //  The file cut off halfway was asked for again, and sent whole once.
    answers_for (s.older, &requests, &whole);
    assert_int_equal (requests, 2);
    assert_int_equal (whole, 1);
    //  What the restarted service counted: the two it stored.
    assert_true (it_watch_metric ("ofwatch_watch_new_documents_total", NULL) == 2);
    assert_true (it_watch_metric ("ofwatch_watch_files_total", "result=\"stored\"") == 2);
    assert_true (it_watch_metric ("ofwatch_watch_passes_total", "outcome=\"complete\"") == 1);
    assert_true (it_watch_metric ("ofwatch_watch_last_success_timestamp_seconds", NULL) > 1.7e9);
    int rc = -1;
    char *health = it_cli ("health --service watch", &rc);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (health, "last pass over Ofsted's site completed"));
    free (health);
    it_watch_stop ();
}

static void
test_killed_while_ingest_is_away (void **state)
{
    //  New bytes (a line after %%EOF), so a new document.
    char *path = it_sample ("st-helens/2019-11-04.pdf");
    zchunk_t *bytes = zchunk_slurp (path, 0);
    free (path);
    assert_non_null (bytes);
    zchunk_extend (bytes, "\n% republished\n", 15);
    ow_config_t config;
    ow_config_load (&config);
    char *error = NULL;
    ow_register_t *reg = ow_register_load (config.data, &error);
    const char *urn = ow_register_find (reg, "St Helens")->urn;
    char *url = ow_strdup (it_ofsted_add_bytes (s.site, urn, zchunk_data (bytes),
                                                zchunk_size (bytes), "application/pdf",
                                                "Children's services inspection", "2019-11-05"));
    zchunk_destroy (&bytes);
    ow_register_destroy (&reg);

    pid_t ingest = it_stack_pid ("ingest");
    assert_true (ingest > 0);
    assert_int_equal (kill (ingest, SIGSTOP), 0);
    assert_true (it_watch_restart (it_ofsted_url (s.site), 1));
    assert_true (wait_for (waiting_in_outbox, WAIT_MS));
    assert_true (it_stack_kill ("watch", SIGKILL));
    assert_int_equal (kill (ingest, SIGCONT), 0);

    long complete = it_watch_passes ("complete");
    assert_true (it_watch_restart (it_ofsted_url (s.site), 3600));
    assert_true (it_watch_wait_passes ("complete", complete + 1, WAIT_MS));
    assert_true (outbox_empty ());
    it_watch_stop ();
    assert_int_equal (it_watch_log_lines ("submitting a publication downloaded earlier"), 1);
    assert_int_equal (documents_from (url), 1);
    char *settled = it_watch_sql ("SELECT state FROM watch.file WHERE url = '%s'", url);
    assert_string_equal (settled, "stored");
    free (settled);
    size_t requests, whole;
    answers_for (url, &requests, &whole);
    assert_int_equal (requests, 1);
    assert_int_equal (whole, 1);
    //  And nothing else was downloaded again.
    answers_for (s.older, &requests, &whole);
    assert_int_equal (whole, 1);
    answers_for (s.st_helens, &requests, &whole);
    assert_int_equal (requests, 1);
    assert_true (it_wait_settled (120000) > 0);
    free (url);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_killed_while_downloading),
        cmocka_unit_test (test_killed_while_ingest_is_away),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
