/*  test_corpus — extraction over every report of ../shared/corpus/reports,
    compared with ../shared/corpus/gold/reports.jsonl field by field.

    Prints the accuracy of each field and asserts the thresholds of the
    extraction issue: authority, event kind, dates and judgements right on
    every report; lead inspector on 99%; the number of "what needs to
    improve" items on 95%; the Bromley "Report not found" page refused;
    themes `other` for at most 10% of findings and items. Also prints the
    time extraction took beside poppler's own text extraction (the 5%
    budget). Skips, saying why, when ../shared is not there.
*/

#include "test_extract_support.h"
#include "ow_json.h"

#include <ftw.h>
#include <sys/stat.h>
#include <time.h>

#define SHARED "../shared/corpus"

typedef enum {
    F_AUTHORITY, F_KIND, F_START, F_END, F_LEAD, F_JUDGEMENTS, F_IMPROVEMENTS,
    F_IMPROVEMENT_TEXT, F_REFUSAL, F_COUNT
} field_t;

static const char *s_field_names [F_COUNT] = {
    "authority", "kind", "start_date", "end_date", "lead_inspector", "judgements",
    "improvements (count)", "improvements (text)", "refused when not a report"
};

typedef struct {
    size_t right [F_COUNT], total [F_COUNT];
    size_t themes, other_themes;
    double decode_seconds, extract_seconds;
    bool verbose;
} tally_t;

static double
now (void)
{
    struct timespec t;
    clock_gettime (CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

static void
count (tally_t *tally, field_t field, bool right, const char *file, const char *what)
{
    tally->total [field]++;
    if (right)
        tally->right [field]++;
    else
    if (tally->verbose || field != F_IMPROVEMENT_TEXT)
        printf ("  %-22s %s: %s\n", s_field_names [field], file, what);
}

static bool
same (const char *a, const char *b)
{
    return strcmp (a ? a : "", b ? b : "") == 0;
}

static bool
same_judgements (const Ofwatch__V1__InspectionFacts *event, const json_t *gold)
{
    if (!json_is_object (gold) || json_object_size (gold) != event->n_judgements)
        return false;
    const char *area;
    json_t *gold_grade;
    json_object_foreach ((json_t *) gold, area, gold_grade) {
        const char *grade = grade_of (event, area);
        if (!grade || !same (grade, json_string_value (gold_grade)))
            return false;
    }
    return true;
}

static void
compare_event (tally_t *tally, const char *file, const Ofwatch__V1__InspectionFacts *event,
               const json_t *gold)
{
    char what [256];
    const char *kind = ow_kind_word (event->kind);
    snprintf (what, sizeof what, "%s, gold %s", kind ? kind : "null", ow_json_get_string (gold, "kind"));
    count (tally, F_KIND, same (kind, ow_json_get_string (gold, "kind")), file, what);
    snprintf (what, sizeof what, "%s, gold %s", event->start_date, ow_json_get_string (gold, "start_date"));
    count (tally, F_START, same (event->start_date, ow_json_get_string (gold, "start_date")), file, what);
    snprintf (what, sizeof what, "%s, gold %s", event->end_date, ow_json_get_string (gold, "end_date"));
    count (tally, F_END, same (event->end_date, ow_json_get_string (gold, "end_date")), file, what);
    snprintf (what, sizeof what, "%s, gold %s", event->lead_inspector, ow_json_get_string (gold, "lead_inspector"));
    count (tally, F_LEAD, same (event->lead_inspector, ow_json_get_string (gold, "lead_inspector")), file, what);
    count (tally, F_JUDGEMENTS, same_judgements (event, json_object_get (gold, "judgements")), file, "judgements differ");
    const json_t *items = json_object_get (gold, "improvements");
    size_t gold_items = json_array_size (items);
    snprintf (what, sizeof what, "%zu items, gold %zu", event->n_improvements, gold_items);
    count (tally, F_IMPROVEMENTS, event->n_improvements == gold_items, file, what);
    if (event->n_improvements == gold_items) {
        bool all_same = true;
        for (size_t i = 0; i < gold_items; i++)
            all_same &= same (event->improvements [i], json_string_value (json_array_get (items, i)));
        count (tally, F_IMPROVEMENT_TEXT, all_same, file, "an item's text differs");
    }
    for (size_t i = 0; i < event->n_findings; i++) {
        tally->themes++;
        tally->other_themes += event->findings [i]->theme == OFWATCH__V1__THEME__THEME_OTHER;
    }
}

static void
check_report (tally_t *tally, const json_t *gold)
{
    const char *file = ow_json_get_string (gold, "file");
    assert_non_null (file);
    char *path = ow_printf ("%s/reports/%s", SHARED, file);
    size_t size = 0;
    uint8_t *bytes = read_file (path, &size);
    if (!bytes)
        fail_msg ("cannot read %s", path);
    extract_input_t input = { bytes, size, path, NULL, NULL };
    const char *media_type = NULL;
    size_t length = 0;
    char *error = NULL;
    double start = now ();
    char *text = extract_decode (&input, &media_type, &length, &error);
    double decoded = now ();
    Ofwatch__V1__Extraction *x = text
        ? extract_text (s_register, &input, media_type, text, length, &error) : NULL;
    tally->decode_seconds += decoded - start;
    tally->extract_seconds += now () - decoded;

    bool is_report = same (ow_json_get_string (gold, "doc_kind"), "inspection_report");
    if (!is_report)
        count (tally, F_REFUSAL, x == NULL, file, "accepted");
    else
    if (!x) {
        for (field_t f = F_AUTHORITY; f <= F_IMPROVEMENTS; f++)
            count (tally, f, false, file, error);
    }
    else {
        const char *code = ow_json_get_string (json_object_get (gold, "authority"), "code");
        count (tally, F_AUTHORITY, x->authority && same (x->authority->code, code), file,
               x->authority ? x->authority->code : "none");
        const json_t *events = json_object_get (gold, "events");
        assert_true (json_array_size (events) == 1);
        if (x->n_events == 1)
            compare_event (tally, file, x->events [0], json_array_get (events, 0));
        else
            for (field_t f = F_KIND; f <= F_IMPROVEMENTS; f++)
                count (tally, f, false, file, "not one event");
    }
    ow_pb_free (&x);
    free (text);
    free (error);
    free (bytes);
    free (path);
}

//  Every PDF under the corpus's reports/ has a gold line: the corpus grows
//  (252 files in 2026), so the count is read from the disk, not written here.
static size_t s_pdfs;

static int
count_pdf (const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void) st; (void) ftw;
    size_t n = strlen (path);
    s_pdfs += type == FTW_F && n > 4 && strcmp (path + n - 4, ".pdf") == 0;
    return 0;
}

static double
share (const tally_t *tally, field_t field)
{
    return tally->total [field] ? (double) tally->right [field] / (double) tally->total [field] : 1.0;
}

static void
test_corpus_matches_gold (void **state)
{
    (void) state;
    size_t size = 0;
    char *gold_text = (char *) read_file (SHARED "/gold/reports.jsonl", &size);
    if (!gold_text) {
        printf ("SKIP: " SHARED " is not there (the corpus lives beside the repository)\n");
        skip ();
    }
    tally_t tally = { .verbose = getenv ("OFWATCH_TEST_VERBOSE") != NULL };
    size_t reports = 0;
    for (char *line = gold_text; line < gold_text + size;) {
        char *end = memchr (line, '\n', (size_t) (gold_text + size - line));
        size_t n = end ? (size_t) (end - line) : (size_t) (gold_text + size - line);
        if (n > 1) {
            char *error = NULL;
            json_t *gold = ow_json_parse (line, n, &error);
            if (!gold)
                fail_msg ("gold line %zu: %s", reports + 1, error);
            check_report (&tally, gold);
            json_decref (gold);
            reports++;
        }
        line += n + 1;
    }
    free (gold_text);

    printf ("\nextraction over %zu corpus files, field by field:\n", reports);
    for (field_t f = 0; f < F_COUNT; f++)
        printf ("  %-28s %4zu / %-4zu %6.1f%%\n", s_field_names [f], tally.right [f],
                tally.total [f], 100.0 * share (&tally, f));
    double other = tally.themes ? (double) tally.other_themes / (double) tally.themes : 0;
    printf ("  themes 'other'               %4zu / %-4zu %6.1f%%\n",
            tally.other_themes, tally.themes, 100.0 * other);
    printf ("  time: decoding (poppler) %.2fs, extraction %.3fs = %.2f%% of decoding\n",
            tally.decode_seconds, tally.extract_seconds,
            100.0 * tally.extract_seconds / (tally.decode_seconds > 0 ? tally.decode_seconds : 1));

    s_pdfs = 0;
    assert_int_equal (nftw (SHARED "/reports", count_pdf, 16, FTW_PHYS), 0);
    assert_true (reports >= 252);
    assert_int_equal (reports, s_pdfs);
    assert_true (share (&tally, F_AUTHORITY) == 1.0);
    assert_true (share (&tally, F_KIND) == 1.0);
    assert_true (share (&tally, F_START) == 1.0);
    assert_true (share (&tally, F_END) == 1.0);
    assert_true (share (&tally, F_JUDGEMENTS) == 1.0);
    assert_true (share (&tally, F_REFUSAL) == 1.0);
    assert_true (share (&tally, F_LEAD) >= 0.99);
    assert_true (share (&tally, F_IMPROVEMENTS) >= 0.95);
    assert_true (other <= 0.10);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_corpus_matches_gold),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
