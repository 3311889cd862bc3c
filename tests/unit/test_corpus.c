/*  test_corpus — extraction over every report of ../shared/corpus/reports,
    compared with ../shared/corpus/gold/reports.jsonl field by field.

    Prints the accuracy of each field and asserts: authority, event kind,
    dates, lead inspector, judgements and the number of "what needs to
    improve" items right on every report (where the gold is wrong, the
    table below says what the document says, in its own words); the
    Bromley "Report not found" page refused; themes `other` for at most
    10% of findings and items. The items' words are printed, not
    required (the gold joins wrapped lines its own way). Also prints the
    time extraction took beside poppler's own text extraction (the 5%
    budget). Skips, saying why, when ../shared is not there.
*/

#include "test_corpus_support.h"

#include <ftw.h>
#include <sys/stat.h>

//  Gold lines the reports contradict.
static const gold_exception_t s_exceptions [] = {
    //  "What needs to improve" prints three bullets (◼); the first ends
    //  "including:" and has three sub-points (̶) of its own, which the
    //  gold counts as items: "◼ The provision of suitable accommodation for
    //  16- and 17-year-old homeless young people, including: ̶ sufficiency
    //  of accommodation ̶ assessment and support available to young people
    //  ̶ management oversight of the use of any unregulated provision.
    //  ◼ The quality and timeliness of life-story work for children.
    //  ◼ The quality of plans for children across the service ...".
    { "80454-cornwall/2019-11-05.pdf", "improvements (count)", "3",
      "three bullets under \"What needs to improve\", the first with three sub-points" },
    { NULL, NULL, NULL, NULL }
};

enum {
    F_AUTHORITY, F_KIND, F_START, F_END, F_LEAD, F_JUDGEMENTS, F_IMPROVEMENTS,
    F_IMPROVEMENT_TEXT, F_REFUSAL, F_COUNT
};

typedef struct {
    corpus_field_t fields [F_COUNT];
    size_t themes, other_themes;
    double decoding, extracting;
    bool verbose;
} tally_t;

static bool
same_judgements (const Ofwatch__V1__InspectionFacts *event, const gold_t *gold)
{
    if (!gold_is_object (gold) || gold_size (gold) != event->n_judgements)
        return false;
    for (size_t i = 0; i < gold_size (gold); i++) {
        const char *area = NULL;
        const char *gold_grade = gold_value (gold_item (gold, i, &area));
        const char *grade = grade_of (event, area);
        if (!grade || !corpus_same (grade, gold_grade))
            return false;
    }
    return true;
}

static void
compare_event (tally_t *tally, const char *file, const Ofwatch__V1__InspectionFacts *event,
               const gold_t *gold)
{
    corpus_field_t *fields = tally->fields;
    corpus_compare (&fields [F_KIND], s_exceptions, file, ow_kind_word (event->kind),
                    gold_string (gold, "kind"));
    corpus_compare (&fields [F_START], s_exceptions, file, event->start_date,
                    gold_string (gold, "start_date"));
    corpus_compare (&fields [F_END], s_exceptions, file, event->end_date,
                    gold_string (gold, "end_date"));
    corpus_compare (&fields [F_LEAD], s_exceptions, file, event->lead_inspector,
                    gold_string (gold, "lead_inspector"));
    corpus_count (&fields [F_JUDGEMENTS], same_judgements (event, gold_member (gold, "judgements")),
                  file, "judgements differ");
    const gold_t *items = gold_member (gold, "improvements");
    size_t gold_items = gold_size (items);
    char found [24], expected [24];
    snprintf (found, sizeof found, "%zu", event->n_improvements);
    snprintf (expected, sizeof expected, "%zu", gold_items);
    corpus_compare (&fields [F_IMPROVEMENTS], s_exceptions, file, found, expected);
    if (event->n_improvements == gold_items) {
        bool all_same = true;
        for (size_t i = 0; i < gold_items; i++)
            all_same &= corpus_same (event->improvements [i], gold_value (gold_item (items, i, NULL)));
        fields [F_IMPROVEMENT_TEXT].total++;
        fields [F_IMPROVEMENT_TEXT].right += all_same;
        if (!all_same && tally->verbose)
            printf ("  %-22s %s: an item's words differ\n", fields [F_IMPROVEMENT_TEXT].name, file);
    }
    for (size_t i = 0; i < event->n_findings; i++) {
        tally->themes++;
        tally->other_themes += event->findings [i]->theme == OFWATCH__V1__THEME__THEME_OTHER;
    }
}

static void
check_report (const gold_t *gold, void *arg)
{
    tally_t *tally = arg;
    corpus_field_t *fields = tally->fields;
    const char *file = gold_string (gold, "file");
    assert_non_null (file);
    char *path = ow_printf ("%s/reports/%s", SHARED, file);
    char *error = NULL;
    Ofwatch__V1__Extraction *x = corpus_extract (path, &tally->decoding, &tally->extracting,
                                                 NULL, &error);
    bool is_report = corpus_same (gold_string (gold, "doc_kind"), "inspection_report");
    if (!is_report)
        corpus_count (&fields [F_REFUSAL], x == NULL, file, "accepted");
    else
    if (!x)
        corpus_fail_all (fields, F_IMPROVEMENTS + 1, file, error);
    else {
        const char *code = gold_string (gold_member (gold, "authority"), "code");
        corpus_compare (&fields [F_AUTHORITY], s_exceptions, file,
                        x->authority ? x->authority->code : NULL, code);
        const gold_t *events = gold_member (gold, "events");
        assert_true (gold_size (events) == 1);
        if (x->n_events == 1)
            compare_event (tally, file, x->events [0], gold_item (events, 0, NULL));
        else
            corpus_fail_all (fields + F_KIND, F_IMPROVEMENTS + 1 - F_KIND, file, "not one event");
    }
    ow_pb_free (&x);
    free (error);
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

static void
test_corpus_matches_gold (void **state)
{
    (void) state;
    tally_t tally = { .fields = {
        [F_AUTHORITY] = { "authority", 1.0, 0, 0 },
        [F_KIND] = { "kind", 1.0, 0, 0 },
        [F_START] = { "start_date", 1.0, 0, 0 },
        [F_END] = { "end_date", 1.0, 0, 0 },
        [F_LEAD] = { "lead_inspector", 1.0, 0, 0 },
        [F_JUDGEMENTS] = { "judgements", 1.0, 0, 0 },
        [F_IMPROVEMENTS] = { "improvements (count)", 1.0, 0, 0 },
        [F_IMPROVEMENT_TEXT] = { "improvements (words)", 0.0, 0, 0 },
        [F_REFUSAL] = { "refused when not a report", 1.0, 0, 0 },
    }, .verbose = getenv ("OFWATCH_TEST_VERBOSE") != NULL };
    long reports = corpus_each_gold (SHARED "/gold/reports.jsonl", check_report, &tally);
    if (reports < 0)
        skip ();
    corpus_report ("inspection reports", tally.fields, F_COUNT, s_exceptions,
                   tally.decoding, tally.extracting);
    double other = tally.themes ? (double) tally.other_themes / (double) tally.themes : 0;
    printf ("  themes 'other'                 %4zu / %-4zu %6.1f%%\n",
            tally.other_themes, tally.themes, 100.0 * other);

    s_pdfs = 0;
    assert_int_equal (nftw (SHARED "/reports", count_pdf, 16, FTW_PHYS), 0);
    assert_true (reports >= 252);
    assert_int_equal ((size_t) reports, s_pdfs);
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
