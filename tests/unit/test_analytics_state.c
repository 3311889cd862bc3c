/*  test_analytics_state — analytics' pure parts: the ILACS timetable (rules.c),
    an authority's state (state.c) and recurring themes (themes.c), on
    histories built by hand, and the set of committed dedupe keys
    (keyset.c).

    analytics is a program, not a library, so its modules are compiled
    into this test directly; none of them touches a socket or the
    database.
*/

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../services/analytics/keyset.c"
#include "../../services/analytics/model.c"
#include "../../services/analytics/rules.c"
#include "../../services/analytics/state.c"
#include "../../services/analytics/themes.c"
#include "../../services/analytics/grades.c"
#include "../../services/analytics/derive.c"

static int
day (const char *iso)
{
    int d = ow_date_from_iso (iso);
    assert_int_not_equal (d, OW_DATE_NONE);
    return d;
}

static void
expect_day (int actual, const char *iso)
{
    char text [11];
    ow_date_to_iso (actual, text);
    assert_string_equal (text, iso);
}

//  --------------------------------------------------------------------------
//  The timetable

static void
test_months_are_calendar_months (void **state)
{
    expect_day (rules_add_months (day ("2022-08-31"), 1), "2022-09-30");
    expect_day (rules_add_months (day ("2024-01-31"), 1), "2024-02-29");
    expect_day (rules_add_months (day ("2024-10-23"), 4), "2025-02-23");
    expect_day (rules_add_months (day ("2025-03-15"), -6), "2024-09-15");
    assert_int_equal (rules_add_months (OW_DATE_NONE, 3), OW_DATE_NONE);

    assert_int_equal (rules_months_between (day ("2022-07-18"), day ("2022-12-20")), 5);
    assert_int_equal (rules_months_between (day ("2022-07-18"), day ("2022-12-17")), 4);
    assert_int_equal (rules_months_between (day ("2022-07-18"), day ("2025-06-01")), 34);
    assert_int_equal (rules_months_between (day ("2022-07-18"), day ("2022-07-18")), 0);
    assert_int_equal (rules_months_between (day ("2023-01-01"), day ("2022-01-01")), 0);
    assert_int_equal (rules_months_between (OW_DATE_NONE, day ("2022-01-01")), 0);
}

#define OUTSTANDING OFWATCH__V1__GRADE__GRADE_OUTSTANDING
#define GOOD        OFWATCH__V1__GRADE__GRADE_GOOD
#define RI          OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT
#define INADEQUATE  OFWATCH__V1__GRADE__GRADE_INADEQUATE

static rules_grades_t
overall (Ofwatch__V1__Grade grade)
{
    return (rules_grades_t) { .overall = grade };
}

//  An April 2026 report: leaders, then help and protection, children in
//  care, care leavers; no overall.
static rules_grades_t
april_2026 (Ofwatch__V1__Grade leaders, Ofwatch__V1__Grade help, Ofwatch__V1__Grade in_care,
            Ofwatch__V1__Grade care_leavers)
{
    return (rules_grades_t) { .april_2026 = true, .leaders = leaders,
                              .practice = { help, in_care, care_leavers } };
}

static void
test_next_full_inspection_by_grade (void **state)
{
    rules_expectation_t next = { 0 };
    rules_grades_t grades = overall (GOOD);
    assert_true (rules_next_inspection (&grades, day ("2021-03-01"), &next));
    assert_int_equal (next.kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT);
    assert_string_equal (next.framework, RULES_ILACS);
    expect_day (next.earliest, "2023-09-01");
    expect_day (next.latest, "2024-09-01");
    grades = overall (RI);
    assert_true (rules_next_inspection (&grades, day ("2018-06-11"), &next));
    assert_int_equal (next.kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD);
    expect_day (next.earliest, "2020-12-11");
    expect_day (next.latest, "2021-12-11");
    grades = overall (INADEQUATE);
    assert_false (rules_next_inspection (&grades, day ("2022-07-18"), &next));
    grades = overall (0);
    assert_false (rules_next_inspection (&grades, day ("2022-07-18"), &next));
    grades = overall (GOOD);
    assert_false (rules_next_inspection (&grades, OW_DATE_NONE, &next));
}

//  Under the April 2026 framework no overall judgement decides: leaders
//  good or better and two of the three practice judgements good or
//  better lead to a focused visit and a short inspection.
static void
test_next_full_inspection_under_april_2026 (void **state)
{
    rules_expectation_t next = { 0 };
    //  West Northamptonshire, May 2026: outstanding, good, good, good.
    rules_grades_t grades = april_2026 (OUTSTANDING, GOOD, GOOD, GOOD);
    assert_true (rules_next_inspection (&grades, day ("2026-05-11"), &next));
    assert_int_equal (next.kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT);
    assert_string_equal (next.framework, RULES_ILACS_APRIL_2026);
    assert_non_null (strstr (next.rule, "focused visit"));
    expect_day (next.earliest, "2028-11-11");
    expect_day (next.latest, "2029-11-11");
    //  Two of three good is enough; one is not.
    grades = april_2026 (GOOD, GOOD, RI, GOOD);
    assert_true (rules_next_inspection (&grades, day ("2026-05-11"), &next));
    assert_int_equal (next.kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT);
    grades = april_2026 (GOOD, RI, RI, GOOD);
    assert_true (rules_next_inspection (&grades, day ("2026-05-11"), &next));
    assert_int_equal (next.kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD);
    assert_null (strstr (next.rule, "focused visit"));
    //  Leaders short of good, whatever the practice.
    grades = april_2026 (RI, OUTSTANDING, OUTSTANDING, OUTSTANDING);
    assert_true (rules_next_inspection (&grades, day ("2026-05-11"), &next));
    assert_int_equal (next.kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD);
    //  Anything inadequate: monitoring, not an inspection (rules_next_visit).
    grades = april_2026 (INADEQUATE, INADEQUATE, GOOD, RI);
    assert_false (rules_next_inspection (&grades, day ("2026-05-11"), &next));
    grades = april_2026 (GOOD, GOOD, GOOD, INADEQUATE);
    assert_false (rules_next_inspection (&grades, day ("2026-05-11"), &next));
}

static void
test_next_area_send_inspection_as_the_report_says (void **state)
{
    rules_expectation_t next = { 0 };
    assert_true (rules_next_send (OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_FULL_WITHIN_5_YEARS,
                                  day ("2024-05-15"), &next));
    assert_int_equal (next.kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND);
    assert_string_equal (next.framework, RULES_AREA_SEND);
    expect_day (next.latest, "2029-05-15");
    assert_true (rules_next_send (OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_FULL_WITHIN_3_YEARS,
                                  day ("2024-05-15"), &next));
    expect_day (next.latest, "2027-05-15");
    assert_true (rules_next_send (
        OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_MONITORING_WITHIN_18_MONTHS,
        day ("2024-05-15"), &next));
    assert_int_equal (next.kind,
                      OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND_MONITORING);
    expect_day (next.latest, "2025-11-15");
    assert_false (rules_next_send (0, day ("2024-05-15"), &next));
    assert_false (rules_next_send (
        OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_FULL_WITHIN_5_YEARS, OW_DATE_NONE, &next));
}

static void
test_monitoring_visits_every_three_months (void **state)
{
    rules_expectation_t next = { 0 };
    rules_next_visit (OW_DATE_NONE, day ("2022-09-21"), 0, &next);
    assert_int_equal (next.kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT);
    expect_day (next.earliest, "2022-12-21");
    expect_day (next.latest, "2023-04-21");
    rules_next_visit (day ("2024-10-23"), day ("2022-09-21"), 5, &next);
    expect_day (next.earliest, "2024-12-23");
    expect_day (next.latest, "2025-02-23");
    assert_null (strstr (next.rule, "re-inspection"));
    rules_next_visit (day ("2024-10-23"), day ("2022-09-21"), 6, &next);
    assert_non_null (strstr (next.rule, "re-inspection"));
}

//  --------------------------------------------------------------------------
//  Deriving: main.c's functions, here keeping what is derived, each cause
//  once, as store's log does.

static keyset_t *s_keys;
static Ofwatch__V1__Event *s_derived [256];
static char *s_derived_keys [256];
static size_t s_n_derived;

bool
analytics_known (analytics_t *self, const char *dedupe_key)
{
    return s_keys && keyset_contains (s_keys, dedupe_key);
}

void
analytics_emit (analytics_t *self, const char *dedupe_key, Ofwatch__V1__Event *event)
{
    if (!s_keys)
        s_keys = keyset_new ();
    if (!keyset_add (s_keys, dedupe_key) || s_n_derived == 256) {
        ow_pb_free (&event);
        return;
    }
    s_derived_keys [s_n_derived] = ow_strdup (dedupe_key);
    s_derived [s_n_derived++] = event;
}

//  The log's status changes are those derived so far.
bool
analytics_status_marks (analytics_t *self, const char *authority, analytics_mark_t **marks,
                        size_t *count)
{
    *marks = ow_calloc (s_n_derived + 1, sizeof (analytics_mark_t));
    *count = 0;
    for (size_t i = 0; i < s_n_derived; i++)
        if (s_derived [i]->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED
            && strcmp (s_derived [i]->authority, authority) == 0)
            (*marks) [(*count)++] = (analytics_mark_t) {
                strcmp (s_derived [i]->payload->status_changed->direction, "entered") == 0,
                s_derived [i]->payload->status_changed->inspection_id };
    return true;
}

static void
forget_derived (void)
{
    for (size_t i = 0; i < s_n_derived; i++) {
        ow_pb_free (&s_derived [i]);
        free (s_derived_keys [i]);
    }
    s_n_derived = 0;
    keyset_destroy (&s_keys);
}

//  The derived events of a type, in the order they were derived.
static size_t
derived_of (Ofwatch__V1__EventType type, const Ofwatch__V1__Event **events, size_t most)
{
    size_t count = 0;
    for (size_t i = 0; i < s_n_derived; i++)
        if (s_derived [i]->type == type && count < most)
            events [count++] = s_derived [i];
    return count;
}

#define STATUS_CHANGED OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED
#define VISIT_OVERDUE  OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_VISIT_OVERDUE
#define GRADE_CHANGED  OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED

//  --------------------------------------------------------------------------
//  Histories by hand

static ow_authority_t s_herefordshire = { .code = "E06000019", .name = "Herefordshire",
                                          .la_code = "884", .urn = "80474",
                                          .region_name = "West Midlands" };

static model_grade_t s_ri [] = {
    { "leaders", OFWATCH__V1__GRADE__GRADE_INADEQUATE },
    { "overall", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT } };
static model_grade_t s_inadequate [] = {
    { "leaders", OFWATCH__V1__GRADE__GRADE_INADEQUATE },
    { "overall", OFWATCH__V1__GRADE__GRADE_INADEQUATE } };
static model_grade_t s_good [] = { { "overall", OFWATCH__V1__GRADE__GRADE_GOOD } };

static model_finding_t s_findings_2018 [] = {
    { OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED,
      OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT, "Supervision.", "a2018", 0, 0 },
    { OFWATCH__V1__POLARITY__POLARITY_WEAKNESS, OFWATCH__V1__THEME__THEME_OTHER,
      "Something.", "a2018", 0, 0 } };
static model_finding_t s_findings_2022 [] = {
    { OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED,
      OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT, "Oversight and grip.", "b2022", 0, 0 },
    { OFWATCH__V1__POLARITY__POLARITY_WEAKNESS, OFWATCH__V1__THEME__THEME_OTHER,
      "Something else.", "b2022", 0, 0 },
    { OFWATCH__V1__POLARITY__POLARITY_STRENGTH, OFWATCH__V1__THEME__THEME_WORKFORCE,
      "Staff like working here.", "b2022", 0, 0 } };
static model_finding_t s_findings_2024 [] = {
    { OFWATCH__V1__POLARITY__POLARITY_WEAKNESS, OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT,
      "Supervision does not address drift.", "c2024", 0, 0 },
    { OFWATCH__V1__POLARITY__POLARITY_WEAKNESS, OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT,
      "Closure decisions are less strong.", "c2024", 0, 0 },
    { OFWATCH__V1__POLARITY__POLARITY_STRENGTH, OFWATCH__V1__THEME__THEME_WORKFORCE,
      "Caseloads are manageable.", "c2024", 0, 0 } };

//  An inspection with the given grades and findings.
static model_inspection_t
inspection (int64_t id, Ofwatch__V1__InspectionKind kind, const char *start,
            const char *published, model_grade_t *grades, size_t n_grades,
            model_finding_t *findings, size_t n_findings)
{
    model_inspection_t i = {
        .id = id, .kind = kind, .start = start ? day (start) : OW_DATE_NONE,
        .end = OW_DATE_NONE, .published = published ? day (published) : OW_DATE_NONE,
        .lead_inspector = "", .inadequate_since = "", .sha256 = "",
        .grades = grades, .n_grades = n_grades, .findings = findings, .n_findings = n_findings
    };
    return i;
}

#define ILACS   OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD
#define VISIT   OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT

//  Herefordshire as the samples tell it, with a council paper's undated
//  "judged inadequate" on top.
static model_inspection_t s_inspections [5];

static model_history_t
herefordshire (void)
{
    s_inspections [0] = inspection (1, ILACS, "2018-06-11", "2018-07-23", s_ri, 2,
                                    s_findings_2018, 2);
    s_inspections [1] = inspection (2, ILACS, "2022-07-18", "2022-09-21", s_inadequate, 2,
                                    s_findings_2022, 3);
    s_inspections [2] = inspection (3, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS, NULL,
                                    "2023-06-22", s_inadequate + 1, 1, NULL, 0);
    s_inspections [3] = inspection (4, VISIT, "2023-03-29", "2023-06-22", NULL, 0, NULL, 0);
    s_inspections [3].visit_number = 1;
    s_inspections [4] = inspection (5, VISIT, "2024-10-22", "2024-12-04", NULL, 0,
                                    s_findings_2024, 3);
    s_inspections [4].end = day ("2024-10-23");
    s_inspections [4].visit_number = 5;
    s_inspections [4].inadequate_since = "2022-07";
    //  The model orders by fieldwork, else publication.
    model_inspection_t visit = s_inspections [3];
    s_inspections [3] = s_inspections [2];
    s_inspections [2] = visit;
    model_history_t history = { .authority = &s_herefordshire, .inspections = s_inspections,
                                .n_inspections = 5 };
    return history;
}

static void
test_state_of_an_inadequate_authority (void **state)
{
    model_history_t history = herefordshire ();
    state_t s;
    state_compute (&history, day ("2025-06-01"), &s);
    assert_ptr_equal (s.latest, &s_inspections [1]);          // not the undated one
    assert_int_equal (s.overall, OFWATCH__V1__GRADE__GRADE_INADEQUATE);
    assert_true (s.inadequate);
    expect_day (s.inadequate_since, "2022-07-18");
    expect_day (s.inadequate_published, "2022-09-21");
    assert_int_equal (s.months_inadequate, 34);
    assert_int_equal (s.monitoring_visits, 5);                // the letter numbers it fifth
    expect_day (s.last_visit, "2024-10-23");
    assert_true (s.has_next);
    expect_day (s.next.latest, "2025-02-23");
    assert_int_equal (s.n_spells, 1);
    assert_int_equal (s.spells [0].to, OW_DATE_NONE);

    Ofwatch__V1__AuthorityState *message = state_message (&history, day ("2025-06-01"));
    assert_string_equal (message->inadequate_since, "2022-07-18");
    assert_true (message->next->overdue);
    //  leaders has been inadequate since 2018, overall since 2022.
    assert_int_equal (message->n_areas, 2);
    assert_string_equal (message->areas [0]->area, "overall");
    assert_string_equal (message->areas [0]->since, "2022-07-18");
    assert_string_equal (message->areas [1]->area, "leaders");
    assert_string_equal (message->areas [1]->since, "2018-06-11");
    ow_pb_free (&message);
}

static void
test_a_letter_alone_says_inadequate (void **state)
{
    model_inspection_t letter = inspection (9, VISIT, "2024-10-22", "2024-12-04", NULL, 0,
                                            NULL, 0);
    letter.inadequate_since = "2022-07";
    letter.visit_number = 5;
    model_history_t history = { .authority = &s_herefordshire, .inspections = &letter,
                                .n_inspections = 1 };
    state_t s;
    state_compute (&history, day ("2024-12-20"), &s);
    assert_null (s.latest);
    assert_true (s.inadequate);
    expect_day (s.inadequate_since, "2022-07-01");
    assert_string_equal (s.inadequate_month, "2022-07");
    assert_int_equal (s.monitoring_visits, 5);
    assert_int_equal (s.months_inadequate, 29);
    Ofwatch__V1__AuthorityState *message = state_message (&history, day ("2024-12-20"));
    assert_string_equal (message->inadequate_since, "2022-07");
    ow_pb_free (&message);
}

static void
test_a_spell_ends_at_a_better_inspection (void **state)
{
    model_inspection_t inspections [] = {
        inspection (1, ILACS, "2015-03-02", "2015-05-01", s_inadequate + 1, 1, NULL, 0),
        inspection (2, ILACS, "2018-03-05", "2018-05-01", s_good, 1, NULL, 0),
    };
    model_history_t history = { .authority = &s_herefordshire, .inspections = inspections,
                                .n_inspections = 2 };
    state_t s;
    state_compute (&history, day ("2020-01-01"), &s);
    assert_false (s.inadequate);
    assert_int_equal (s.months_inadequate, 0);
    assert_int_equal (s.n_spells, 1);
    expect_day (s.spells [0].from, "2015-03-02");
    expect_day (s.spells [0].to, "2018-03-05");
    assert_int_equal (s.spells [0].months, 36);
    assert_true (s.has_next);
    assert_int_equal (s.next.kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT);
    expect_day (s.next.earliest, "2020-09-05");
}

static void
test_nothing_known (void **state)
{
    model_history_t history = { .authority = &s_herefordshire };
    state_t s;
    state_compute (&history, day ("2020-01-01"), &s);
    assert_null (s.latest);
    assert_false (s.inadequate);
    assert_false (s.has_next);
    assert_int_equal (s.n_spells, 0);
}


//  --------------------------------------------------------------------------
//  The April 2026 framework, status and overdue visits

static model_grade_t s_good_2022 [] = {
    { "leaders", OFWATCH__V1__GRADE__GRADE_GOOD },
    { "help_and_protection", OFWATCH__V1__GRADE__GRADE_GOOD },
    { "in_care_and_care_leavers", OFWATCH__V1__GRADE__GRADE_GOOD },
    { "overall", OFWATCH__V1__GRADE__GRADE_GOOD } };
//  As Trafford's June 2026 report reads: four judgements, no overall.
static model_grade_t s_trafford_2026 [] = {
    { "leaders", OFWATCH__V1__GRADE__GRADE_INADEQUATE },
    { "help_and_protection", OFWATCH__V1__GRADE__GRADE_INADEQUATE },
    { "in_care", OFWATCH__V1__GRADE__GRADE_GOOD },
    { "care_leavers", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT } };

static void
test_an_april_2026_report_without_overall_is_the_latest (void **state)
{
    model_inspection_t inspections [] = {
        inspection (1, ILACS, "2022-03-07", "2022-04-29", s_good_2022, 4, NULL, 0),
        inspection (2, ILACS, "2026-06-08", "2026-07-24", s_trafford_2026, 4, NULL, 0),
    };
    model_history_t history = { .authority = &s_herefordshire, .inspections = inspections,
                                .n_inspections = 2 };
    assert_true (model_is_post_reform (&inspections [1]));
    assert_false (model_is_post_reform (&inspections [0]));
    state_t s;
    state_compute (&history, day ("2026-10-01"), &s);
    assert_ptr_equal (s.latest, &inspections [1]);
    assert_int_equal (s.overall, 0);                          // not guessed
    assert_true (s.inadequate);
    expect_day (s.inadequate_since, "2026-06-08");
    expect_day (s.inadequate_published, "2026-07-24");
    assert_true (s.has_next);
    assert_int_equal (s.next.kind, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT);
    assert_string_equal (s.next.framework, RULES_MONITORING);
    Ofwatch__V1__AuthorityState *message = state_message (&history, day ("2026-10-01"));
    assert_int_equal (message->overall, 0);
    assert_true (message->inadequate);
    assert_int_equal (message->n_areas, 4);                   // no overall among them
    assert_string_equal (message->next->framework, RULES_MONITORING);
    ow_pb_free (&message);

    //  It enters inadequate; the overall judgement did not change, since
    //  the 2026 report has none.
    analytics_derive_grades (NULL, &history);
    const Ofwatch__V1__Event *events [8];
    assert_int_equal (derived_of (STATUS_CHANGED, events, 8), 1);
    assert_string_equal (events [0]->payload->status_changed->direction, "entered");
    assert_int_equal (events [0]->payload->status_changed->inspection_id, 2);
    assert_string_equal (events [0]->occurred_on, "2026-07-24");
    size_t changes = derived_of (GRADE_CHANGED, events, 8);
    assert_int_equal (changes, 2);                            // leaders, help and protection
    for (size_t i = 0; i < changes; i++)
        assert_string_not_equal (events [i]->payload->judgement_changed->area, "overall");
    forget_derived ();
}

static void
test_an_inadequate_area_under_a_better_overall_is_not_inadequate (void **state)
{
    //  Doncaster, February 2022: leaders inadequate, overall requires
    //  improvement, as the report prints it.
    model_inspection_t inspections [] = {
        inspection (1, ILACS, "2022-02-14", "2022-04-08", s_ri, 2, NULL, 0),
    };
    model_history_t history = { .authority = &s_herefordshire, .inspections = inspections,
                                .n_inspections = 1 };
    state_t s;
    state_compute (&history, day ("2022-06-01"), &s);
    assert_false (s.inadequate);
    assert_int_equal (s.overall, OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT);
    assert_string_equal (s.next.framework, RULES_ILACS);
    analytics_derive_grades (NULL, &history);
    const Ofwatch__V1__Event *events [4];
    assert_int_equal (derived_of (STATUS_CHANGED, events, 4), 0);
    forget_derived ();
}

static model_grade_t s_outstanding [] = { { "overall", OFWATCH__V1__GRADE__GRADE_OUTSTANDING } };

//  Norfolk as a load may bring it: its 2013 inadequate inspection and its
//  2022 one first, the 2015 and 2017 ones later.
static void
test_status_changes_alternate_however_a_history_grows (void **state)
{
    model_inspection_t partial [] = {
        inspection (1, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SLAC, "2013-07-08",
                    "2013-08-16", s_inadequate + 1, 1, NULL, 0),
        inspection (4, ILACS, "2022-11-07", "2023-01-13", s_good, 1, NULL, 0),
    };
    model_history_t history = { .authority = &s_herefordshire, .inspections = partial,
                                .n_inspections = 2 };
    analytics_derive_grades (NULL, &history);
    model_inspection_t whole [] = {
        partial [0],
        inspection (2, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF, "2015-07-06",
                    "2015-10-19", s_inadequate + 1, 1, NULL, 0),
        inspection (3, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF_REINSPECTION,
                    "2017-11-13", "2018-01-19", s_ri + 1, 1, NULL, 0),
        partial [1],
        inspection (5, ILACS, "2026-02-23", "2026-05-18", s_outstanding, 1, NULL, 0),
    };
    history = (model_history_t) { .authority = &s_herefordshire, .inspections = whole,
                                  .n_inspections = 5 };
    analytics_derive_grades (NULL, &history);
    //  The whole history leaves at 2017, but the log already says it left:
    //  no second "left".
    const Ofwatch__V1__Event *events [8];
    assert_int_equal (derived_of (STATUS_CHANGED, events, 8), 2);
    assert_string_equal (events [0]->payload->status_changed->direction, "entered");
    assert_string_equal (events [1]->payload->status_changed->direction, "left");

    //  Inadequate again later: entering again.
    model_inspection_t again [] = {
        whole [0], whole [1], whole [2], whole [3], whole [4],
        inspection (6, ILACS, "2029-01-08", "2029-03-01", s_inadequate + 1, 1, NULL, 0),
    };
    history.inspections = again;
    history.n_inspections = 6;
    analytics_derive_grades (NULL, &history);
    assert_int_equal (derived_of (STATUS_CHANGED, events, 8), 3);
    assert_string_equal (events [2]->payload->status_changed->direction, "entered");
    assert_int_equal (events [2]->payload->status_changed->inspection_id, 6);

    //  No monitoring visit is overdue for an authority out of inadequate,
    //  whatever its spells in the past lacked.
    history.inspections = whole;
    history.n_inspections = 5;
    analytics_derive_time (NULL, &history, day ("2026-12-04"));
    assert_int_equal (derived_of (VISIT_OVERDUE, events, 8), 0);
    forget_derived ();
}

//  A spell that comes to light before those already in the log: each
//  change once, and the log still alternates.
static void
test_an_earlier_spell_arriving_late (void **state)
{
    model_inspection_t later [] = {
        inspection (39, ILACS, "2022-07-18", "2022-09-21", s_inadequate + 1, 1, NULL, 0),
        inspection (50, ILACS, "2025-11-10", "2026-01-12", s_good, 1, NULL, 0),
    };
    model_history_t history = { .authority = &s_herefordshire, .inspections = later,
                                .n_inspections = 2 };
    analytics_derive_grades (NULL, &history);
    model_inspection_t whole [] = {
        inspection (20, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF, "2013-01-07",
                    "2013-03-01", s_inadequate + 1, 1, NULL, 0),
        inspection (30, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF, "2016-01-11",
                    "2016-03-01", s_good, 1, NULL, 0),
        later [0], later [1],
    };
    history.inspections = whole;
    history.n_inspections = 4;
    analytics_derive_grades (NULL, &history);
    analytics_derive_grades (NULL, &history);                 // again: nothing new
    const Ofwatch__V1__Event *events [8];
    assert_int_equal (derived_of (STATUS_CHANGED, events, 8), 4);
    static const char *directions [] = { "entered", "left", "entered", "left" };
    static const int64_t ids [] = { 39, 50, 20, 30 };
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal (events [i]->payload->status_changed->direction, directions [i]);
        assert_int_equal (events [i]->payload->status_changed->inspection_id, ids [i]);
    }
    forget_derived ();
}

static void
test_a_visit_is_overdue_only_while_inadequate (void **state)
{
    model_history_t history = herefordshire ();
    //  After the fifth visit (2024-10-23) the next was due by 2025-02-23.
    analytics_derive_time (NULL, &history, day ("2025-02-23"));
    const Ofwatch__V1__Event *events [4];
    assert_int_equal (derived_of (VISIT_OVERDUE, events, 4), 0);
    //  From a history still moving, one that would be raised waits; one
    //  with nothing overdue has nothing to wait for.
    assert_false (analytics_derive_overdue (NULL, &history, day ("2025-06-01"), false));
    assert_true (analytics_derive_overdue (NULL, &history, day ("2025-02-23"), false));
    assert_int_equal (derived_of (VISIT_OVERDUE, events, 4), 0);
    analytics_derive_time (NULL, &history, day ("2025-06-01"));
    assert_int_equal (derived_of (VISIT_OVERDUE, events, 4), 1);
    assert_string_equal (events [0]->occurred_on, "2025-02-24");
    assert_string_equal (events [0]->payload->visit_overdue->last_visit, "2024-10-23");
    forget_derived ();
}

//  A council's paper knows an inspection only to the month.
static void
test_a_month_stays_a_month (void **state)
{
    model_inspection_t inspections [] = {
        inspection (1, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SLAC, "2012-09-01", NULL,
                    s_inadequate + 1, 1, NULL, 0),
        inspection (2, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF, "2014-04-29",
                    "2014-06-30", s_ri + 1, 1, NULL, 0),
    };
    inspections [0].start_month = true;
    model_history_t history = { .authority = &s_herefordshire, .inspections = inspections,
                                .n_inspections = 2 };
    assert_true (model_is_dated_full (&inspections [0]));
    Ofwatch__V1__InspectionFacts *facts = hi_inspection_facts (&inspections [0]);
    assert_string_equal (facts->start_date, "2012-09");
    ow_pb_free (&facts);
    state_t s;
    state_compute (&history, day ("2015-01-01"), &s);
    assert_int_equal (s.n_spells, 1);
    expect_day (s.spells [0].from, "2012-09-01");
    analytics_derive_grades (NULL, &history);
    const Ofwatch__V1__Event *events [4];
    assert_int_equal (derived_of (STATUS_CHANGED, events, 4), 2);
    assert_string_equal (events [0]->occurred_on, "");        // no day made up
    assert_string_equal (events [1]->occurred_on, "2014-06-30");
    forget_derived ();
}

static void
test_an_area_send_inspection_is_not_a_childrens_services_one (void **state)
{
    model_grade_t send_grades [] = { { "overall", OFWATCH__V1__GRADE__GRADE_INADEQUATE } };
    model_inspection_t inspections [] = {
        inspection (1, ILACS, "2022-03-07", "2022-04-29", s_good_2022, 4, NULL, 0),
        inspection (2, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND, "2024-03-11",
                    "2024-05-15", send_grades, 1, NULL, 0),
    };
    inspections [1].outcome = OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_WIDESPREAD_FAILINGS;
    inspections [1].next_inspection =
        OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_MONITORING_WITHIN_18_MONTHS;
    model_history_t history = { .authority = &s_herefordshire, .inspections = inspections,
                                .n_inspections = 2 };
    state_t s;
    state_compute (&history, day ("2024-06-01"), &s);
    assert_ptr_equal (s.latest, &inspections [0]);
    assert_false (s.inadequate);
    assert_ptr_equal (s.send, &inspections [1]);
    assert_true (s.has_send_next);
    expect_day (s.send_next.latest, "2025-11-15");
    Ofwatch__V1__AuthorityState *message = state_message (&history, day ("2024-06-01"));
    assert_int_equal (message->send_outcome,
                      OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_WIDESPREAD_FAILINGS);
    assert_string_equal (message->send_inspected_on, "2024-03-11");
    assert_int_equal (message->send_next->kind,
                      OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND_MONITORING);
    assert_string_equal (message->next->framework, RULES_ILACS);
    ow_pb_free (&message);
    //  Neither a grade change between the SEND outcome and an ILACS grade,
    //  nor a status change, nor a deadline from it.
    analytics_derive_grades (NULL, &history);
    analytics_derive_time (NULL, &history, day ("2026-01-01"));
    assert_int_equal (s_n_derived, 0);
    forget_derived ();
}

//  --------------------------------------------------------------------------
//  Themes

static void
test_a_weakness_found_twice_recurs (void **state)
{
    model_history_t history = herefordshire ();
    Ofwatch__V1__ThemeRecurring **recurring = NULL;
    size_t count = 0;
    themes_recurring (&history, &recurring, &count);
    //  management oversight in 2018, 2022 and 2024; "other" twice but it
    //  names nothing; workforce only as strengths.
    assert_int_equal (count, 1);
    assert_int_equal (recurring [0]->theme, OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT);
    assert_int_equal (recurring [0]->n_occurrences, 4);
    assert_string_equal (recurring [0]->occurrences [0]->date, "2018-06-11");
    assert_string_equal (recurring [0]->occurrences [0]->source_sha256, "a2018");
    assert_string_equal (recurring [0]->occurrences [3]->text, "Closure decisions are less strong.");
    char *ids = themes_inspection_ids (recurring [0]);
    assert_string_equal (ids, "1,2,5");
    free (ids);
    ow_pb_free (&recurring [0]);
    free (recurring);
}

static void
test_theme_counts_by_distinct_inspection (void **state)
{
    model_history_t history = herefordshire ();
    Ofwatch__V1__ThemesReply *reply = themes_reply (NULL, &history, OW_DATE_NONE);
    assert_int_equal (reply->inspections, 3);                 // those with findings
    assert_true (reply->n_themes >= 2);
    assert_int_equal (reply->themes [0]->theme, OFWATCH__V1__THEME__THEME_MANAGEMENT_OVERSIGHT);
    assert_int_equal (reply->themes [0]->inspections, 3);
    assert_int_equal (reply->themes [0]->findings, 4);
    assert_int_equal (reply->themes [0]->recurring_authorities, 1);
    assert_string_equal (reply->themes [0]->first_seen, "2018-06-11");
    assert_string_equal (reply->themes [0]->last_seen, "2024-10-22");
    ow_pb_free (&reply);

    reply = themes_reply (NULL, &history, day ("2022-01-01"));
    assert_int_equal (reply->inspections, 2);
    assert_int_equal (reply->themes [0]->inspections, 2);
    assert_string_equal (reply->since, "2022-01-01");
    ow_pb_free (&reply);
}

static void
test_keyset_remembers_keys_through_growth (void **state)
{
    keyset_t *set = keyset_new ();
    char key [64];
    for (int i = 0; i < 10000; i++) {
        snprintf (key, sizeof key, "judgement.changed/E06000019/overall/%d", i);
        assert_true (keyset_add (set, key));
    }
    assert_int_equal (keyset_size (set), 10000);
    //  A key added again is not new; every key survives the table's growth.
    assert_false (keyset_add (set, "judgement.changed/E06000019/overall/17"));
    for (int i = 0; i < 10000; i++) {
        snprintf (key, sizeof key, "judgement.changed/E06000019/overall/%d", i);
        assert_true (keyset_contains (set, key));
    }
    assert_false (keyset_contains (set, "judgement.changed/E06000019/overall/10000"));
    assert_false (keyset_contains (set, ""));
    keyset_clear (set);
    assert_int_equal (keyset_size (set), 0);
    assert_false (keyset_contains (set, "judgement.changed/E06000019/overall/17"));
    assert_true (keyset_add (set, "judgement.changed/E06000019/overall/17"));
    keyset_destroy (&set);
    assert_null (set);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_keyset_remembers_keys_through_growth),
        cmocka_unit_test (test_months_are_calendar_months),
        cmocka_unit_test (test_next_full_inspection_by_grade),
        cmocka_unit_test (test_next_full_inspection_under_april_2026),
        cmocka_unit_test (test_next_area_send_inspection_as_the_report_says),
        cmocka_unit_test (test_monitoring_visits_every_three_months),
        cmocka_unit_test (test_state_of_an_inadequate_authority),
        cmocka_unit_test (test_a_letter_alone_says_inadequate),
        cmocka_unit_test (test_a_spell_ends_at_a_better_inspection),
        cmocka_unit_test (test_nothing_known),
        cmocka_unit_test (test_an_april_2026_report_without_overall_is_the_latest),
        cmocka_unit_test (test_an_inadequate_area_under_a_better_overall_is_not_inadequate),
        cmocka_unit_test (test_status_changes_alternate_however_a_history_grows),
        cmocka_unit_test (test_an_earlier_spell_arriving_late),
        cmocka_unit_test (test_a_visit_is_overdue_only_while_inadequate),
        cmocka_unit_test (test_a_month_stays_a_month),
        cmocka_unit_test (test_an_area_send_inspection_is_not_a_childrens_services_one),
        cmocka_unit_test (test_a_weakness_found_twice_recurs),
        cmocka_unit_test (test_theme_counts_by_distinct_inspection),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
