/*  test_extract_reports — Ofsted inspection reports, on the real reports
    bundled in samples/: authority, fieldwork, kind, publication, lead
    inspector, every judgement, what needs to improve, the action plan
    deadline.
*/

#include "test_extract_support.h"

static void
test_herefordshire_2022_ilacs_standard (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("samples/herefordshire/2022-09-21.pdf");
    assert_string_equal (x->media_type, "application/pdf");
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "inspection_report");
    assert_string_equal (x->authority->code, "E06000019");
    assert_string_equal (x->authority->name, "Herefordshire");
    assert_string_equal (x->authority->la_code, "884");
    assert_string_equal (x->authority->urn, "80474");
    assert_string_equal (x->published_on, "2022-09-21");
    assert_int_equal (x->n_events, 1);
    Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "ilacs_standard");
    assert_string_equal (e->start_date, "2022-07-18");
    assert_string_equal (e->end_date, "2022-07-29");
    assert_string_equal (e->lead_inspector, "Lisa Summers");
    assert_int_equal (e->n_judgements, 4);
    assert_grade (e, "leaders", "inadequate");
    assert_grade (e, "help_and_protection", "inadequate");
    assert_grade (e, "in_care_and_care_leavers", "inadequate");
    assert_grade (e, "overall", "inadequate");
    assert_int_equal (e->n_improvements, 9);
    assert_string_equal (e->improvements [0],
        "Corporate responsibility for the help and protection of children and those in care "
        "and care leavers, so this is prioritised and embedded across the council and partnerships.");
    assert_findings_sound (e);
    //  70 working days after 21 September 2022, skipping Boxing Day and
    //  the Christmas Day substitute (26 and 27 December).
    assert_int_equal (x->n_deadlines, 1);
    assert_string_equal (x->deadlines [0]->kind, "action_plan");
    assert_string_equal (x->deadlines [0]->due, "2022-12-30");
    assert_string_equal (x->deadlines [0]->basis, "70 working days after publication");
    ow_pb_free (&x);
}

static void
test_herefordshire_2018_ilacs (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("samples/herefordshire/2018-07-23.pdf");
    assert_string_equal (x->authority->code, "E06000019");
    Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "ilacs_standard");
    assert_string_equal (e->start_date, "2018-06-11");
    assert_string_equal (e->end_date, "2018-06-22");
    assert_string_equal (e->lead_inspector, "Pauline Higham");
    assert_grade (e, "leaders", "inadequate");
    assert_grade (e, "help_and_protection", "requires_improvement");
    assert_grade (e, "in_care_and_care_leavers", "requires_improvement");
    assert_grade (e, "overall", "requires_improvement");
    assert_int_equal (e->n_improvements, 7);
    //  The last item has no full stop; the heading after it is not part of it.
    assert_string_equal (e->improvements [6], "The quality of life-story work for all children");
    ow_pb_free (&x);
}

static void
test_st_helens_2019_ilacs (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("samples/st-helens/2019-11-04.pdf");
    //  "St Helens Metropolitan Borough Council" on the title page.
    assert_string_equal (x->authority->code, "E08000013");
    Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "ilacs_standard");
    assert_string_equal (e->start_date, "2019-09-23");
    assert_string_equal (e->end_date, "2019-10-04");
    assert_string_equal (e->lead_inspector, "Lorna Schlechte");
    assert_grade (e, "leaders", "requires_improvement");
    assert_grade (e, "help_and_protection", "requires_improvement");
    assert_grade (e, "in_care_and_care_leavers", "inadequate");
    assert_grade (e, "overall", "inadequate");
    assert_int_equal (e->n_improvements, 8);
    assert_string_equal (x->deadlines [0]->due, "2020-02-13");
    ow_pb_free (&x);
}

static void
test_text_spans_index_the_returned_text (void **state)
{
    (void) state;
    size_t size = 0;
    uint8_t *bytes = read_file ("samples/st-helens/2019-11-04.pdf", &size);
    extract_input_t input = { bytes, size, "2019-11-04.pdf", NULL, NULL, false };
    char *text = NULL, *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, &text, &error);
    assert_non_null (x);
    Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_true (e->n_findings > 0);
    size_t length = strlen (text);
    for (size_t i = 0; i < e->n_findings; i++) {
        const Ofwatch__V1__Finding *f = e->findings [i];
        assert_true (f->end <= length);
        //  The span starts with the finding's first word.
        size_t word = strcspn (f->text, " ");
        assert_memory_equal (text + f->start, f->text, word);
    }
    free (text);
    free (bytes);
    ow_pb_free (&x);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_herefordshire_2022_ilacs_standard),
        cmocka_unit_test (test_herefordshire_2018_ilacs),
        cmocka_unit_test (test_st_helens_2019_ilacs),
        cmocka_unit_test (test_text_spans_index_the_returned_text),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
