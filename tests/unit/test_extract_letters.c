/*  test_extract_letters — Ofsted's letters after monitoring and focused
    visits: the seed letter (Herefordshire's fifth monitoring visit) and
    small letters written for the cases it lacks.
*/

#include "test_extract_support.h"

static void
test_herefordshire_fifth_monitoring_visit (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("samples/herefordshire-2024-12-04-monitoring-visit.txt");
    assert_string_equal (x->media_type, "text/plain");
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "monitoring_letter");
    //  "Herefordshire County Council" in the address, "Herefordshire" in
    //  the subject; never Manchester, where Ofsted's office is.
    assert_string_equal (x->authority->code, "E06000019");
    assert_string_equal (x->published_on, "2024-12-04");
    assert_int_equal (x->n_events, 1);
    Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "monitoring_visit");
    assert_string_equal (e->start_date, "2024-10-22");
    assert_string_equal (e->end_date, "2024-10-23");
    assert_int_equal (e->visit_number, 5);
    assert_string_equal (e->inadequate_since, "2022-07");
    assert_string_equal (e->lead_inspector, "Alison Smale");
    assert_int_equal (e->n_inspectors, 2);
    assert_string_equal (e->inspectors [0], "Alison Smale");
    assert_string_equal (e->inspectors [1], "Ceri Evans");
    assert_int_equal (e->n_judgements, 0);
    //  A letter sets no action plan deadline.
    assert_int_equal (x->n_deadlines, 0);
    assert_true (e->n_findings >= 10);
    assert_findings_sound (e);
    ow_pb_free (&x);
}

static void
test_focused_visit_with_priority_actions (void **state)
{
    (void) state;
    const char *letter =
        "12 March 2021\n\n"
        "Focused visit to St Helens children's services\n\n"
        "This letter summarises the findings of the focused visit to St Helens children's "
        "services on 2 and 3 February 2021. Her Majesty's Inspectors for this visit were "
        "Lorna Schlechte and Andy Whippey.\n\n"
        "Areas for priority action\n\n"
        "- Management oversight of children subject to pre-proceedings so that plans are not\n"
        "delayed.\n"
        "- The timeliness of return home interviews for children who go missing.\n\n"
        "What needs to improve in this area of social work practice\n\n"
        "- The quality of supervision.\n"
        "- Life-story work for children in care.\n\n"
        "Findings\n\n"
        "Social workers know their children well and visit them regularly.\n";
    extract_input_t input = { (const uint8_t *) letter, strlen (letter), "fv.txt", NULL, NULL };
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, NULL, &error);
    if (!x)
        fail_msg ("refused: %s", error);
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "focused_visit_letter");
    assert_string_equal (x->authority->code, "E08000013");
    Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "focused_visit");
    assert_string_equal (e->start_date, "2021-02-02");
    assert_string_equal (e->end_date, "2021-02-03");
    assert_int_equal (e->n_inspectors, 2);
    //  Priority actions are improvements too, and come first.
    assert_int_equal (e->n_improvements, 4);
    assert_string_equal (e->improvements [0],
        "Management oversight of children subject to pre-proceedings so that plans are not delayed.");
    assert_string_equal (e->improvements [2], "The quality of supervision.");
    size_t priority = 0;
    for (size_t i = 0; i < e->n_findings; i++)
        if (e->findings [i]->polarity == OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION) {
            priority++;
            if (priority == 1)
                assert_string_equal (e->findings [i]->text,
                    "Management oversight of children subject to pre-proceedings so that plans "
                    "are not delayed.");
        }
    assert_int_equal (priority, 2);
    ow_pb_free (&x);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_herefordshire_fifth_monitoring_visit),
        cmocka_unit_test (test_focused_visit_with_priority_actions),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
