/*  test_extract_council — council papers that report inspections and
    visits: the four seed documents bundled in samples/, and papers built
    from the sentences real committee reports print. A paper yields one
    event per inspection or visit it reports, dated as precisely as it
    says (a month is a month), and none for what it only plans or names
    without a date.
*/

#include "test_extract_support.h"

static const Ofwatch__V1__InspectionFacts *
event_of_kind (const Ofwatch__V1__Extraction *x, const char *kind, size_t nth)
{
    for (size_t i = 0; i < x->n_events; i++)
        if (strcmp (ow_kind_word (x->events [i]->kind), kind) == 0 && nth-- == 0)
            return x->events [i];
    fail_msg ("no %s event", kind);
    return NULL;
}

static void
test_st_helens_2019_grades_and_first_monitoring_visit (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("samples/st-helens-2020-09-23-cabinet-monitoring-report.txt");
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "council_report");
    assert_string_equal (x->authority->code, "E08000013");
    assert_string_equal (x->published_on, "2020-09-23");
    assert_int_equal (x->n_events, 2);
    //  "The impact of leaders ... - Required improvement to be good".
    const Ofwatch__V1__InspectionFacts *ilacs = event_of_kind (x, "ilacs", 0);
    assert_grade (ilacs, "leaders", "requires_improvement");
    assert_grade (ilacs, "help_and_protection", "requires_improvement");
    assert_grade (ilacs, "in_care_and_care_leavers", "inadequate");
    assert_grade (ilacs, "overall", "inadequate");
    //  "between 10<sup>th</sup> and 12<sup>th</sup> August 2020".
    const Ofwatch__V1__InspectionFacts *visit = event_of_kind (x, "monitoring_visit", 0);
    assert_string_equal (visit->start_date, "2020-08-10");
    assert_string_equal (visit->end_date, "2020-08-12");
    assert_int_equal (visit->visit_number, 1);
    ow_pb_free (&x);
}

static void
test_herefordshire_2014_sif_and_its_deadline (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("samples/herefordshire-2014-09-11-cabinet-inspection-outcome.txt");
    assert_string_equal (x->authority->code, "E06000019");
    assert_string_equal (x->published_on, "2014-09-11");
    const Ofwatch__V1__InspectionFacts *sif = event_of_kind (x, "sif", 0);
    assert_string_equal (sif->start_date, "2014-04-29");
    assert_string_equal (sif->end_date, "2014-05-21");
    assert_grade (sif, "help_and_protection", "requires_improvement");
    assert_grade (sif, "looked_after", "requires_improvement");
    assert_grade (sif, "adoption", "good");
    assert_grade (sif, "care_leavers", "requires_improvement");
    assert_grade (sif, "leadership", "requires_improvement");
    assert_grade (sif, "lscb", "requires_improvement");
    assert_grade (sif, "overall", "requires_improvement");
    //  "The previous Ofsted inspection ... took place in September 2012, at
    //  which time services were found to be inadequate".
    const Ofwatch__V1__InspectionFacts *earlier = event_of_kind (x, "slac", 0);
    assert_grade (earlier, "overall", "inadequate");
    assert_string_equal (earlier->inadequate_since, "2012-09");
    //  Computed from "Published 30 June 2014", not read from the paper's
    //  own "(which is 7 October 2014)".
    assert_int_equal (x->n_deadlines, 1);
    assert_string_equal (x->deadlines [0]->kind, "action_plan");
    assert_string_equal (x->deadlines [0]->due, "2014-10-07");
    ow_pb_free (&x);
}

static void
test_herefordshire_2023_first_monitoring_visit (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("samples/herefordshire-2023-06-22-cabinet-monitoring-visit-feedback.txt");
    assert_string_equal (x->authority->code, "E06000019");
    assert_string_equal (x->published_on, "2023-06-22");
    const Ofwatch__V1__InspectionFacts *inspection = event_of_kind (x, "ilacs", 0);
    assert_string_equal (inspection->inadequate_since, "2022-07");
    const Ofwatch__V1__InspectionFacts *visit = event_of_kind (x, "monitoring_visit", 0);
    assert_string_equal (visit->start_date, "2023-03-29");
    assert_string_equal (visit->end_date, "2023-03-30");
    assert_int_equal (visit->visit_number, 1);
    assert_string_equal (visit->lead_inspector, "Alison Smale");
    ow_pb_free (&x);
}

static void
test_herefordshire_2022_scrutiny_minutes (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("samples/herefordshire-2022-scrutiny-minutes-ilacs.txt");
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "council_minutes");
    assert_string_equal (x->authority->code, "E06000019");
    assert_true (x->n_events >= 1);
    event_of_kind (x, "ilacs", 0);
    ow_pb_free (&x);
}

static Ofwatch__V1__Extraction *
extract_paper (const char *paper)
{
    extract_input_t input = { (const uint8_t *) paper, strlen (paper), "paper.txt", NULL, NULL, false };
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, NULL, &error);
    if (!x)
        fail_msg ("refused: %s", error);
    return x;
}

static void
test_authority_from_the_body (void **state)
{
    (void) state;
    //  The header names a committee, not a council; the body says whose
    //  services were inspected, over wrapped lines.
    const char *paper =
        "Children and Families Committee\n\n16 September 2024\n\n"
        "Ofsted Inspection of Local Authority Children\xE2\x80\x99s Services\n\n"
        "Report of: Executive Director of Children\xE2\x80\x99s Services\n\n"
        "Wards Affected: All\n\n"
        "1 Purpose of Report\n\n"
        "1.1 Ofsted inspected Cheshire East Council\xE2\x80\x99s children\xE2\x80\x99s services between 26\n"
        "February and 8 March 2024. The overall effectiveness was judged to be requires\n"
        "improvement to be good. The report was published on 24 April 2024.\n";
    Ofwatch__V1__Extraction *x = extract_paper (paper);
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "council_report");
    assert_string_equal (x->authority->code, "E06000049");
    assert_string_equal (x->published_on, "2024-09-16");
    assert_int_equal (x->n_events, 1);
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "ilacs");
    assert_string_equal (e->start_date, "2024-02-26");
    assert_string_equal (e->end_date, "2024-03-08");
    assert_grade (e, "overall", "requires_improvement");
    //  70 working days from 24 April 2024.
    assert_int_equal (x->n_deadlines, 1);
    ow_pb_free (&x);
}

static void
test_each_inspection_as_precisely_as_the_paper_dates_it (void **state)
{
    (void) state;
    const char *paper =
        "Title of report: Ofsted monitoring visit\nMeeting: Cabinet\n"
        "Meeting date: Thursday 22 June 2023\nReport by: Director of children\xE2\x80\x99s services\n\n"
        "1. Children\xE2\x80\x99s services were judged inadequate in July 2022. The inspection report was\n"
        "published in September 2022.\n"
        "2. The first monitoring visit to Herefordshire took place on 29-30 March 2023.\n"
        "3. The second monitoring visit is expected in July 2023, and a focused visit on\n"
        "special guardianship between January and March 2024.\n"
        "4. The previous inspection, in September 2012, found services to be inadequate.\n";
    Ofwatch__V1__Extraction *x = extract_paper (paper);
    assert_int_equal (x->n_events, 3);
    //  Named by its month: "2022-07", no day invented; the publication's
    //  month is no inspection's; the visits planned are not events.
    const Ofwatch__V1__InspectionFacts *ilacs = event_of_kind (x, "ilacs", 0);
    assert_string_equal (ilacs->start_date, "2022-07");
    assert_string_equal (ilacs->end_date, "");
    assert_string_equal (ilacs->inadequate_since, "2022-07");
    assert_grade (ilacs, "overall", "inadequate");
    const Ofwatch__V1__InspectionFacts *visit = event_of_kind (x, "monitoring_visit", 0);
    assert_string_equal (visit->start_date, "2023-03-29");
    assert_string_equal (visit->end_date, "2023-03-30");
    assert_int_equal (visit->visit_number, 1);
    const Ofwatch__V1__InspectionFacts *slac = event_of_kind (x, "slac", 0);
    assert_string_equal (slac->start_date, "2012-09");
    ow_pb_free (&x);
}

static void
test_a_paper_that_names_no_inspection_adds_none (void **state)
{
    (void) state;
    const char *paper =
        "Title of report: Ofsted\xE2\x80\x99s consultation on its new inspection framework\n"
        "Meeting: Children and Young People Scrutiny Committee\n"
        "Meeting date: 4 March 2025\nReport by: Director of children\xE2\x80\x99s services\n\n"
        "1. Ofsted is consulting on changes to how it inspects local authority children\xE2\x80\x99s "
        "services. The committee is asked to note the proposals for Herefordshire.\n";
    Ofwatch__V1__Extraction *x = extract_paper (paper);
    assert_string_equal (x->authority->code, "E06000019");
    assert_int_equal (x->n_events, 0);
    assert_true (x->n_warnings >= 1);
    ow_pb_free (&x);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_st_helens_2019_grades_and_first_monitoring_visit),
        cmocka_unit_test (test_herefordshire_2014_sif_and_its_deadline),
        cmocka_unit_test (test_herefordshire_2023_first_monitoring_visit),
        cmocka_unit_test (test_herefordshire_2022_scrutiny_minutes),
        cmocka_unit_test (test_authority_from_the_body),
        cmocka_unit_test (test_each_inspection_as_precisely_as_the_paper_dates_it),
        cmocka_unit_test (test_a_paper_that_names_no_inspection_adds_none),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
