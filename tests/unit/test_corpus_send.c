/*  test_corpus_send — extraction over every area SEND inspection report
    of ../shared/corpus/send (Ofsted and the CQC, 2023 framework),
    compared with gold/send.jsonl field by field.

    Prints the accuracy of each field and asserts: the partnership's
    local authority, doc_kind area_send_report, one area_send event, the
    inspection's first and last days, the outcome and the publication
    date right on every report; and on every report the when of the next
    inspection, the previous inspection's dates (unless the report says
    the area was not inspected before), Ofsted's lead inspector and the
    areas for improvement. Skips, saying why, when ../shared is not there.
*/

#include "test_corpus_support.h"

enum {
    F_AUTHORITY, F_DOC_KIND, F_KIND, F_START, F_END, F_OUTCOME, F_PUBLISHED, F_NEXT,
    F_PREVIOUS, F_LEAD, F_IMPROVEMENTS, F_PRIORITY, F_COUNT
};

typedef struct {
    corpus_field_t fields [F_COUNT];
    double decoding, extracting;
} tally_t;

static void
check_report (const gold_t *gold, void *arg)
{
    tally_t *tally = arg;
    corpus_field_t *fields = tally->fields;
    const char *file = gold_string (gold, "file");
    assert_non_null (file);
    char *path = ow_printf ("%s/%s", SHARED, file);
    char *error = NULL, *text = NULL;
    Ofwatch__V1__Extraction *x = corpus_extract (path, &tally->decoding, &tally->extracting,
                                                 &text, &error);
    if (!x || x->n_events != 1) {
        corpus_fail_all (fields, F_COUNT, file, x ? "not one event" : error);
        ow_pb_free (&x);
        free (error);
        free (text);
        free (path);
        return;
    }
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    corpus_compare (&fields [F_AUTHORITY], NULL, file, x->authority ? x->authority->code : NULL,
                    gold_string (gold, "authority"));
    corpus_compare (&fields [F_DOC_KIND], NULL, file, ow_doc_kind_word (x->doc_kind),
                    gold_string (gold, "doc_kind"));
    corpus_compare (&fields [F_KIND], NULL, file, ow_kind_word (e->kind),
                    gold_string (gold, "kind"));
    corpus_compare (&fields [F_START], NULL, file, e->start_date,
                    gold_string (gold, "start_date"));
    corpus_compare (&fields [F_END], NULL, file, e->end_date,
                    gold_string (gold, "end_date"));
    corpus_compare (&fields [F_OUTCOME], NULL, file,
                    ow_vocab_word (&ofwatch__v1__send_outcome__descriptor, (int) e->outcome),
                    gold_string (gold, "outcome"));
    corpus_compare (&fields [F_PUBLISHED], NULL, file, x->published_on,
                    gold_string (gold, "published_on"));
    corpus_count (&fields [F_NEXT], e->next_inspection != 0, file, "no next inspection");
    bool first = text && strstr (text, "Not previously inspected");
    corpus_count (&fields [F_PREVIOUS], first ? !*e->previous_start_date : *e->previous_start_date
                                                && *e->previous_end_date,
                  file, first ? "dates given to an area not inspected before" : "no previous dates");
    corpus_count (&fields [F_LEAD], *e->lead_inspector, file, "no lead inspector");
    corpus_count (&fields [F_IMPROVEMENTS], e->n_improvements > 0, file, "no areas for improvement");
    //  Widespread failings come with areas for priority action.
    size_t priority = 0;
    for (size_t i = 0; i < e->n_findings; i++)
        priority += e->findings [i]->polarity == OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION;
    bool failings = e->outcome == OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_WIDESPREAD_FAILINGS;
    corpus_count (&fields [F_PRIORITY], failings ? priority > 0 : priority == 0, file,
                  failings ? "no areas for priority action" : "priority actions without failings");
    ow_pb_free (&x);
    free (text);
    free (path);
}

static void
test_area_send_reports_match_gold (void **state)
{
    (void) state;
    tally_t tally = { .fields = {
        [F_AUTHORITY] = { "authority", 1.0, 0, 0 },
        [F_DOC_KIND] = { "doc_kind", 1.0, 0, 0 },
        [F_KIND] = { "event kind", 1.0, 0, 0 },
        [F_START] = { "start_date", 1.0, 0, 0 },
        [F_END] = { "end_date", 1.0, 0, 0 },
        [F_OUTCOME] = { "outcome", 1.0, 0, 0 },
        [F_PUBLISHED] = { "published_on", 1.0, 0, 0 },
        [F_NEXT] = { "next inspection", 1.0, 0, 0 },
        [F_PREVIOUS] = { "previous inspection", 1.0, 0, 0 },
        [F_LEAD] = { "lead inspector", 1.0, 0, 0 },
        [F_IMPROVEMENTS] = { "areas for improvement", 1.0, 0, 0 },
        [F_PRIORITY] = { "areas for priority action", 1.0, 0, 0 },
    } };
    long reports = corpus_each_gold (SHARED "/gold/send.jsonl", check_report, &tally);
    if (reports < 0)
        skip ();
    assert_true (reports >= 28);
    corpus_report ("area SEND reports", tally.fields, F_COUNT, NULL, tally.decoding,
                   tally.extracting);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_area_send_reports_match_gold),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
