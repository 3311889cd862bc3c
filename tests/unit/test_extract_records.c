/*  test_extract_records — structured feeds: CSV with the summary columns
    of CONTRACTS.md section 6, JSON in the shape of section 4, and the
    JSON reader under them.
*/

#include "test_extract_support.h"

static Ofwatch__V1__Extraction *
extract_string (const char *text, const char *name, char **error)
{
    extract_input_t input = { (const uint8_t *) text, strlen (text), name, NULL, NULL, false };
    return extract_document (s_register, &input, NULL, error);
}

static void
test_summary_csv (void **state)
{
    (void) state;
    const char *csv =
        "urn,la_code,ltla23cd,local_authority,overall_effectiveness_grade,inspection_framework,"
        "inspector_name,inspection_start_date,inspection_end_date,publication_date,"
        "impact_of_leaders_grade,help_and_protection_grade,in_care_grade,care_leavers_grade,notes\n"
        "80474,884,E06000019,Herefordshire,inadequate,standard,lisa summers,18/07/2022,29/07/2022,"
        "21/09/22,inadequate,inadequate,inadequate,inspection_pre_dates_judgement,\"a, quoted\"\n"
        "80474,884,E06000019,Herefordshire,requires improvement,short,pauline higham,11/06/2018,"
        "15/06/2018,23/07/18,inadequate,requires improvement,good,requires improvement,\n"
        "80560,342,E08000013,St. Helens,inadequate,standard,lorna schlechte,23/09/2019,04/10/2019,"
        "04/11/19,requires improvement,requires improvement,inadequate,inspection_pre_dates_judgement,\n"
        ",,,Atlantis,good,standard,nobody,01/01/2020,02/01/2020,03/02/20,good,good,good,good,\n";
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_string (csv, "summary.csv", &error);
    if (!x)
        fail_msg ("refused: %s", error);
    assert_string_equal (x->media_type, "text/csv");
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "records");
    assert_string_equal (x->authority->code, "E06000019");
    assert_int_equal (x->n_events, 3);
    Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_null (e->authority);             //  the document's
    assert_string_equal (ow_kind_word (e->kind), "ilacs_standard");
    assert_string_equal (e->start_date, "2022-07-18");
    assert_string_equal (e->end_date, "2022-07-29");
    assert_string_equal (e->lead_inspector, "Lisa Summers");
    assert_grade (e, "in_care_and_care_leavers", "inadequate");
    assert_null (grade_of (e, "care_leavers"));
    //  Each row's publication is its own; the feed has none of its own.
    assert_string_equal (e->published_on, "2022-09-21");
    assert_string_equal (x->published_on, "");
    e = x->events [1];
    assert_string_equal (e->published_on, "2018-07-23");
    assert_string_equal (ow_kind_word (e->kind), "ilacs_short");
    assert_grade (e, "help_and_protection", "requires_improvement");
    assert_grade (e, "in_care", "good");
    assert_grade (e, "care_leavers", "requires_improvement");
    //  A summary sheet covers many authorities: the St Helens row is an
    //  event that names its own; the Atlantis row is skipped, with a warning.
    e = x->events [2];
    assert_non_null (e->authority);
    assert_string_equal (e->authority->code, "E08000013");
    assert_string_equal (e->authority->name, "St. Helens");
    assert_string_equal (e->start_date, "2019-09-23");
    assert_string_equal (e->published_on, "2019-11-04");
    assert_grade (e, "overall", "inadequate");
    assert_int_equal (x->n_warnings, 1);
    assert_non_null (strstr (x->warnings [0], "1 rows skipped"));
    ow_pb_free (&x);
}

static void
test_section_4_json (void **state)
{
    (void) state;
    const char *json =
        "[{\"authority\": {\"code\": \"E06000019\", \"name\": \"Herefordshire\"},"
        "  \"published_on\": \"2022-09-21\","
        "  \"events\": [{\"kind\": \"ilacs_standard\", \"start_date\": \"2022-07-18\","
        "     \"end_date\": \"2022-07-29\", \"visit_number\": null, \"lead_inspector\": \"Lisa Summers\","
        "     \"inspectors\": [\"Lisa Summers\"], \"judgements\": {\"leaders\": \"inadequate\","
        "     \"overall\": \"inadequate\", \"nonsense\": \"good\"},"
        "     \"improvements\": [\"Corporate responsibility \\u2026\"],"
        "     \"findings\": [{\"polarity\": \"weakness\", \"theme\": \"management_oversight\","
        "        \"text\": \"Managers do not oversee plans.\", \"start\": 10, \"end\": 40},"
        "       {\"polarity\": \"strength\", \"text\": \"Social workers know their children well.\"},"
        "       {\"polarity\": \"sideways\", \"text\": \"Not a polarity of the vocabulary.\"}]}]},"
        " {\"authority\": \"St Helens\", \"events\": [{\"kind\": \"monitoring_visit\", \"visit_number\": 2},"
        "   {\"kind\": \"area_send\", \"start_date\": \"2024-03-11\", \"end_date\": \"2024-03-15\","
        "    \"published_on\": \"2024-05-15\", \"outcome\": \"widespread_failings\","
        "    \"next_inspection\": \"monitoring_within_18_months\","
        "    \"previous_start_date\": \"2018-01-22\", \"previous_end_date\": \"2018-01-26\"},"
        "   {\"kind\": \"ilacs\", \"start_date\": \"2019-09\", \"outcome\": \"splendid\"}]},"
        " {\"authority\": \"Atlantis\", \"events\": [{\"kind\": \"focused_visit\"}]}]";
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_string (json, "records.json", &error);
    if (!x)
        fail_msg ("refused: %s", error);
    assert_string_equal (x->media_type, "application/json");
    assert_string_equal (x->authority->code, "E06000019");
    assert_string_equal (x->published_on, "");
    assert_int_equal (x->n_events, 4);
    Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_string_equal (e->published_on, "2022-09-21");    //  its record's
    assert_string_equal (ow_kind_word (e->kind), "ilacs_standard");
    assert_int_equal (e->n_judgements, 2);
    assert_grade (e, "leaders", "inadequate");
    assert_string_equal (e->improvements [0], "Corporate responsibility \xE2\x80\xA6");
    //  Findings as given; a missing theme is classified from the text, an
    //  unknown polarity skips the finding.
    assert_int_equal (e->n_findings, 2);
    assert_string_equal (ow_polarity_word (e->findings [0]->polarity), "weakness");
    assert_string_equal (ow_theme_word (e->findings [0]->theme), "management_oversight");
    assert_string_equal (e->findings [0]->text, "Managers do not oversee plans.");
    assert_int_equal (e->findings [0]->start, 10);
    assert_int_equal (e->findings [0]->end, 40);
    assert_string_equal (ow_polarity_word (e->findings [1]->polarity), "strength");
    assert_true (e->findings [1]->theme != 0);
    //  The St Helens record is an event naming its authority.
    e = x->events [1];
    assert_string_equal (e->authority->code, "E08000013");
    assert_int_equal (e->visit_number, 2);
    assert_string_equal (e->published_on, "");              //  its record gives none
    //  An area SEND inspection: its outcome, what follows, the one before.
    e = x->events [2];
    assert_string_equal (ow_kind_word (e->kind), "area_send");
    assert_string_equal (e->published_on, "2024-05-15");    //  its own
    assert_int_equal (e->outcome, OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_WIDESPREAD_FAILINGS);
    assert_int_equal (e->next_inspection,
                      OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_MONITORING_WITHIN_18_MONTHS);
    assert_string_equal (e->previous_start_date, "2018-01-22");
    assert_string_equal (e->previous_end_date, "2018-01-26");
    //  A month stays a month; an outcome the vocabulary lacks is dropped.
    e = x->events [3];
    assert_string_equal (e->start_date, "2019-09");
    assert_int_equal (e->outcome, 0);
    //  "nonsense", "splendid", the "sideways" finding, and the Atlantis record.
    assert_int_equal (x->n_warnings, 4);
    ow_pb_free (&x);
}

static void
test_bad_feeds_are_refused (void **state)
{
    (void) state;
    char *error = NULL;
    assert_null (extract_string ("{\"authority\": \"E06000019\", ", "x.json", &error));
    assert_non_null (strstr (error, "malformed"));
    free (error);
    error = NULL;
    assert_null (extract_string ("{\"authority\": \"Atlantis\"}", "x.json", &error));
    assert_non_null (strstr (error, "no local authority"));
    free (error);
    error = NULL;
    assert_null (extract_string ("a,b,c,d\n1,2,3,4\n", "x.csv", &error));
    assert_non_null (strstr (error, "authority column"));
    free (error);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_summary_csv),
        cmocka_unit_test (test_section_4_json),
        cmocka_unit_test (test_bad_feeds_are_refused),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
