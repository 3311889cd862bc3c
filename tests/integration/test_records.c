/*  Records feeds about many authorities, over the real sockets.

    The community summary sheet has a row for every authority: submitted
    as one CSV, each row is filed under its own authority (its events
    carry that authority, its history shows it), not skipped for being
    about another than the first. A council key may submit a feed only
    when it speaks for every authority in it: a Herefordshire key's feed
    with a St Helens row is refused and changes nothing (its own rows are
    stored). A row's facts are its own: St Helens' row keeps its own
    publication date, not the first row's. A JSON feed's findings are
    stored and published under their themes' topics. An area SEND
    inspection in a feed is stored with its outcome and what follows,
    announced by inspection.recorded with the outcome, shown in the
    history and the state, and never compared with an ILACS grade: no
    judgement.changed or status.changed comes of it.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_analytics.h"
#include "it_keys.h"
#include "it_support.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#define HEREFORDSHIRE "E06000019"
#define ST_HELENS     "E08000013"

//  Events of one type prefix until `count` have come or 20 s pass.
static void
collect (zsock_t *subscriber, size_t count, it_events_t *into)
{
    int64_t deadline = zclock_mono () + 20000;
    while (into->count < count && zclock_mono () < deadline) {
        Ofwatch__V1__Event *event = it_next_event (subscriber, 1000);
        if (event)
            it_events_add (into, event);
    }
}

static size_t
count_for (const it_events_t *events, const char *authority)
{
    size_t count = 0;
    for (size_t i = 0; i < events->count; i++)
        count += strcmp (events->events [i]->authority, authority) == 0;
    return count;
}

//  Collects three events: two about Herefordshire, one about St Helens.
static void
expect_two_and_one (zsock_t *subscriber, it_events_t *events)
{
    collect (subscriber, 3, events);
    assert_int_equal (events->count, 3);
    assert_int_equal (count_for (events, HEREFORDSHIRE), 2);
    assert_int_equal (count_for (events, ST_HELENS), 1);
}

static void
test_a_summary_sheet_files_each_row_under_its_authority (void **state)
{
    zsock_t *subscriber = it_subscribe ("inspection.recorded.");
    char *path = it_sample ("summary-sheet.csv");
    Ofwatch__V1__Reply *reply = it_submit_file (path);
    free (path);
    assert_true (it_stored (&reply));

    it_events_t events = { 0 };
    expect_two_and_one (subscriber, &events);
    it_events_free (&events);
    zsock_destroy (&subscriber);

    assert_true (it_analytics_settle (20000));
    int rc = 0;
    char *history = it_cli ("history 'St Helens' --json", &rc);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (history, "\"2019-09-23\""));
    assert_non_null (strstr (history, "\"in_care_and_care_leavers\":\"inadequate\""));
    //  Its own row's publication, not Herefordshire's 2022 report's.
    assert_non_null (strstr (history, "\"published_on\":\"2019-11-04\""));
    assert_null (strstr (history, "2022-09-21"));
    free (history);
}

static const char s_mixed_feed [] =
    "la_code,local_authority,overall_effectiveness_grade,inspection_framework,inspection_start_date\n"
    "884,Herefordshire,good,standard,01/02/2014\n"
    "342,St Helens,good,standard,03/04/2014\n";

//  The database's counts without the audit table's (the last figure).
static char *
facts_fingerprint (void)
{
    char *fingerprint = it_database_fingerprint ();
    assert_non_null (fingerprint);
    *strrchr (fingerprint, '/') = '\0';
    return fingerprint;
}

static void
test_a_council_key_cannot_file_rows_about_another_authority (void **state)
{
    //  Feeds carry grades, Ofsted's judgements: the key is trusted for them.
    assert_int_equal (it_keys ("new hereford-records --authority 884 --ofsted"), 0);
    char *before = facts_fingerprint ();
    char *cert = it_key_path ("hereford-records");
    ow_client_t *client = it_client_as ("ingest", cert);
    Ofwatch__V1__Reply *reply = it_submit_bytes (client, s_mixed_feed, strlen (s_mixed_feed),
                                                 "mixed.csv");
    assert_int_equal (it_error_code (reply), OFWATCH__V1__ERROR__CODE__CODE_REJECTED);
    assert_non_null (strstr (ow_client_error_message (reply), "St. Helens (" ST_HELENS ")"));
    ow_pb_free (&reply);
    char *after = facts_fingerprint ();
    assert_string_equal (before, after);

    //  The same key files its own rows.
    const char own [] = "la_code,local_authority,overall_effectiveness_grade,"
                        "inspection_framework,inspection_start_date\n"
                        "884,Herefordshire,good,standard,01/02/2014\n";
    reply = it_submit_bytes (client, own, strlen (own), "own.csv");
    assert_true (it_stored (&reply));
    ow_client_destroy (&client);
    free (cert);
    free (before);
    free (after);
}

static const char s_json_feed [] =
    "[{\"authority\": {\"code\": \"" HEREFORDSHIRE "\"}, \"events\": [{\"kind\": \"focused_visit\","
    "  \"start_date\": \"2021-03-02\", \"end_date\": \"2021-03-03\", \"findings\": ["
    "   {\"polarity\": \"weakness\", \"theme\": \"workforce\", \"text\": \"Caseloads are too high.\"},"
    "   {\"polarity\": \"strength\", \"theme\": \"front_door\", \"text\": \"Referrals are seen quickly.\"}]}]},"
    " {\"authority\": {\"code\": \"" ST_HELENS "\"}, \"events\": [{\"kind\": \"focused_visit\","
    "  \"start_date\": \"2021-05-04\", \"findings\": ["
    "   {\"polarity\": \"weakness\", \"theme\": \"workforce\", \"text\": \"Staff turnover is high.\"}]}]}]";

static void
test_a_json_feeds_findings_are_published_under_their_themes (void **state)
{
    zsock_t *subscriber = it_subscribe ("finding.recorded.");
    zsock_t *narrow = it_subscribe ("finding.recorded." ST_HELENS ".workforce");
    ow_client_t *client = it_client_as ("ingest", getenv ("OFWATCH_CERT"));
    Ofwatch__V1__Reply *reply = it_submit_bytes (client, s_json_feed, strlen (s_json_feed),
                                                 "feed.json");
    ow_client_destroy (&client);
    assert_true (it_stored (&reply));

    it_events_t events = { 0 };
    expect_two_and_one (subscriber, &events);
    for (size_t i = 0; i < events.count; i++) {
        const Ofwatch__V1__Event *event = events.events [i];
        const Ofwatch__V1__Finding *finding = event->payload->finding_recorded->finding;
        assert_int_equal (event->theme, finding->theme);
        if (strcmp (finding->text, "Staff turnover is high.") == 0)
            assert_string_equal (event->authority, ST_HELENS);
    }
    it_events_free (&events);
    zsock_destroy (&subscriber);

    //  The topic names the finding's authority and theme.
    it_events_t narrowed = { 0 };
    collect (narrow, 1, &narrowed);
    assert_int_equal (narrowed.count, 1);
    assert_string_equal (narrowed.events [0]->authority, ST_HELENS);
    assert_null (it_next_event (narrow, 300));
    it_events_free (&narrowed);
    zsock_destroy (&narrow);
}


#define BARNSLEY "E08000016"

//  An ILACS inspection graded good, then an area SEND inspection whose
//  report found widespread failings (and a feed that wrongly gives it an
//  "overall" grade too).
static const char s_send_feed [] =
    "[{\"authority\": {\"code\": \"" BARNSLEY "\"}, \"events\": ["
    "  {\"kind\": \"ilacs_standard\", \"start_date\": \"2022-03-07\", \"end_date\": \"2022-03-18\","
    "   \"published_on\": \"2022-04-29\", \"judgements\": {\"leaders\": \"good\","
    "   \"help_and_protection\": \"good\", \"in_care_and_care_leavers\": \"good\", \"overall\": \"good\"}},"
    "  {\"kind\": \"area_send\", \"start_date\": \"2024-03-11\", \"end_date\": \"2024-03-15\","
    "   \"published_on\": \"2024-05-15\", \"outcome\": \"widespread_failings\","
    "   \"next_inspection\": \"monitoring_within_18_months\","
    "   \"previous_start_date\": \"2018-01-22\", \"previous_end_date\": \"2018-01-26\","
    "   \"judgements\": {\"overall\": \"inadequate\"},"
    "   \"improvements\": [\"Leaders across the partnership should improve the timeliness of EHC plans.\"]}]}]";

static void
test_an_area_send_inspection_in_a_feed (void **state)
{
    zsock_t *subscriber = it_subscribe ("inspection.recorded." BARNSLEY);
    ow_client_t *client = it_client_as ("ingest", getenv ("OFWATCH_CERT"));
    Ofwatch__V1__Reply *reply = it_submit_bytes (client, s_send_feed, strlen (s_send_feed),
                                                 "send.json");
    ow_client_destroy (&client);
    assert_true (it_stored (&reply));
    it_events_t events = { 0 };
    collect (subscriber, 2, &events);
    zsock_destroy (&subscriber);
    assert_int_equal (events.count, 2);
    const Ofwatch__V1__InspectionRecorded *send = events.events [1]->payload->inspection_recorded;
    assert_string_equal (ow_kind_word (send->kind), "area_send");
    assert_int_equal (send->outcome, OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_WIDESPREAD_FAILINGS);
    assert_int_equal (send->next_inspection,
                      OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_MONITORING_WITHIN_18_MONTHS);
    assert_string_equal (events.events [1]->occurred_on, "2024-03-15");
    assert_int_equal (events.events [0]->payload->inspection_recorded->outcome, 0);
    it_events_free (&events);

    assert_true (it_analytics_settle (20000));
    Ofwatch__V1__Reply *history = it_analytics_history (BARNSLEY);
    assert_non_null (history);
    const Ofwatch__V1__AuthorityHistory *h = history->authority_history;
    assert_int_equal (h->n_inspections, 2);
    const Ofwatch__V1__InspectionFacts *facts = h->inspections [1];
    assert_int_equal (facts->outcome, OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_WIDESPREAD_FAILINGS);
    assert_string_equal (facts->previous_start_date, "2018-01-22");
    assert_string_equal (facts->previous_end_date, "2018-01-26");
    assert_string_equal (facts->published_on, "2024-05-15");
    //  The state: still good (an area SEND inspection is not one of
    //  children's services), and apart, the SEND outcome and what follows.
    const Ofwatch__V1__AuthorityState *s = h->state;
    assert_false (s->inadequate);
    assert_int_equal (s->overall, OFWATCH__V1__GRADE__GRADE_GOOD);
    assert_string_equal (s->latest_start, "2022-03-07");
    assert_int_equal (s->send_outcome, OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_WIDESPREAD_FAILINGS);
    assert_string_equal (s->send_inspected_on, "2024-03-11");
    assert_non_null (s->send_next);
    assert_string_equal (ow_kind_word (s->send_next->kind), "area_send_monitoring");
    assert_string_equal (s->send_next->latest, "2025-11-15");
    assert_string_equal (s->send_next->framework, "area_send");
    ow_pb_free (&history);

    int rc = -1;
    char *out = it_cli ("events --authority " BARNSLEY " --json", &rc);
    assert_int_equal (rc, 0);
    assert_null (strstr (out, "\"type\":\"judgement.changed\""));
    assert_null (strstr (out, "\"type\":\"status.changed\""));
    assert_null (strstr (out, "\"type\":\"deadline.set\""));
    free (out);
    out = it_cli ("history " BARNSLEY, &rc);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (out, "area_send"));
    assert_non_null (strstr (out, "widespread_failings"));
    free (out);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_a_summary_sheet_files_each_row_under_its_authority),
        cmocka_unit_test (test_a_council_key_cannot_file_rows_about_another_authority),
        cmocka_unit_test (test_a_json_feeds_findings_are_published_under_their_themes),
        cmocka_unit_test (test_an_area_send_inspection_in_a_feed),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
