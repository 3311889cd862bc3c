/*  test_extract_letters — Ofsted's letters after monitoring and focused
    visits: the seed letter (Herefordshire's fifth monitoring visit), and
    letters built as Ofsted writes them (letterhead, date, addressee,
    salutation, subject, opening paragraph, signature) around the
    sentences real letters of 2018-2026 print: the visit's dates and the
    inspectors in every form, what the visit looked at, a letter misdated
    by a year, a signature without a sign-off.
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
    extract_input_t input = { (const uint8_t *) letter, strlen (letter), "fv.txt", NULL, NULL, false };
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

//  A focused-visit letter as Ofsted writes one, around the sentences given.
static Ofwatch__V1__Extraction *
letter (const char *date_line, const char *visit, const char *inspectors, const char *focus,
        const char *signoff)
{
    char *text = ow_printf (
        "Ofsted\nPiccadilly Gate\nStore Street\nManchester\nM1 2WD\n"
        "T 0300 123 1231\nTextphone 0161 618 8524\nenquiries@ofsted.gov.uk\nwww.gov.uk/ofsted\n\n"
        "%s\n\nDarryl Freeman\nCorporate Director, Children and Young People\n"
        "Herefordshire Council\nPlough Lane\nHereford\nHR4 0LE\n\nDear Darryl\n\n"
        "Focused visit to Herefordshire children\xE2\x80\x99s services\n\n"
        "This letter summarises the findings of the focused visit to Herefordshire children\xE2\x80\x99s\n"
        "services %s. %s\n%s\n"
        "This visit was carried out in line with the inspection of local authority children\xE2\x80\x99s\n"
        "services (ILACS) framework.\n\n"
        "Headline findings\n\nSocial workers know their children well and visit them regularly.\n\n"
        "Ofsted will take the findings from this focused visit into account when planning your\n"
        "next inspection or visit.\n\n%s\n\nAlison Smale\nHis Majesty\xE2\x80\x99s Inspector\n",
        date_line, visit, inspectors, focus, signoff);
    extract_input_t input = { (const uint8_t *) text, strlen (text), "letter.txt", NULL, NULL, false };
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, NULL, &error);
    if (!x)
        fail_msg ("refused: %s", error);
    free (text);
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "focused_visit_letter");
    assert_string_equal (x->authority->code, "E06000019");
    assert_int_equal (x->n_events, 1);
    return x;
}

static const char *s_inspectors = "His Majesty\xE2\x80\x99s Inspectors for this visit were Alison Smale and Ceri Evans.";
static const char *s_focus = "Inspectors looked at the local authority\xE2\x80\x99s arrangements for the \xE2\x80\x98" "front door\xE2\x80\x99.";

static void
test_visit_dates_in_every_form (void **state)
{
    (void) state;
    static const struct {
        const char *date_line, *visit, *start, *end;
    } cases [] = {
        { "21 January 2022", "on 15 and 16 December 2021", "2021-12-15", "2021-12-16" },
        { "13 November 2020", "between 20 and 22 October 2020", "2020-10-20", "2020-10-22" },
        { "18 June 2018", "on the 15 and 16 of May 2018", "2018-05-15", "2018-05-16" },
        { "20 August 2025", "on 15, 16 and 21 July 2025", "2025-07-15", "2025-07-21" },
        { "22 February 2022", "on 18 to 19 January 2022", "2022-01-18", "2022-01-19" },
        { "18 December 2019", "on 22\xE2\x80\x93" "23 October 2019", "2019-10-22", "2019-10-23" },
        { "13 November 2020", "between 29 September and 1 October 2020", "2020-09-29", "2020-10-01" },
        //  A day and month without a year: the latest before the letter.
        { "12 January 2022", "on 7 and 8 December", "2021-12-07", "2021-12-08" },
        { "30 July 2024", "on 2 and 3 July", "2024-07-02", "2024-07-03" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        Ofwatch__V1__Extraction *x = letter (cases [i].date_line, cases [i].visit, s_inspectors,
                                             s_focus, "Yours sincerely");
        const Ofwatch__V1__InspectionFacts *e = x->events [0];
        if (strcmp (e->start_date, cases [i].start) || strcmp (e->end_date, cases [i].end))
            fail_msg ("\"%s\": %s to %s", cases [i].visit, e->start_date, e->end_date);
        ow_pb_free (&x);
    }
}

static void
test_inspectors_in_every_form (void **state)
{
    (void) state;
    static const struct {
        const char *sentence;
        const char *names [6];
    } cases [] = {
        { "His Majesty\xE2\x80\x99s Inspectors for this visit were Alison Smale and Ceri Evans.",
          { "Alison Smale", "Ceri Evans" } },
        { "Her Majesty\xE2\x80\x99s Inspectors for this visit were Mandy Nightingale\nand Kathryn Grindrod.",
          { "Mandy Nightingale", "Kathryn Grindrod" } },
        { "The inspectors were Nigel Parkes, HMI,\nand Marcie Taylor, HMI.",
          { "Nigel Parkes", "Marcie Taylor" } },
        { "The inspectors were Brenda McInerney, Her Majesty\xE2\x80\x99s Inspector, and Pauline Higham, "
          "Her Majesty\xE2\x80\x99s Inspector.", { "Brenda McInerney", "Pauline Higham" } },
        { "The inspectors were Maire Atherton and\nAmanda Maxwell, two of Her Majesty\xE2\x80\x99s Inspectors.",
          { "Maire Atherton", "Amanda Maxwell" } },
        { "The visit was carried out by Her Majesty\xE2\x80\x99s Inspectors, Joy Howick, Nasim Butt, "
          "Louise Hocking and Andy Whippey.", { "Joy Howick", "Nasim Butt", "Louise Hocking", "Andy Whippey" } },
        { "The visit was conducted by Tracey Scott and Tracey Metcalfe, two of Her Majesty\xE2\x80\x99s Inspectors.",
          { "Tracey Scott", "Tracey Metcalfe" } },
        { "The inspectors were Her Majesty\xE2\x80\x99s Inspectors (HMI) Social Care, Nigel Parkes, "
          "Rachel Griffiths and Diane Partridge, and Stephen Lee, Senior HMI.",
          { "Nigel Parkes", "Rachel Griffiths", "Diane Partridge", "Stephen Lee" } },
        { "The inspectors were John Roughton HMI, Pauline\nHigham HMI and Andrew Waugh HMI.",
          { "John Roughton", "Pauline Higham", "Andrew Waugh" } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        //  "This visit was carried out in line with ..." names nobody.
        Ofwatch__V1__Extraction *x = letter ("21 January 2022", "on 15 and 16 December 2021",
                                             cases [i].sentence, s_focus, "Yours sincerely");
        const Ofwatch__V1__InspectionFacts *e = x->events [0];
        size_t n = 0;
        while (n < 6 && cases [i].names [n])
            n++;
        //  The names, and the signatory when the sentence did not name her.
        bool signatory_named = false;
        for (size_t k = 0; k < n; k++)
            signatory_named |= strcmp (cases [i].names [k], "Alison Smale") == 0;
        if (e->n_inspectors != n + !signatory_named)
            fail_msg ("\"%s\": %zu inspectors", cases [i].sentence, e->n_inspectors);
        for (size_t k = 0; k < n; k++)
            assert_string_equal (e->inspectors [k], cases [i].names [k]);
        assert_string_equal (e->lead_inspector, "Alison Smale");
        ow_pb_free (&x);
    }
}

static void
test_what_the_visit_looked_at (void **state)
{
    (void) state;
    Ofwatch__V1__Extraction *x = letter ("31 July 2025", "on 1 and 2 July 2025", s_inspectors,
        "Inspectors looked at the local authority\xE2\x80\x99s arrangements for care leavers, which "
        "included a specific focus on:\n"
        "\xE2\x97\xBC The quality and consistency of pathway planning and case recording.\n"
        "\xE2\x97\xBC The care leaver offer, including for those aged over 21.\n",
        "Yours sincerely");
    const Ofwatch__V1__InspectionFacts *e = x->events [0];
    assert_int_equal (e->n_focus, 3);
    assert_string_equal (e->focus [0], "care leavers");
    assert_string_equal (e->focus [1], "The quality and consistency of pathway planning and case recording");
    assert_string_equal (e->focus [2], "The care leaver offer, including for those aged over 21");
    ow_pb_free (&x);
    x = letter ("21 January 2022", "on 15 and 16 December 2021", s_inspectors, s_focus, "Yours sincerely");
    assert_int_equal (x->events [0]->n_focus, 1);
    assert_string_equal (x->events [0]->focus [0], "the \xE2\x80\x98" "front door\xE2\x80\x99");
    ow_pb_free (&x);
}

static void
test_letter_misdated_by_a_year (void **state)
{
    (void) state;
    //  Dudley's letter of January 2020 is dated "21 January 2019".
    Ofwatch__V1__Extraction *x = letter ("21 January 2019", "on 18 and 19 December 2019",
                                         s_inspectors, s_focus, "Yours sincerely");
    assert_string_equal (x->published_on, "2020-01-21");
    assert_string_equal (x->events [0]->start_date, "2019-12-18");
    assert_int_equal (x->n_warnings, 1);
    assert_non_null (strstr (x->warnings [0], "before the visit it reports"));
    ow_pb_free (&x);
}

static void
test_signature_without_a_signoff (void **state)
{
    (void) state;
    //  Some letters end with the name and title only, others misspell the
    //  sign-off ("Your sincerely").
    const char *signoffs [] = { "", "Your sincerely", "Yours faithfully", NULL };
    for (size_t i = 0; signoffs [i]; i++) {
        Ofwatch__V1__Extraction *x = letter ("21 January 2022", "on 15 and 16 December 2021",
            "The inspectors were Nigel Parkes, HMI, and Marcie Taylor, HMI.", s_focus, signoffs [i]);
        assert_string_equal (x->events [0]->lead_inspector, "Alison Smale");
        ow_pb_free (&x);
    }
}

static void
test_area_send_letters_of_the_2016_framework (void **state)
{
    (void) state;
    //  Before 2023 an area SEND inspection's outcome was a letter.
    const char *text =
        "Ofsted\nAgora\n6 Cumberland Place\nNottingham\nNG1 6HJ\nT 0300 123 1231\n\n"
        "18 May 2018\n\nMr Allan Cadzow\nCorporate Director for Children and Young People\n"
        "Suffolk County Council\nEndeavour House\n8 Russell Road\nIpswich\nIP1 2BX\n\n"
        "Dear Mr Cadzow\n\nJoint local area SEND inspection in Suffolk\n\n"
        "Between 5 March 2018 and 9 March 2018, Ofsted and the Care Quality Commission (CQC)\n"
        "conducted a joint inspection of the local area of Suffolk to judge the effectiveness of\n"
        "the area in implementing the disability and special educational needs reforms.\n\n"
        "Yours sincerely\n\nLesley Cox\nHer Majesty\xE2\x80\x99s Inspector\n";
    extract_input_t input = { (const uint8_t *) text, strlen (text), "send.txt", NULL, NULL, false };
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, NULL, &error);
    if (!x)
        fail_msg ("refused: %s", error);
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "area_send_report");
    assert_string_equal (x->authority->code, "E10000029");      //  Suffolk, not Nottingham
    assert_string_equal (x->published_on, "2018-05-18");
    assert_int_equal (x->n_events, 1);
    assert_string_equal (ow_kind_word (x->events [0]->kind), "area_send");
    assert_string_equal (x->events [0]->start_date, "2018-03-05");
    assert_string_equal (x->events [0]->end_date, "2018-03-09");
    assert_string_equal (x->events [0]->lead_inspector, "Lesley Cox");
    ow_pb_free (&x);
}

static void
test_signoff_above_the_subject_signs_nothing (void **state)
{
    (void) state;
    //  A damaged letter whose "Yours sincerely" comes before its subject
    //  line (found by fuzzing): read, never past its own text.
    const char *text =
        "Ofsted\nPiccadilly Gate\nStore Street\nManchester\nM1 2WD\n\n4 December 2024\n\n"
        "Yours sincerely\n\nAlison Smale\nHis Majesty\xE2\x80\x99s Inspector\n\n"
        "Dear Tina\n\nMonitoring visit to Herefordshire children\xE2\x80\x99s services\n\n"
        "This letter summarises the findings of the monitoring visit to Herefordshire "
        "children\xE2\x80\x99s services on 22 and 23 October 2024.\n\n"
        "Areas for priority action\n\n\xE2\x97\xBC The timeliness of assessments.\n";
    extract_input_t input = { (const uint8_t *) text, strlen (text), "l.txt", NULL, NULL, false };
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, NULL, &error);
    if (!x)
        fail_msg ("refused: %s", error);
    assert_string_equal (x->authority->code, "E06000019");
    assert_string_equal (x->events [0]->start_date, "2024-10-22");
    assert_int_equal (x->events [0]->n_improvements, 1);
    ow_pb_free (&x);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_herefordshire_fifth_monitoring_visit),
        cmocka_unit_test (test_focused_visit_with_priority_actions),
        cmocka_unit_test (test_visit_dates_in_every_form),
        cmocka_unit_test (test_inspectors_in_every_form),
        cmocka_unit_test (test_what_the_visit_looked_at),
        cmocka_unit_test (test_letter_misdated_by_a_year),
        cmocka_unit_test (test_signature_without_a_signoff),
        cmocka_unit_test (test_area_send_letters_of_the_2016_framework),
        cmocka_unit_test (test_signoff_above_the_subject_signs_nothing),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
