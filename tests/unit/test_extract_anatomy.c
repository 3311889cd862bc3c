/*  test_extract_anatomy — documents are classified by their parts, not by
    the first phrase that catches the eye, and what is not an inspection
    document (or a council paper about one) is refused.

    Each document below carries the phrases that used to decide its kind
    wrongly: a focused-visit letter that names the ILACS framework in its
    opening paragraph and is written from Ofsted's Nottingham office ("6
    Cumberland Place", two authorities' names in the letterhead); a report
    that quotes a letter's subject and a council's furniture; an area SEND
    report that names the ILACS framework and an NHS board; a council paper
    that quotes a report's title and its dates line. The letter is a real
    one (tests/fixtures, its letterhead moved to Nottingham), the others are
    built from real documents' sentences.
*/

#include "test_extract_support.h"

static Ofwatch__V1__Extraction *
extract_string (const char *text, const char *name)
{
    extract_input_t input = { (const uint8_t *) text, strlen (text), name, NULL, NULL, false };
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, NULL, &error);
    if (!x)
        fail_msg ("%s refused: %s", name, error);
    return x;
}

static bool
has_warning (const Ofwatch__V1__Extraction *x, const char *words)
{
    for (size_t i = 0; i < x->n_warnings; i++)
        if (strstr (x->warnings [i], words))
            return true;
    return false;
}

static void
test_letter_from_the_nottingham_office_naming_the_ilacs_framework (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x =
        extract_file ("tests/fixtures/focused-visit-derbyshire-2021-11-24-nottingham-office.txt");
    //  "This visit was carried out in line with the inspection of local
    //  authority children's services (ILACS) framework" is in its opening
    //  lines; the letterhead names Cumberland and Nottingham.
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "focused_visit_letter");
    assert_string_equal (x->authority->code, "E10000007");        //  Derbyshire
    assert_string_equal (x->published_on, "2021-11-24");
    assert_int_equal (x->n_events, 1);
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "focused_visit");
    assert_string_equal (e->start_date, "2021-10-20");
    assert_string_equal (e->end_date, "2021-10-21");
    assert_string_equal (e->lead_inspector, "Andy Whippey");
    assert_int_equal (e->n_inspectors, 2);
    assert_string_equal (e->inspectors [1], "Andy Waugh");
    assert_int_equal (e->n_focus, 1);
    assert_string_equal (e->focus [0], "supporting care leavers");
    assert_int_equal (x->n_warnings, 0);
    ow_pb_free (&x);
}

static void
test_report_quoting_a_letter_subject_and_council_furniture (void **state)
{
    (void) state;
    const char *report =
        "Inspection of Herefordshire local authority children\xE2\x80\x99s services\n"
        "Inspection dates: 18 to 29 July 2022\n"
        "Lead inspector: Lisa Summers, Her Majesty\xE2\x80\x99s Inspector\n"
        "Judgement Grade\n"
        "The impact of leaders on social work practice with children and families Inadequate\n"
        "The experiences and progress of children who need help and protection Inadequate\n"
        "The experiences and progress of children in care and care leavers Inadequate\n"
        "Overall effectiveness Inadequate\n"
        "Cabinet\n"
        "members and senior leaders have not ensured that the recommendations of the\n"
        "Focused visit to Herefordshire children\xE2\x80\x99s services in January 2019 were acted on.\n"
        "What needs to improve?\n"
        "\xE2\x97\xBC Corporate responsibility for the help and protection of children.\n"
        "\xE2\x97\xBC The quality of management oversight.\n";
    Ofwatch__V1__Extraction *x = extract_string (report, "report.txt");
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "inspection_report");
    assert_string_equal (x->authority->code, "E06000019");
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "ilacs_standard");
    assert_grade (e, "overall", "inadequate");
    assert_int_equal (e->n_improvements, 2);
    ow_pb_free (&x);
}

static void
test_area_send_report_naming_the_ilacs_framework_and_an_nhs_board (void **state)
{
    (void) state;
    const char *report =
        "Local area partnership report\n"
        "Area SEND inspection of Herefordshire\n"
        "Local Area Partnership\n"
        "Inspection dates: 2 to 6 December 2024\n"
        "Dates of previous inspection: 26 to 30 September 2016\n"
        "Inspection outcome\n"
        "The local area partnership\xE2\x80\x99s arrangements lead to inconsistent experiences and\n"
        "outcomes for children and young people with special educational needs and/or\n"
        "disabilities (SEND). The local area partnership must work jointly to make improvements.\n"
        "The next full area SEND inspection will be within approximately three years.\n"
        "Information about the local area partnership\n"
        "NHS Shropshire, Telford and Wrekin Integrated Care Board commissions some services.\n"
        "Herefordshire Council\xE2\x80\x99s children\xE2\x80\x99s services were inspected under the\n"
        "inspection of local authority children\xE2\x80\x99s services (ILACS) framework in 2022.\n"
        "What does the area partnership need to do better?\n"
        "Areas for improvement\n"
        "Areas for improvement\n"
        "Leaders should improve the timeliness of EHC plans.\n"
        "Health leaders should reduce waiting times for therapies.\n"
        "Local area partnership details\n";
    Ofwatch__V1__Extraction *x = extract_string (report, "send.txt");
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "area_send_report");
    assert_string_equal (x->authority->code, "E06000019");
    assert_int_equal (x->n_events, 1);
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "area_send");
    assert_string_equal (e->start_date, "2024-12-02");
    assert_string_equal (e->end_date, "2024-12-06");
    assert_string_equal (e->previous_start_date, "2016-09-26");
    assert_string_equal (e->previous_end_date, "2016-09-30");
    assert_int_equal (e->outcome, OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_INCONSISTENT_EXPERIENCES);
    assert_int_equal (e->next_inspection, OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_FULL_WITHIN_3_YEARS);
    assert_int_equal (e->n_improvements, 2);
    ow_pb_free (&x);
}

static void
test_council_paper_quoting_a_report_title_and_dates (void **state)
{
    (void) state;
    const char *paper =
        "Title of report: Ofsted inspection of children\xE2\x80\x99s services\n"
        "Meeting: Cabinet\n"
        "Meeting date: Thursday 27 October 2022\n"
        "Report by: Cabinet member children and young people\n"
        "Inspection of Herefordshire local authority children\xE2\x80\x99s services\n"
        "Inspection dates: 18 to 29 July 2022\n"
        "Lead inspector: Lisa Summers\n"
        "1. Children\xE2\x80\x99s services were judged to be inadequate during the Ofsted "
        "inspection conducted in July 2022.\n";
    Ofwatch__V1__Extraction *x = extract_string (paper, "paper.txt");
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "council_report");
    assert_string_equal (x->authority->code, "E06000019");
    assert_string_equal (x->published_on, "2022-10-27");
    assert_int_equal (x->n_events, 1);
    //  Named by its month: the month, not an invented day.
    assert_string_equal (x->events [0]->start_date, "2022-07");
    assert_grade (x->events [0], "overall", "inadequate");
    ow_pb_free (&x);
}

static void
test_a_tie_is_said_in_a_warning (void **state)
{
    (void) state;
    //  A report's title and a letter's subject line, nothing else.
    const char *text =
        "Inspection of Herefordshire local authority children\xE2\x80\x99s services\n"
        "Monitoring visit to Herefordshire children\xE2\x80\x99s services\n";
    Ofwatch__V1__Extraction *x = extract_string (text, "tie.txt");
    assert_true (has_warning (x, "the kind of document is not clear"));
    ow_pb_free (&x);
}

static void
assert_refused_as_not_ours (const uint8_t *bytes, size_t size, const char *name, const char *why)
{
    char *error = extract_refused (bytes, size, name);
    if (!strstr (error, "is not an Ofsted inspection document or a council paper about one")
    ||  !strstr (error, why))
        fail_msg ("%s: %s", name, error);
    free (error);
}

static void
test_the_projects_own_files_are_refused (void **state)
{
    (void) state;
    //  They speak of Ofsted and of Herefordshire, but have none of a
    //  letter's, a report's or a council paper's parts.
    const char *files [] = { "NOTICE.md", "README.md", "data/README.md", NULL };
    for (size_t i = 0; files [i]; i++) {
        size_t size = 0;
        uint8_t *bytes = read_file (files [i], &size);
        assert_non_null (bytes);
        assert_refused_as_not_ours (bytes, size, files [i], "no report title block");
        free (bytes);
    }
}

static void
test_a_recipe_is_refused (void **state)
{
    (void) state;
    const char *recipe =
        "# Lemon drizzle cake\n\nServes 8. Preheat the oven to 180C.\n\n## Ingredients\n\n"
        "- 225g butter\n- 225g caster sugar\n- 4 eggs\n\n## Method\n\n"
        "Beat the butter and sugar together until pale. Bake for 45 minutes.\n";
    assert_refused_as_not_ours ((const uint8_t *) recipe, strlen (recipe), "cake.md",
                                "no meeting furniture");
}

static void
test_a_council_paper_about_something_else_is_refused (void **state)
{
    (void) state;
    const char *paper =
        "Title of report: Waste collection contract\nMeeting: Cabinet\n"
        "Meeting date: Thursday 14 March 2024\nReport by: Director of environment\n"
        "Wards affected: All\n\nPurpose\n\nTo agree the new waste collection contract for "
        "Herefordshire from April 2025.\n";
    assert_refused_as_not_ours ((const uint8_t *) paper, strlen (paper), "bins.txt",
                                "speaks of no Ofsted inspection");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_letter_from_the_nottingham_office_naming_the_ilacs_framework),
        cmocka_unit_test (test_report_quoting_a_letter_subject_and_council_furniture),
        cmocka_unit_test (test_area_send_report_naming_the_ilacs_framework_and_an_nhs_board),
        cmocka_unit_test (test_council_paper_quoting_a_report_title_and_dates),
        cmocka_unit_test (test_a_tie_is_said_in_a_warning),
        cmocka_unit_test (test_the_projects_own_files_are_refused),
        cmocka_unit_test (test_a_recipe_is_refused),
        cmocka_unit_test (test_a_council_paper_about_something_else_is_refused),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
