/*  test_analytics_views — analytics' answers and pages from a model held
    in memory: the real register, histories put in by hand, no database.

    An empty model must answer every question (nothing known is an answer,
    not a crash); one authority's history must show in England's grade
    counts, its region, the transition matrix, the summary row and both
    pages.
*/

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../services/analytics/model.c"
#include "../../services/analytics/rules.c"
#include "../../services/analytics/state.c"
#include "../../services/analytics/themes.c"
#include "../../services/analytics/groups.c"
#include "../../services/analytics/benchmark.c"
#include "../../services/analytics/national.c"
#include "../../services/analytics/sheet.c"
#include "../../services/analytics/summary.c"
#include "../../services/analytics/history_export.c"
#include "../../services/analytics/history.c"
#include "../../services/analytics/report.c"
#include "../../services/analytics/render.c"
#include "../../services/analytics/render_authority.c"
#include "../../services/analytics/render_national.c"

#define HEREFORDSHIRE "E06000019"

typedef struct {
    ow_register_t *reg;
    sheet_register_t *sheet;
    model_t *model;
    state_t *states;
    view_t view;
} fixture_t;

static const char *
data_dir (void)
{
    const char *dir = getenv ("OFWATCH_DATA");
    return dir && *dir ? dir : OW_DEFAULT_DATA_DIR;
}

static size_t
count_of_tiles (const char *page)
{
    size_t count = 0;
    for (const char *at = strstr (page, "class=\"authority\""); at;
         at = strstr (at + 1, "class=\"authority\""))
        count++;
    return count;
}

//  The view as answer.c builds it, as of 2025-06-01.
static void
refresh (fixture_t *f)
{
    size_t size = model_size (f->model);
    int today = ow_date_from_iso ("2025-06-01");
    free (f->states);
    f->states = ow_calloc (size, sizeof (state_t));
    for (size_t i = 0; i < size; i++)
        state_compute (model_at (f->model, i), today, &f->states [i]);
    f->view = (view_t) { f->model, f->reg, f->sheet, today, f->states };
}

static int
setup (void **state)
{
    fixture_t *f = ow_calloc (1, sizeof (fixture_t));
    char *error = NULL;
    f->reg = ow_register_load (data_dir (), &error);
    f->sheet = sheet_register_load (data_dir (), &error);
    assert_non_null (f->reg);
    assert_non_null (f->sheet);
    f->model = model_new (f->reg);
    refresh (f);
    *state = f;
    return 0;
}

static int
teardown (void **state)
{
    fixture_t *f = *state;
    //  The hand-made history is not the model's to free.
    model_history_t *history = (model_history_t *) model_history_by_code (f->model, HEREFORDSHIRE);
    history->inspections = NULL;
    history->n_inspections = 0;
    history->deadlines = NULL;
    history->n_deadlines = 0;
    model_destroy (&f->model);
    sheet_register_destroy (&f->sheet);
    ow_register_destroy (&f->reg);
    free (f->states);
    free (f);
    return 0;
}

static void
test_an_empty_model_answers_everything (void **state)
{
    fixture_t *f = *state;
    Ofwatch__V1__National *national = view_national (&f->view);
    assert_int_equal (national->authorities, 153);
    assert_int_equal (national->n_grades, 1);                 // all "not known"
    assert_int_equal (national->grades [0]->grade, 0);
    assert_int_equal (national->grades [0]->count, 153);
    assert_int_equal (national->n_transitions, 25);
    for (size_t i = 0; i < national->n_transitions; i++)
        assert_int_equal (national->transitions [i]->count, 0);
    assert_int_equal (national->n_themes_by_year, 0);
    assert_int_equal (national->n_regions, 9);
    //  Every tile says which authority it is, in at most five letters no
    //  other tile has.
    labels_t *labels = ow_calloc (1, sizeof (labels_t));
    plan_labels (national, labels);
    assert_int_equal (labels->count, 153);
    for (size_t i = 0; i < labels->count; i++) {
        assert_true (strlen (labels->text [i]) >= 2 && strlen (labels->text [i]) <= 5);
        for (size_t j = i + 1; j < labels->count; j++)
            if (strcmp (labels->text [i], labels->text [j]) == 0)
                fail_msg ("%s and %s are both \"%s\"", labels->standing [i]->authority->name,
                          labels->standing [j]->authority->name, labels->text [i]);
        if (strcmp (labels->standing [i]->authority->code, HEREFORDSHIRE) == 0)
            assert_string_equal (labels->text [i], "Here");     // Hertfordshire: "Hert"
    }
    free (labels);
    char *page = render_national (national);
    assert_non_null (strstr (page, "<svg class=\"map\""));
    assert_non_null (strstr (page, "<main>"));
    assert_int_equal (count_of_tiles (page), 153);
    free (page);
    page = render_index (national);
    assert_non_null (strstr (page, "href=\"/authority/E06000019\""));
    free (page);
    ow_pb_free (&national);

    //  Every authority of the register has a row, with empty inspection
    //  columns, its register columns as the sheet writes them.
    Ofwatch__V1__Summary *summary = view_summary (&f->view);
    assert_int_equal (summary->n_rows, 153);
    for (size_t r = 0; r < summary->n_rows; r++) {
        assert_string_equal (summary->rows [r]->overall_effectiveness_grade, "");
        assert_string_equal (summary->rows [r]->inspectors_inspections_count, "");
        assert_true (*summary->rows [r]->local_authority);
        assert_true (*summary->rows [r]->stat_neighbours);
    }
    ow_pb_free (&summary);
    Ofwatch__V1__HistoryExport *history_rows = view_history_export (&f->view);
    assert_int_equal (history_rows->n_rows, 0);
    ow_pb_free (&history_rows);
    Ofwatch__V1__ThemesReply *themes = themes_reply (f->model, NULL, OW_DATE_NONE);
    assert_int_equal (themes->n_themes, 0);
    ow_pb_free (&themes);

    const model_history_t *h = model_history_by_code (f->model, HEREFORDSHIRE);
    Ofwatch__V1__Benchmark *b = view_benchmark (&f->view, h);
    assert_int_equal (b->n_neighbours, 10);
    assert_int_equal (b->authority->rank, 0);
    assert_int_equal (b->groups [2]->authorities, 153);
    assert_int_equal (b->groups [2]->graded, 0);
    ow_pb_free (&b);
    Ofwatch__V1__Report *report = view_report_authority (&f->view, h);
    assert_non_null (strstr (report->html, "<svg class=\"timeline\""));
    assert_null (strstr (report->html, "class=\"inspection\""));
    ow_pb_free (&report);
}

static model_grade_t s_2018 [] = { { "overall", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT } };
static model_grade_t s_2022 [] = { { "in_care_and_care_leavers", OFWATCH__V1__GRADE__GRADE_INADEQUATE },
                                   { "leaders", OFWATCH__V1__GRADE__GRADE_INADEQUATE },
                                   { "overall", OFWATCH__V1__GRADE__GRADE_INADEQUATE } };
static model_inspection_t s_inspections [] = {
    { .id = 1, .kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD,
      .lead_inspector = "Pauline Higham", .inadequate_since = "", .sha256 = "a",
      .grades = s_2018, .n_grades = 1 },
    { .id = 2, .kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD,
      .lead_inspector = "Lisa Summers", .inadequate_since = "", .sha256 = "b",
      .grades = s_2022, .n_grades = 3 },
};
static model_deadline_t s_deadlines [] = {
    { .kind = "action_plan", .basis = "70 working days after publication", .sha256 = "b" }
};

static void
test_one_history_shows_everywhere (void **state)
{
    fixture_t *f = *state;
    s_inspections [0].start = ow_date_from_iso ("2018-06-11");
    s_inspections [0].end = ow_date_from_iso ("2018-06-22");
    s_inspections [0].published = ow_date_from_iso ("2018-07-23");
    s_inspections [1].start = ow_date_from_iso ("2022-07-18");
    s_inspections [1].end = ow_date_from_iso ("2022-07-29");
    s_inspections [1].published = ow_date_from_iso ("2022-09-21");
    s_deadlines [0].due = ow_date_from_iso ("2022-12-30");
    model_history_t *history = (model_history_t *) model_history_by_code (f->model, HEREFORDSHIRE);
    history->inspections = s_inspections;
    history->n_inspections = 2;
    history->deadlines = s_deadlines;
    history->n_deadlines = 1;
    refresh (f);

    Ofwatch__V1__National *national = view_national (&f->view);
    assert_int_equal (national->inadequate_now, 1);
    //  requires_improvement (row 2) to inadequate (column 4).
    assert_int_equal (national->transitions [2 * 5 + 4]->from,
                      OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT);
    assert_int_equal (national->transitions [2 * 5 + 4]->to, OFWATCH__V1__GRADE__GRADE_INADEQUATE);
    assert_int_equal (national->transitions [2 * 5 + 4]->count, 1);
    bool found = false;
    for (size_t r = 0; r < national->n_regions; r++)
        if (strcmp (national->regions [r]->name, "West Midlands") == 0)
            for (size_t a = 0; a < national->regions [r]->n_authorities; a++)
                found |= national->regions [r]->authorities [a]->overall
                         == OFWATCH__V1__GRADE__GRADE_INADEQUATE;
    assert_true (found);
    char *page = render_national (national);
    assert_non_null (strstr (page, "data-code=\"E06000019\" data-grade=\"inadequate\""));
    free (page);
    ow_pb_free (&national);

    Ofwatch__V1__Summary *summary = view_summary (&f->view);
    assert_int_equal (summary->n_rows, 153);
    const Ofwatch__V1__SummaryRow *row = NULL;
    for (size_t r = 0; r < summary->n_rows; r++)
        if (strcmp (summary->rows [r]->ons_code, HEREFORDSHIRE) == 0)
            row = summary->rows [r];
    assert_non_null (row);
    assert_string_equal (row->urn, "80474");
    assert_string_equal (row->la_code, "884");
    assert_string_equal (row->region_code, "WM");
    assert_string_equal (row->local_authority, "herefordshire");
    assert_string_equal (row->stat_neighbours, "943, 860, 925, 893, 933, 888, 935, 811, 815, 830");
    assert_string_equal (row->stat_neighbour_judgement,
                         "[(943, 'Unknown'), (860, 'Unknown'), (925, 'Unknown'), (893, 'Unknown'),"
                         " (933, 'Unknown'), (888, 'Unknown'), (935, 'Unknown'), (811, 'Unknown'),"
                         " (815, 'Unknown'), (830, 'Unknown')]");
    assert_string_equal (row->local_link_to_all_inspections,
                         "https://reports.ofsted.gov.uk/provider/44/80474");
    assert_string_equal (row->inspectors_inspections_count, "1");
    assert_string_equal (row->inspection_link, "");
    assert_string_equal (row->ltla23cd, "E06000019");
    assert_string_equal (row->overall_effectiveness_grade, "inadequate");
    assert_string_equal (row->inspection_framework, "standard");
    assert_string_equal (row->inspector_name, "lisa summers");
    assert_string_equal (row->inspection_start_date, "18/07/2022");
    assert_string_equal (row->publication_date, "21/09/22");
    assert_string_equal (row->impact_of_leaders_grade, "inadequate");
    assert_string_equal (row->in_care_grade, "inadequate");
    assert_string_equal (row->care_leavers_grade, "inspection_pre_dates_judgement");
    //  A neighbour sees Herefordshire's grade in its judgements.
    for (size_t r = 0; r < summary->n_rows; r++)
        if (strcmp (summary->rows [r]->la_code, "860") == 0)
            assert_non_null (strstr (summary->rows [r]->stat_neighbour_judgement,
                                     "(884, 'inadequate')"));
    ow_pb_free (&summary);

    //  The history export: both inspections, oldest first.
    Ofwatch__V1__HistoryExport *rows = view_history_export (&f->view);
    assert_int_equal (rows->n_rows, 2);
    assert_string_equal (rows->rows [0]->inspection_start_date, "11/06/2018");
    assert_string_equal (rows->rows [0]->overall_effectiveness_grade, "requires improvement");
    assert_string_equal (rows->rows [0]->inspection_kind, "ilacs_standard");
    assert_string_equal (rows->rows [1]->local_authority, "herefordshire");
    assert_string_equal (rows->rows [1]->source_sha256, "b");
    ow_pb_free (&rows);

    Ofwatch__V1__Report *report = view_report_authority (&f->view, history);
    assert_non_null (strstr (report->html, "data-kind=\"ilacs_standard\" data-start=\"2018-06-11\""));
    assert_non_null (strstr (report->html, "data-kind=\"ilacs_standard\" data-start=\"2022-07-18\""));
    assert_non_null (strstr (report->html, "class=\"deadline\" data-due=\"2022-12-30\""));
    assert_non_null (strstr (report->html, "class=\"spell\""));
    ow_pb_free (&report);
}

//  Since April 2026 an ILACS report prints no overall effectiveness: the
//  sheet writes not_reported_post_reform, never a grade guessed from the
//  others; a 2025 report missing its overall grade is just not known.
static void
test_the_2026_framework_is_not_reported_post_reform (void **state)
{
    static model_grade_t grades [] = {
        { "leaders", OFWATCH__V1__GRADE__GRADE_INADEQUATE },
        { "help_and_protection", OFWATCH__V1__GRADE__GRADE_INADEQUATE },
        { "in_care", OFWATCH__V1__GRADE__GRADE_GOOD },
        { "care_leavers", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT } };
    model_inspection_t inspection = {
        .id = 9, .kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD,
        .lead_inspector = "=HYPERLINK(\"x\")", .inadequate_since = "", .sha256 = "c",
        .grades = grades, .n_grades = 4,
        .start = ow_date_from_iso ("2026-06-01"), .end = ow_date_from_iso ("2026-06-12"),
        .published = ow_date_from_iso ("2026-07-20") };
    sheet_values_t values;
    sheet_values_fill (&values, &inspection);
    assert_string_equal (values.overall, "not_reported_post_reform");
    assert_string_equal (values.leaders, "inadequate");
    assert_string_equal (values.care_leavers, "requires improvement");
    //  Values are written as they are; the CSV and xlsx writers make
    //  formula-looking cells safe.
    assert_string_equal (values.inspector, "=hyperlink(\"x\")");
    sheet_values_clear (&values);
    inspection.start = ow_date_from_iso ("2025-06-01");
    sheet_values_fill (&values, &inspection);
    assert_string_equal (values.overall, "");
    sheet_values_clear (&values);
}

//  West Northamptonshire's way in May 2026, on Herefordshire's row: an
//  April 2026 report with four judgements and no overall.
static model_grade_t s_2026 [] = { { "care_leavers", OFWATCH__V1__GRADE__GRADE_GOOD },
                                   { "help_and_protection", OFWATCH__V1__GRADE__GRADE_GOOD },
                                   { "in_care", OFWATCH__V1__GRADE__GRADE_GOOD },
                                   { "leaders", OFWATCH__V1__GRADE__GRADE_OUTSTANDING } };

static void
test_an_april_2026_report_is_exported_and_left_unranked (void **state)
{
    fixture_t *f = *state;
    model_inspection_t inspections [] = {
        s_inspections [1],
        { .id = 3, .kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD,
          .lead_inspector = "Rebecca Dubbins", .inadequate_since = "", .sha256 = "c",
          .grades = s_2026, .n_grades = 4 },
    };
    inspections [0].start = ow_date_from_iso ("2022-07-18");
    inspections [0].end = inspections [0].published = OW_DATE_NONE;
    inspections [1].start = ow_date_from_iso ("2026-05-11");
    inspections [1].end = ow_date_from_iso ("2026-05-22");
    inspections [1].published = ow_date_from_iso ("2026-07-07");
    model_history_t *history = (model_history_t *) model_history_by_code (f->model, HEREFORDSHIRE);
    history->inspections = inspections;
    history->n_inspections = 2;
    refresh (f);

    Ofwatch__V1__Summary *summary = view_summary (&f->view);
    const Ofwatch__V1__SummaryRow *row = NULL;
    for (size_t r = 0; r < summary->n_rows; r++)
        if (strcmp (summary->rows [r]->ons_code, HEREFORDSHIRE) == 0)
            row = summary->rows [r];
    assert_non_null (row);
    assert_string_equal (row->overall_effectiveness_grade, "not_reported_post_reform");
    assert_string_equal (row->inspection_start_date, "11/05/2026");
    assert_string_equal (row->impact_of_leaders_grade, "outstanding");
    assert_string_equal (row->in_care_grade, "good");
    assert_string_equal (row->care_leavers_grade, "good");
    ow_pb_free (&summary);

    //  No overall grade: not ranked, not counted among the graded, and
    //  out of inadequate.
    Ofwatch__V1__Benchmark *b = view_benchmark (&f->view, history);
    assert_int_equal (b->authority->overall, 0);
    assert_int_equal (b->authority->rank, 0);
    assert_string_equal (b->authority->inspected_on, "2026-05-11");
    assert_int_equal (b->groups [2]->graded, 0);
    assert_int_equal (b->groups [2]->inadequate_now, 0);
    assert_int_equal (b->n_spells, 1);
    assert_false (b->spells [0]->ongoing);
    ow_pb_free (&b);
    Ofwatch__V1__AuthorityHistory *h = view_history (&f->view, history);
    assert_int_equal (h->state->overall, 0);
    assert_false (h->state->inadequate);
    assert_string_equal (h->state->next->framework, "ilacs_april_2026");
    assert_int_equal (h->state->next->kind,
                      OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT);
    ow_pb_free (&h);
    history->inspections = NULL;
    history->n_inspections = 0;
    refresh (f);
}

static void
test_names_lower_case_as_the_sheet_writes_them (void **state)
{
    char *name = lower_words ("M\xc3\x81IRE O'Neill-SMITH");
    assert_string_equal (name, "m\xc3\xa1ire o'neill-smith");
    free (name);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_an_empty_model_answers_everything),
        cmocka_unit_test (test_one_history_shows_everywhere),
        cmocka_unit_test (test_the_2026_framework_is_not_reported_post_reform),
        cmocka_unit_test (test_an_april_2026_report_is_exported_and_left_unranked),
        cmocka_unit_test (test_names_lower_case_as_the_sheet_writes_them),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
