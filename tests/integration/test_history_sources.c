/*  One history from many sources, whatever order they come in.

    Herefordshire's and St Helens' documents as `make run` feeds them
    (samples/: Ofsted's reports, council papers, a monitoring letter, the
    community summary sheet) and their reports in ../shared/corpus, loaded
    twice into two databases of one stack: the samples first, then the
    corpus (with the council paper that knows the 2022 inspection only as
    "judged inadequate in July 2022" before any report); then the corpus
    first and the samples after, in reverse. The histories must be the
    same, and true:

    - St Helens' 2019 inspection was published 2019-11-04, as its report
      and its own row of the summary sheet say (not the sheet's first
      row's date);
    - no inspection without a date: a council paper's reference joins the
      inspection it means; a paper that names none adds nothing, and says
      so; a date known to the month is kept as a month until a report
      gives the day;
    - Herefordshire's 2018 inspection has one in-care judgement, the
      report's (children in care and care leavers together, requires
      improvement), not the sheet's two, and a conflict.detected names
      both documents;
    - the report's kind and dates outrank the sheet's.

    Skips, saying why, when the corpus is not beside the repository.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_analytics.h"
#include "it_stack.h"
#include "it_support.h"
#include "ow_hash.h"
#include "ow_pbjson.h"
#include "ow_vocab.h"

#include <libpq-fe.h>
#include <signal.h>
#include <sys/stat.h>

#define HEREFORDSHIRE "E06000019"
#define ST_HELENS     "E08000013"
#define SETTLE_MS     120000

static char *s_corpus;              // ../shared/corpus/reports, or NULL
static Ofwatch__V1__Reply *s_first [2];     // the histories as the first order left them

//  --------------------------------------------------------------------------
//  Helpers

static void
skip_without_corpus (void)
{
    if (!s_corpus) {
        printf ("skipped: no corpus beside the repository (../shared/corpus/reports)\n");
        skip ();
    }
}

static void
submit (const char *path)
{
    int rc = -1;
    char *arguments = ow_printf ("submit '%s'", path);
    char *out = it_cli (arguments, &rc);
    if (rc != 0)
        fprintf (stderr, "ofwatch %s: exit %d\n%s", arguments, rc, out);
    assert_int_equal (rc, 0);
    free (out);
    free (arguments);
}

static char *
corpus_dir (const char *name)
{
    return ow_printf ("%s/%s", s_corpus, name);
}

static char *
sha_of (const char *path)
{
    zchunk_t *content = zchunk_slurp (path, 0);
    assert_non_null (content);
    char hex [OW_HASH_HEX_SIZE];
    ow_hash_sha256_hex (zchunk_data (content), zchunk_size (content), hex);
    zchunk_destroy (&content);
    return ow_strdup (hex);
}

static Ofwatch__V1__Reply *
history_of (const char *authority)
{
    Ofwatch__V1__Reply *reply = it_analytics_history (authority);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_AUTHORITY_HISTORY);
    return reply;
}

static const Ofwatch__V1__InspectionFacts *
inspection_starting (const Ofwatch__V1__AuthorityHistory *h, const char *start)
{
    for (size_t i = 0; i < h->n_inspections; i++)
        if (strcmp (h->inspections [i]->start_date, start) == 0)
            return h->inspections [i];
    return NULL;
}

static const char *
grade_of (const Ofwatch__V1__InspectionFacts *inspection, const char *area)
{
    for (size_t i = 0; i < inspection->n_judgements; i++)
        if (strcmp (inspection->judgements [i]->key, area) == 0)
            return ow_grade_word (inspection->judgements [i]->value);
    return NULL;
}

//  Every inspection has a start (a day, or a month a paper knew), and no
//  two of one family start in the same month.
static void
expect_no_undated_duplicates (const Ofwatch__V1__AuthorityHistory *h)
{
    for (size_t i = 0; i < h->n_inspections; i++) {
        const Ofwatch__V1__InspectionFacts *a = h->inspections [i];
        if (!*a->start_date)
            fail_msg ("%s: a %s inspection without a date (published %s)", h->authority->name,
                      ow_kind_word (a->kind), a->published_on);
        for (size_t j = i + 1; j < h->n_inspections; j++) {
            const Ofwatch__V1__InspectionFacts *b = h->inspections [j];
            bool ilacs_a = strncmp (ow_kind_word (a->kind), "ilacs", 5) == 0;
            bool ilacs_b = strncmp (ow_kind_word (b->kind), "ilacs", 5) == 0;
            bool family = a->kind == b->kind || (ilacs_a && ilacs_b);
            if (family && strncmp (a->start_date, b->start_date, 7) == 0)
                fail_msg ("%s: two %s inspections in %.7s", h->authority->name,
                          ow_kind_word (a->kind), a->start_date);
        }
    }
}

//  The conflict.detected events of an authority, as JSON lines.
static char *
conflicts (const char *authority)
{
    int rc = -1;
    char *arguments = ow_printf ("events --type conflict.detected --authority %s --json",
                                 authority);
    char *out = it_cli (arguments, &rc);
    assert_int_equal (rc, 0);
    free (arguments);
    return out;
}

//  The line of `events` holding `needle`, or NULL (caller frees).
static char *
line_with (const char *events, const char *needle)
{
    const char *hit = strstr (events, needle);
    if (!hit)
        return NULL;
    const char *start = hit;
    while (start > events && start [-1] != '\n')
        start--;
    size_t length = strcspn (start, "\n");
    return ow_printf ("%.*s", (int) length, start);
}

//  What the sources say of Herefordshire's 2018 inspection, however they
//  came: the report's word, and a conflict naming the report and the sheet.
static void
expect_herefordshire_2018 (const char *report, const char *sheet)
{
    Ofwatch__V1__Reply *reply = history_of (HEREFORDSHIRE);
    const Ofwatch__V1__AuthorityHistory *h = reply->authority_history;
    expect_no_undated_duplicates (h);
    const Ofwatch__V1__InspectionFacts *i2018 = inspection_starting (h, "2018-06-11");
    assert_non_null (i2018);
    assert_string_equal (ow_kind_word (i2018->kind), "ilacs_standard");   // not the sheet's short
    assert_string_equal (i2018->end_date, "2018-06-22");                  // nor its 15 June
    assert_string_equal (i2018->published_on, "2018-07-23");
    assert_string_equal (i2018->source_sha256, report);
    assert_string_equal (grade_of (i2018, "in_care_and_care_leavers"), "requires_improvement");
    assert_null (grade_of (i2018, "in_care"));
    assert_null (grade_of (i2018, "care_leavers"));
    assert_string_equal (grade_of (i2018, "leaders"), "inadequate");
    ow_pb_free (&reply);

    char *events = conflicts (HEREFORDSHIRE);
    char *line = line_with (events, "children in care and care leavers of inspection");
    if (!line)
        fail_msg ("no conflict.detected about the 2018 in-care judgements:\n%s", events);
    assert_non_null (strstr (line, report));
    assert_non_null (strstr (line, sheet));
    assert_non_null (strstr (line, "in_care_and_care_leavers requires_improvement"));
    assert_non_null (strstr (line, "in_care good, care_leavers requires_improvement"));
    //  The report's form is the one kept, whichever came first.
    char *kept = ow_printf ("\"kept\":\"%s\"", strstr (line, "\"incoming\":\"in_care_and")
                                               ? "incoming" : "existing");
    assert_non_null (strstr (line, kept));
    free (kept);
    free (line);
    free (events);
}

static void
expect_st_helens_2019 (void)
{
    Ofwatch__V1__Reply *reply = history_of (ST_HELENS);
    const Ofwatch__V1__AuthorityHistory *h = reply->authority_history;
    expect_no_undated_duplicates (h);
    const Ofwatch__V1__InspectionFacts *i2019 = inspection_starting (h, "2019-09-23");
    assert_non_null (i2019);
    assert_string_equal (i2019->published_on, "2019-11-04");
    assert_string_equal (grade_of (i2019, "overall"), "inadequate");
    ow_pb_free (&reply);
}

//  The histories with what is an arrival's accident taken out: the ids
//  inspections were given.
static void
strip_ids (Ofwatch__V1__Reply *reply)
{
    Ofwatch__V1__AuthorityState *state = reply->authority_history->state;
    for (size_t r = 0; state && r < state->n_recurring; r++)
        for (size_t o = 0; o < state->recurring [r]->n_occurrences; o++)
            state->recurring [r]->occurrences [o]->inspection_id = 0;
}

//  Writes a history where a reader can compare it; returns the path
//  (leaked: the test is failing).
static char *
keep_output (const char *code, const char *order, const char *json)
{
    const char *top = getenv ("OFWATCH_TEST_TOP");
    char *dir = ow_printf ("%s/build/test-output/test_history_sources", top ? top : ".");
    zsys_dir_create ("%s", dir);
    char *path = ow_printf ("%s/%s-%s.json", dir, code, order);
    FILE *file = fopen (path, "w");
    if (file) {
        fputs (json, file);
        fclose (file);
    }
    free (dir);
    return path;
}

//  --------------------------------------------------------------------------
//  A second database in the stack's cluster, for the second order

static void
use_second_database (void)
{
    PGconn *connection = PQconnectdb (getenv ("OFWATCH_PG"));
    assert_int_equal (PQstatus (connection), CONNECTION_OK);
    PGresult *result = PQexec (connection, "CREATE DATABASE reversed");
    assert_int_equal (PQresultStatus (result), PGRES_COMMAND_OK);
    PQclear (result);
    PQfinish (connection);
    const char *pg = getenv ("OFWATCH_PG");
    const char *db = strstr (pg, "dbname=");
    assert_non_null (db);
    char *moved = ow_printf ("%.*sdbname=reversed", (int) (db - pg), pg);
    setenv ("OFWATCH_PG", moved, 1);
    free (moved);
    //  Everything that reads PostgreSQL starts again on the new database;
    //  ingest reads none.
    it_stack_kill ("notify", SIGTERM);
    it_stack_kill ("analytics", SIGTERM);
    it_stack_kill ("store", SIGTERM);
    assert_true (it_stack_start ("store"));
    assert_true (it_stack_start ("analytics"));
    assert_true (it_stack_start ("notify"));
    int rc = -1;
    for (int tries = 0; tries < 120 && rc != 0; tries++) {
        free (it_cli ("health", &rc));
        if (rc != 0)
            zclock_sleep (500);
    }
    assert_int_equal (rc, 0);
}

//  --------------------------------------------------------------------------

static int
setup (void **state)
{
    const char *top = getenv ("OFWATCH_TEST_TOP");
    char *corpus = ow_printf ("%s/../shared/corpus/reports", top ? top : ".");
    struct stat info;
    if (stat (corpus, &info) == 0)
        s_corpus = corpus;
    else {
        printf ("skipped: no corpus at %s\n", corpus);
        free (corpus);
    }
    it_stack_adopt ();
    return 0;
}

static int
teardown (void **state)
{
    ow_pb_free (&s_first [0]);
    ow_pb_free (&s_first [1]);
    free (s_corpus);
    return it_stack_teardown (state);
}

//  A paper that speaks of an inspection without saying which (no date,
//  no month, no visit number) adds none: the 2022 scrutiny minutes name
//  the inspection "in July 2022" and join it, while a paper that only
//  speaks of "the ILACS inspection" is no inspection at all. (Store's own
//  rule for such a statement, when one reaches it, is shown by
//  test_store_batch.)
static void
test_a_paper_naming_no_inspection_adds_none (void **state)
{
    static const char paper [] =
        "Herefordshire Council\n"
        "Children and Young People Scrutiny Committee\n"
        "Meeting date: Tuesday 14 March 2023\n"
        "Title of report: Improvement plan update\n\n"
        "Purpose\n"
        "To update the committee on the children's services improvement plan\n"
        "that followed the ILACS inspection by Ofsted, and on the work of the\n"
        "improvement board.\n\n"
        "Recommendation\n"
        "That the committee notes the progress made against the improvement plan.\n";
    char *path = ow_printf ("%s/paper-naming-no-inspection.txt", getenv ("OFWATCH_TEST_RUN"));
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    assert_int_equal (fwrite (paper, 1, sizeof paper - 1, file), sizeof paper - 1);
    fclose (file);
    Ofwatch__V1__Reply *reply = it_submit_file (path);
    free (path);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
    assert_int_equal (reply->submit->n_inspection_ids, 0);
    assert_non_null (reply->submit->extraction);
    assert_int_equal (reply->submit->extraction->n_events, 0);
    ow_pb_free (&reply);

    path = it_sample ("herefordshire-2022-scrutiny-minutes-ilacs.txt");
    reply = it_submit_file (path);
    free (path);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
    assert_int_equal (reply->submit->n_inspection_ids, 1);
    ow_pb_free (&reply);
    assert_true (it_analytics_settle (SETTLE_MS));
    reply = history_of (HEREFORDSHIRE);
    assert_non_null (inspection_starting (reply->authority_history, "2022-07"));
    expect_no_undated_duplicates (reply->authority_history);
    ow_pb_free (&reply);
}

//  A paper that knows an inspection to the month: a month, until a report
//  gives the day, and then one inspection, not two.
static void
test_a_month_stays_a_month_until_a_report_says_the_day (void **state)
{
    char *path = it_sample ("herefordshire-2023-06-22-cabinet-monitoring-visit-feedback.txt");
    submit (path);
    free (path);
    assert_true (it_analytics_settle (SETTLE_MS));
    Ofwatch__V1__Reply *reply = history_of (HEREFORDSHIRE);
    const Ofwatch__V1__InspectionFacts *month = inspection_starting (reply->authority_history,
                                                                     "2022-07");
    assert_non_null (month);
    assert_string_equal (grade_of (month, "overall"), "inadequate");
    assert_string_equal (month->published_on, "");      //  the paper's date is not the report's
    ow_pb_free (&reply);

    path = it_sample ("herefordshire/2022-09-21.pdf");
    submit (path);
    free (path);
    assert_true (it_analytics_settle (SETTLE_MS));
    reply = history_of (HEREFORDSHIRE);
    assert_null (inspection_starting (reply->authority_history, "2022-07"));
    const Ofwatch__V1__InspectionFacts *day = inspection_starting (reply->authority_history,
                                                                   "2022-07-18");
    assert_non_null (day);
    assert_string_equal (day->published_on, "2022-09-21");
    expect_no_undated_duplicates (reply->authority_history);
    ow_pb_free (&reply);
}

//  make run's samples, then the corpus's reports of the two authorities.
static void
test_samples_then_corpus (void **state)
{
    skip_without_corpus ();
    char *samples = it_sample ("");
    submit (samples);
    free (samples);
    char *dirs [] = { corpus_dir ("80474-herefordshire"), corpus_dir ("80560-st-helens") };
    for (size_t i = 0; i < 2; i++) {
        submit (dirs [i]);
        free (dirs [i]);
    }
    assert_true (it_analytics_settle (SETTLE_MS));
    char *report = it_sample ("herefordshire/2018-07-23.pdf");
    char *sheet = it_sample ("summary-sheet.csv");
    char *report_sha = sha_of (report), *sheet_sha = sha_of (sheet);
    expect_herefordshire_2018 (report_sha, sheet_sha);
    expect_st_helens_2019 ();
    s_first [0] = history_of (HEREFORDSHIRE);
    s_first [1] = history_of (ST_HELENS);
    free (report);
    free (sheet);
    free (report_sha);
    free (sheet_sha);
}

//  The other way round, in a database of its own: the corpus first, then
//  the samples one by one in reverse order.
static void
test_corpus_then_samples_give_the_same_history (void **state)
{
    skip_without_corpus ();
    if (!s_first [0])
        fail_msg ("the first order did not load");
    use_second_database ();
    char *dirs [] = { corpus_dir ("80560-st-helens"), corpus_dir ("80474-herefordshire") };
    for (size_t i = 0; i < 2; i++) {
        submit (dirs [i]);
        free (dirs [i]);
    }
    static const char *samples [] = {
        "summary-sheet.csv", "st-helens-2020-09-23-cabinet-monitoring-report.txt",
        "st-helens/2019-11-04.pdf", "herefordshire-2024-12-04-monitoring-visit.txt",
        "herefordshire-2023-06-22-cabinet-monitoring-visit-feedback.txt",
        "herefordshire-2022-scrutiny-minutes-ilacs.txt",
        "herefordshire-2014-09-11-cabinet-inspection-outcome.txt",
        "herefordshire/2022-09-21.pdf", "herefordshire/2018-07-23.pdf",
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples [0]; i++) {
        char *path = it_sample (samples [i]);
        submit (path);
        free (path);
    }
    assert_true (it_analytics_settle (SETTLE_MS));
    char *report = it_sample ("herefordshire/2018-07-23.pdf");
    char *sheet = it_sample ("summary-sheet.csv");
    char *report_sha = sha_of (report), *sheet_sha = sha_of (sheet);
    expect_herefordshire_2018 (report_sha, sheet_sha);
    expect_st_helens_2019 ();
    free (report);
    free (sheet);
    free (report_sha);
    free (sheet_sha);

    const char *codes [] = { HEREFORDSHIRE, ST_HELENS };
    for (size_t i = 0; i < 2; i++) {
        Ofwatch__V1__Reply *second = history_of (codes [i]);
        strip_ids (second);
        strip_ids (s_first [i]);
        char *a = ow_pbjson_text (&s_first [i]->authority_history->base);
        char *b = ow_pbjson_text (&second->authority_history->base);
        if (strcmp (a, b) != 0) {
            char *first = keep_output (codes [i], "samples-first", a);
            char *later = keep_output (codes [i], "corpus-first", b);
            fail_msg ("%s's history depends on the order its documents came in: %s and %s differ",
                      codes [i], first, later);
        }
        free (a);
        free (b);
        ow_pb_free (&second);
    }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_a_paper_naming_no_inspection_adds_none),
        cmocka_unit_test (test_a_month_stays_a_month_until_a_report_says_the_day),
        cmocka_unit_test (test_samples_then_corpus),
        cmocka_unit_test (test_corpus_then_samples_give_the_same_history),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
