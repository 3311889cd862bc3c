/*  test_extract_families — the report layouts that used to lose facts,
    each shown on a real document: numbered lists with a number alone on
    its line and "Priority and immediate action" items (Calderdale 2015),
    lettered lists (Southwark 2017's recommendations, lettered), a
    stand-alone review of the LSCB whose grade is a sentence (Norfolk
    2015's review, on its own), a box-drawing dash between the dates and
    "Lead inspector on site" (Central Bedfordshire 2017's front page so
    printed), and, from ../shared/corpus when it is there, footnotes
    inside a list (Rochdale 2014), bullets where numbers were expected
    (Derbyshire 2014), a number wrapped onto its own line (Worcestershire
    2019) and the April 2026 format with no overall effectiveness. The
    fixtures are the reports' decoded text (tests/fixtures/LICENCE.md).
*/

#include "test_extract_support.h"

#define SHARED_REPORTS "../shared/corpus/reports/"

//  Every list item the report gives as a finding is one of its
//  improvements, each once.
static void
assert_items_are_improvements (const Ofwatch__V1__InspectionFacts *e)
{
    for (size_t i = 0; i < e->n_findings; i++) {
        const Ofwatch__V1__Finding *f = e->findings [i];
        if (f->polarity != OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION
        &&  f->polarity != OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED)
            continue;
        size_t same = 0;
        for (size_t k = 0; k < e->n_improvements; k++)
            same += strcmp (e->improvements [k], f->text) == 0;
        if (same != 1)
            fail_msg ("finding \"%s\" is %zu of the improvements", f->text, same);
    }
}

static size_t
count_polarity (const Ofwatch__V1__InspectionFacts *e, Ofwatch__V1__Polarity polarity)
{
    size_t count = 0;
    for (size_t i = 0; i < e->n_findings; i++)
        count += e->findings [i]->polarity == polarity;
    return count;
}

//  A report of the corpus, or NULL (having said why) when it is not there.
static Ofwatch__V1__Extraction *
extract_shared (const char *file)
{
    char *path = ow_printf (SHARED_REPORTS "%s", file);
    struct stat info;
    Ofwatch__V1__Extraction *x = NULL;
    if (stat (path, &info) == 0)
        x = extract_file (path);
    else
        printf ("SKIP: %s is not there (../shared/corpus lives beside the repository)\n", path);
    free (path);
    return x;
}

static void
test_numbered_list_with_priority_actions (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("tests/fixtures/sif-calderdale-2015-03-20.txt");
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "sif");
    //  "Priority and immediate action" 1-3, "Areas for improvement" 4-17,
    //  under sub-headings ("Help and protection"), "9." alone on its line.
    assert_int_equal (e->n_improvements, 17);
    //  Each priority action is a finding; the other items are findings
    //  only when their theme is clear (they are improvements either way).
    assert_int_equal (count_polarity (e, OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION), 3);
    assert_true (count_polarity (e, OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED) <= 14);
    assert_items_are_improvements (e);
    //  The heading printed after the third item is not part of it.
    assert_string_equal (e->improvements [2],
        "Ensure that there is a robust analysis of the reasons for young people not taking up "
        "the offer of a return interview and that findings inform planning and commissioning "
        "to increase the uptake of return interviews when children are missing from home and care.");
    assert_string_equal (e->improvements [8],
        "Improve the quality and consistency of work that is undertaken with children who are "
        "privately fostered to ensure that statutory requirements are met. Ensure that there is "
        "senior management oversight of private fostering, to support improvement of recognition "
        "and response to this group of young people.");
    assert_grade (e, "adoption", "inadequate");
    ow_pb_free (&x);
}

static void
test_lettered_list (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("tests/fixtures/sif-southwark-2017-06-13-lettered.txt");
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_int_equal (e->n_improvements, 11);
    assert_string_equal (e->improvements [0],
        "Ensure that prompt decisions are made to safeguard children affected by long-term, "
        "cumulative neglect, so that they are not left in adverse home circumstances for long periods.");
    //  "(k)" alone on its line, its words below.
    assert_true (strncmp (e->improvements [10], "Ensure that children are aware of how to complain", 49) == 0);
    assert_string_equal (e->lead_inspector, "Nick Stacey");
    ow_pb_free (&x);
}

static void
test_lscb_review_graded_in_a_sentence (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_file ("tests/fixtures/lscb-review-norfolk-2015-variant.txt");
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "lscb_review");
    assert_string_equal (x->authority->code, "E10000020");
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (ow_kind_word (e->kind), "lscb_review");
    //  "The Local Safeguarding Children Board requires improvement"
    assert_grade (e, "lscb", "requires_improvement");
    assert_int_equal (e->n_judgements, 1);
    assert_string_equal (e->start_date, "2015-07-06");
    assert_string_equal (e->end_date, "2015-07-30");
    assert_string_equal (e->lead_inspector, "Helen Cawston");
    //  Numbered on from the report's paragraphs: 138 to 143.
    assert_int_equal (e->n_improvements, 6);
    ow_pb_free (&x);
}

static void
test_box_drawing_dash_and_lead_inspector_on_site (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x =
        extract_file ("tests/fixtures/sif-central-bedfordshire-2017-08-25-variant.txt");
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    //  "Inspection date: 12 June 2017 \u2500 6 July 2017"
    assert_string_equal (e->start_date, "2017-06-12");
    assert_string_equal (e->end_date, "2017-07-06");
    //  "Lead inspector on site: Margaret Burke"
    assert_string_equal (e->lead_inspector, "Margaret Burke");
    assert_grade (e, "overall", "good");
    assert_grade (e, "leadership", "good");
    assert_int_equal (e->n_improvements, 9);
    assert_int_equal (x->n_warnings, 0);
    ow_pb_free (&x);
}

static void
test_footnote_inside_a_numbered_list (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_shared ("80542-rochdale/2014-12-05.pdf");
    if (!x)
        skip ();
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_int_equal (e->n_improvements, 28);
    assert_int_equal (count_polarity (e, OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION), 13);
    assert_items_are_improvements (e);
    //  The page's footnote ("2 Looked after children in Rochdale are known
    //  locally as cared for children ...") is not part of item 18.
    assert_string_equal (e->improvements [17],
        "Improve the quality of personal education plans for cared for children by ensuring "
        "they have specific measurable actions linked to educational targets.");
    ow_pb_free (&x);
}

static void
test_bullets_where_numbers_were_expected (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_shared ("80460-derbyshire/2014-02-11.pdf");
    if (!x)
        skip ();
    //  "What does the Local Authority need to improve? / Areas for
    //  improvement" followed by nine bullets.
    assert_int_equal (x->events [0]->n_improvements, 9);
    ow_pb_free (&x);
}

static void
test_number_wrapped_onto_its_own_line (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = extract_shared ("80584-worcestershire/2019-07-29.pdf");
    if (!x)
        skip ();
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    //  "... when they reach the age of / 17." is one bullet, not the start
    //  of the report's numbered paragraphs.
    assert_int_equal (e->n_improvements, 8);
    assert_string_equal (e->improvements [6],
        "The provision of personal assistants for care leavers when they reach the age of 17.");
    ow_pb_free (&x);
}

static void
test_april_2026_format_has_no_overall (void **state)
{
    (void) state;
    const char *files [] = { "2637548-west-northamptonshire/2026-07-07.pdf",
                             "80480-lancashire/2026-08-20.pdf", NULL };
    for (size_t i = 0; files [i]; i++) {
        Ofwatch__V1__Extraction *x = extract_shared (files [i]);
        if (!x)
            skip ();
        const Ofwatch__V1__InspectionFacts *e = x->events [0];
        assert_string_equal (ow_kind_word (e->kind), "ilacs_standard");
        assert_int_equal (e->n_judgements, 4);
        assert_null (grade_of (e, "overall"));
        assert_non_null (grade_of (e, "leaders"));
        assert_non_null (grade_of (e, "in_care"));
        assert_non_null (grade_of (e, "care_leavers"));
        ow_pb_free (&x);
    }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_numbered_list_with_priority_actions),
        cmocka_unit_test (test_lettered_list),
        cmocka_unit_test (test_lscb_review_graded_in_a_sentence),
        cmocka_unit_test (test_box_drawing_dash_and_lead_inspector_on_site),
        cmocka_unit_test (test_footnote_inside_a_numbered_list),
        cmocka_unit_test (test_bullets_where_numbers_were_expected),
        cmocka_unit_test (test_number_wrapped_onto_its_own_line),
        cmocka_unit_test (test_april_2026_format_has_no_overall),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
