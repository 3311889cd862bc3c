/*  test_extract_council — council papers that report inspections and
    visits: the four seed documents bundled in samples/. A paper yields one
    event per inspection or visit it reports.
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

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_st_helens_2019_grades_and_first_monitoring_visit),
        cmocka_unit_test (test_herefordshire_2014_sif_and_its_deadline),
        cmocka_unit_test (test_herefordshire_2023_first_monitoring_visit),
        cmocka_unit_test (test_herefordshire_2022_scrutiny_minutes),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
