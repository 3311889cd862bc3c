/*  Store's batched write path, against the real store and PostgreSQL.

    A records feed becomes one StoreDocument with thousands of
    inspections, judgements, improvements and findings. Store must write
    it in one transaction, with one gapless run of event seqs in the
    document's order (each inspection's event, then its judgements, then
    its findings; deadlines last), keep text exactly as given (tabs,
    newlines, backslashes, quotes), answer the same bytes again with the
    same ids and no events, and turn a later document's different grade
    into a conflict.detected event naming both documents: a less
    authoritative source (a council paper) changes nothing, a more
    authoritative one (Ofsted's report) is kept, never by arrival order.

    Documents go straight to store, as ingest sends them (with ingest's
    service key), so this tests store whatever extraction does.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <libpq-fe.h>

#include "it_keys.h"
#include "it_support.h"
#include "ow_client.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#include <inttypes.h>

#define HEREFORDSHIRE   "E06000019"
#define INSPECTIONS     1000
#define JUDGEMENTS      4
#define IMPROVEMENTS    2
#define FINDINGS        6
//  A finding text with every character COPY and array literals escape.
#define AWKWARD_TEXT    "tab\there, newline\nthere, back\\slash, \"quoted\", {braces}, NULL, \xc3\xa9"

static const char *s_areas [JUDGEMENTS] = {
    "leaders", "help_and_protection", "in_care_and_care_leavers", "overall"
};

static Ofwatch__V1__SubmitReply *s_first;   // the large document's answer
static uint64_t s_seq_before;               // the log's last seq before it

// ---------------------------------------------------------------------------
//  Building documents

static Ofwatch__V1__InspectionFacts *
new_inspection (int number, Ofwatch__V1__Grade grade)
{
    Ofwatch__V1__InspectionFacts *facts = OW_PB_NEW (Ofwatch__V1__InspectionFacts,
                                                     ofwatch__v1__inspection_facts__init);
    facts->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT;
    //  One identity per inspection: a start date per day from 1990.
    int year = 1990 + number / 336, month = 1 + (number / 28) % 12, day = 1 + number % 28;
    facts->start_date = ow_printf ("%04d-%02d-%02d", year, month, day);
    facts->end_date = ow_strdup (facts->start_date);
    facts->visit_number = number % 9 + 1;
    ow_pb_set_string (&facts->lead_inspector, "Lisa Summers");
    ow_pb_append_string (&facts->inspectors, &facts->n_inspectors, "Lisa Summers");
    ow_pb_append_string (&facts->inspectors, &facts->n_inspectors, "O'Brien, \"Pat\"");
    for (int a = 0; a < JUDGEMENTS; a++) {
        Ofwatch__V1__InspectionFacts__JudgementsEntry *entry =
            OW_PB_NEW (Ofwatch__V1__InspectionFacts__JudgementsEntry,
                       ofwatch__v1__inspection_facts__judgements_entry__init);
        entry->key = ow_strdup (s_areas [a]);
        entry->value = grade;
        ow_pb_append ((void ***) &facts->judgements, &facts->n_judgements, entry);
    }
    for (int i = 0; i < IMPROVEMENTS; i++) {
        char *text = ow_printf ("improve %d.%d", number, i);
        ow_pb_append_string (&facts->improvements, &facts->n_improvements, text);
        free (text);
    }
    for (int i = 0; i < FINDINGS; i++) {
        Ofwatch__V1__Finding *finding = OW_PB_NEW (Ofwatch__V1__Finding,
                                                   ofwatch__v1__finding__init);
        finding->polarity = i % 2 ? OFWATCH__V1__POLARITY__POLARITY_STRENGTH
                                  : OFWATCH__V1__POLARITY__POLARITY_WEAKNESS;
        finding->theme = OFWATCH__V1__THEME__THEME_WORKFORCE;
        finding->text = number == 0 && i == 0 ? ow_strdup (AWKWARD_TEXT)
                                              : ow_printf ("finding %d.%d", number, i);
        finding->start = (uint32_t) (number * 100 + i);
        finding->end = finding->start + 10;
        ow_pb_append ((void ***) &facts->findings, &facts->n_findings, finding);
    }
    return facts;
}

static Ofwatch__V1__Deadline *
new_deadline (void)
{
    Ofwatch__V1__Deadline *deadline = OW_PB_NEW (Ofwatch__V1__Deadline,
                                                 ofwatch__v1__deadline__init);
    ow_pb_set_string (&deadline->kind, "action_plan");
    ow_pb_set_string (&deadline->due, "2030-01-15");
    ow_pb_set_string (&deadline->basis, "70 working days after publication");
    return deadline;
}

//  A StoreDocument (caller frees) with `content` as its bytes.
static Ofwatch__V1__StoreDocument *
new_document (const char *content)
{
    Ofwatch__V1__StoreDocument *document = OW_PB_NEW (Ofwatch__V1__StoreDocument,
                                                      ofwatch__v1__store_document__init);
    document->content.len = strlen (content);
    document->content.data = (uint8_t *) ow_strdup (content);
    document->text = ow_strdup (content);
    document->submitter = ow_strdup ("test");
    Ofwatch__V1__Extraction *facts = OW_PB_NEW (Ofwatch__V1__Extraction,
                                                ofwatch__v1__extraction__init);
    facts->file = ow_strdup ("feed.json");
    facts->media_type = ow_strdup ("application/json");
    facts->doc_kind = OFWATCH__V1__DOC_KIND__DOC_KIND_RECORDS;
    facts->authority = OW_PB_NEW (Ofwatch__V1__Authority, ofwatch__v1__authority__init);
    facts->authority->code = ow_strdup (HEREFORDSHIRE);
    facts->authority->name = ow_strdup ("Herefordshire");
    facts->published_on = ow_strdup ("2024-01-01");
    document->extraction = facts;
    return document;
}

static void
add_event (Ofwatch__V1__StoreDocument *document, Ofwatch__V1__InspectionFacts *facts)
{
    Ofwatch__V1__Extraction *x = document->extraction;
    ow_pb_append ((void ***) &x->events, &x->n_events, facts);
}

//  Documents reach store only from the services' own keys: this test
//  speaks as ingest does, presenting ingest's service key.
static Ofwatch__V1__Reply *
store_call (Ofwatch__V1__StoreDocument *document)
{
    char *cert = it_key_path ("ingest");
    ow_client_t *store = it_client_as ("store", cert);
    free (cert);
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT;
    request.store_document = document;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (store, &request, 120000, &error);
    if (!reply)
        fprintf (stderr, "store did not answer: %s\n", error);
    free (error);
    ow_client_destroy (&store);
    assert_non_null (reply);
    if (reply->body_case != OFWATCH__V1__REPLY__BODY_SUBMIT)
        fprintf (stderr, "store refused: %s\n", ow_client_error_message (reply));
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
    return reply;
}

// ---------------------------------------------------------------------------
//  Reading PostgreSQL

static PGconn *
db (void)
{
    PGconn *connection = PQconnectdb (getenv ("OFWATCH_PG"));
    assert_int_equal (PQstatus (connection), CONNECTION_OK);
    return connection;
}

//  The first value of a query with one text parameter; caller frees.
static char *
query_text (const char *sql, const char *parameter)
{
    PGconn *connection = db ();
    const char *values [] = { parameter };
    PGresult *result = PQexecParams (connection, sql, parameter ? 1 : 0, NULL,
                                     parameter ? values : NULL, NULL, NULL, 0);
    if (PQresultStatus (result) != PGRES_TUPLES_OK)
        fprintf (stderr, "%s: %s\n", sql, PQresultErrorMessage (result));
    assert_int_equal (PQresultStatus (result), PGRES_TUPLES_OK);
    assert_true (PQntuples (result) > 0);
    char *value = ow_strdup (PQgetvalue (result, 0, 0));
    PQclear (result);
    PQfinish (connection);
    return value;
}

static long
query_count (const char *sql, int64_t parameter)
{
    char text [24];
    snprintf (text, sizeof text, "%" PRId64, parameter);
    char *value = query_text (sql, text);
    long count = atol (value);
    free (value);
    return count;
}

// ---------------------------------------------------------------------------
//  Cases

//  The large document: INSPECTIONS inspections; the first mentioned again
//  at the end with the same grades, improvements and one more finding;
//  the same deadline twice.
static void
a_large_document_is_one_transaction_with_gapless_events (void **state)
{
    s_seq_before = it_store_last_seq ();
    assert_true (s_seq_before != UINT64_MAX);
    Ofwatch__V1__StoreDocument *document = new_document ("feed: the large document");
    for (int i = 0; i < INSPECTIONS; i++)
        add_event (document, new_inspection (i, OFWATCH__V1__GRADE__GRADE_GOOD));
    Ofwatch__V1__InspectionFacts *again = new_inspection (0, OFWATCH__V1__GRADE__GRADE_GOOD);
    again->n_findings = 1;        // the rest are freed with the array's owner below
    for (size_t i = 1; i < FINDINGS; i++)
        ow_pb_free (&again->findings [i]);
    add_event (document, again);
    Ofwatch__V1__Extraction *x = document->extraction;
    ow_pb_append ((void ***) &x->deadlines, &x->n_deadlines, new_deadline ());
    ow_pb_append ((void ***) &x->deadlines, &x->n_deadlines, new_deadline ());

    Ofwatch__V1__Reply *reply = store_call (document);
    ow_pb_free (&document);
    s_first = reply->submit;
    reply->submit = NULL;
    ow_pb_free (&reply);

    size_t expected = 1 + INSPECTIONS * (1 + JUDGEMENTS + FINDINGS) + 1 + 1;
    assert_false (s_first->duplicate);
    assert_true (s_first->document_id > 0);
    assert_int_equal (s_first->n_inspection_ids, INSPECTIONS + 1);
    assert_int_equal (s_first->inspection_ids [INSPECTIONS], s_first->inspection_ids [0]);
    //  One unbroken run of seqs, after everything committed before.
    assert_int_equal (s_first->n_event_seqs, expected);
    assert_true (s_first->event_seqs [0] > s_seq_before);
    for (size_t i = 0; i < expected; i++)
        assert_int_equal (s_first->event_seqs [i], s_first->event_seqs [0] + i);
    assert_true (it_store_last_seq () >= s_first->event_seqs [expected - 1]);

    int64_t id = s_first->document_id;
    assert_int_equal (query_count ("SELECT count(*) FROM inspection WHERE document_id = $1", id),
                      INSPECTIONS);
    assert_int_equal (query_count ("SELECT count(*) FROM document_inspection"
                                   " WHERE document_id = $1", id), INSPECTIONS);
    assert_int_equal (query_count ("SELECT count(*) FROM judgement WHERE document_id = $1", id),
                      INSPECTIONS * JUDGEMENTS);
    assert_int_equal (query_count ("SELECT count(*) FROM improvement WHERE document_id = $1", id),
                      INSPECTIONS * IMPROVEMENTS);
    assert_int_equal (query_count ("SELECT count(*) FROM finding WHERE document_id = $1", id),
                      INSPECTIONS * FINDINGS + 1);
    assert_int_equal (query_count ("SELECT count(*) FROM deadline WHERE document_id = $1", id), 1);
    //  The log holds exactly these seqs.
    char *sql = ow_printf ("SELECT count(*) FROM event WHERE seq BETWEEN %" PRIu64
                           " AND %" PRIu64 " AND dedupe_key IS NULL AND $1::int > 0",
                           s_first->event_seqs [0], s_first->event_seqs [expected - 1]);
    assert_int_equal (query_count (sql, 1), expected);
    free (sql);
}

//  In the document's order: the document, then per inspection its event,
//  judgements and findings; the repeated mention adds one finding; the
//  deadline comes last, once.
static void
events_follow_the_document_order (void **state)
{
    assert_non_null (s_first);
    size_t count = s_first->n_event_seqs;
    char *sql = ow_printf ("SELECT string_agg (left (type, 3), ',' ORDER BY seq) FROM event"
                           " WHERE seq BETWEEN %" PRIu64 " AND %" PRIu64,
                           s_first->event_seqs [0], s_first->event_seqs [count - 1]);
    char *types = query_text (sql, NULL);
    free (sql);
    char *expected = ow_strdup ("doc");
    for (int i = 0; i < INSPECTIONS; i++) {
        char *longer = ow_printf ("%s,ins,jud,jud,jud,jud,fin,fin,fin,fin,fin,fin", expected);
        free (expected);
        expected = longer;
    }
    char *full = ow_printf ("%s,fin,dea", expected);
    assert_string_equal (types, full);
    free (full);
    free (expected);
    free (types);
    //  Each stored body is the packed event with its own seq and id.
    sql = ow_printf ("SELECT seq, id, body FROM event WHERE seq IN (%" PRIu64 ", %" PRIu64 ")"
                     " ORDER BY seq", s_first->event_seqs [0], s_first->event_seqs [count - 1]);
    PGconn *connection = db ();
    PGresult *result = PQexecParams (connection, sql, 0, NULL, NULL, NULL, NULL, 1);
    assert_int_equal (PQresultStatus (result), PGRES_TUPLES_OK);
    assert_int_equal (PQntuples (result), 2);
    for (int row = 0; row < 2; row++) {
        Ofwatch__V1__Event *event = ow_wire_unpack_event (PQgetvalue (result, row, 2),
                                                         (size_t) PQgetlength (result, row, 2));
        assert_non_null (event);
        assert_int_equal (event->seq, s_first->event_seqs [row ? count - 1 : 0]);
        assert_int_equal (PQgetlength (result, row, 1), 16);      // a uuid, binary
        assert_int_equal (event->type, row ? OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_SET
                                           : OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DOCUMENT_RECEIVED);
        ow_pb_free (&event);
    }
    PQclear (result);
    PQfinish (connection);
    free (sql);
}

static void
text_is_kept_exactly (void **state)
{
    assert_non_null (s_first);
    char *text = query_text ("SELECT text FROM finding WHERE text LIKE 'tab%' LIMIT 1", NULL);
    assert_string_equal (text, AWKWARD_TEXT);
    free (text);
    char *inspectors = query_text ("SELECT inspectors [2] FROM inspection"
                                   " WHERE identity = $1", HEREFORDSHIRE "/monitoring_visit/1990-01-01");
    assert_string_equal (inspectors, "O'Brien, \"Pat\"");
    free (inspectors);
}

static void
the_same_bytes_again_are_answered_with_the_same_ids (void **state)
{
    assert_non_null (s_first);
    uint64_t last = it_store_last_seq ();
    Ofwatch__V1__StoreDocument *document = new_document ("feed: the large document");
    add_event (document, new_inspection (0, OFWATCH__V1__GRADE__GRADE_INADEQUATE));
    Ofwatch__V1__Reply *reply = store_call (document);
    ow_pb_free (&document);
    const Ofwatch__V1__SubmitReply *again = reply->submit;
    assert_true (again->duplicate);
    assert_int_equal (again->document_id, s_first->document_id);
    assert_int_equal (again->n_event_seqs, 0);
    //  The ids, each once, in order (the first answer was in the
    //  document's order, with the repeated mention twice).
    assert_int_equal (again->n_inspection_ids, INSPECTIONS);
    for (size_t i = 0; i < INSPECTIONS; i++)
        assert_int_equal (again->inspection_ids [i], s_first->inspection_ids [i]);
    //  Analytics may still be deriving from the first; store added nothing.
    assert_int_equal (query_count ("SELECT count(*) FROM event WHERE seq > $1"
                                   " AND dedupe_key IS NULL", (int64_t) last), 0);
    ow_pb_free (&reply);
}

//  The conflict.detected at seq names the large feed (the word on record)
//  and the incoming document, and which word was kept.
static void
expect_conflict (uint64_t seq, const char *incoming_sha, const char *kept)
{
    char *arguments = ow_printf ("events --from %" PRIu64 " --type conflict.detected --json",
                                 seq - 1);
    int rc = -1;
    char *out = it_cli (arguments, &rc);
    assert_int_equal (rc, 0);
    char *expected = ow_printf ("\"source_sha256\":\"%s\",\"existing_sha256\":\"%s\","
                                "\"kept\":\"%s\"", incoming_sha, s_first->sha256, kept);
    if (!strstr (out, expected))
        fail_msg ("no conflict with %s in:\n%s", expected, out);
    free (expected);
    free (out);
    free (arguments);
}

//  A document of the given kind about the first batch's visit, saying
//  one judgement of it (index into new_inspection's judgements) is grade,
//  with no findings: stored, and store's reply returned.
static Ofwatch__V1__Reply *
store_regraded (const char *name, Ofwatch__V1__DocKind kind, int visit, size_t judgement,
                Ofwatch__V1__Grade grade)
{
    Ofwatch__V1__StoreDocument *document = new_document (name);
    document->extraction->doc_kind = kind;
    Ofwatch__V1__InspectionFacts *facts = new_inspection (visit, OFWATCH__V1__GRADE__GRADE_GOOD);
    facts->judgements [judgement]->value = grade;
    for (size_t i = 0; i < facts->n_findings; i++)
        ow_pb_free (&facts->findings [i]);
    facts->n_findings = 0;
    add_event (document, facts);
    Ofwatch__V1__Reply *reply = store_call (document);
    ow_pb_free (&document);
    return reply;
}

//  The types of the events store appended after seq, in order, without
//  the derived ones.
static void
expect_types_since (uint64_t last, const char *expected)
{
    char seq [24];
    snprintf (seq, sizeof seq, "%" PRIu64, last);
    char *types = query_text ("SELECT string_agg (type, ',' ORDER BY seq) FROM event"
                              " WHERE seq > $1::bigint AND dedupe_key IS NULL", seq);
    assert_string_equal (types, expected);
    free (types);
}

static void
a_different_grade_later_is_a_conflict_not_an_overwrite (void **state)
{
    assert_non_null (s_first);
    uint64_t last = it_store_last_seq ();
    Ofwatch__V1__Reply *reply = store_regraded ("a council paper about visit 0",
                                                OFWATCH__V1__DOC_KIND__DOC_KIND_COUNCIL_REPORT, 0,
                                                3, OFWATCH__V1__GRADE__GRADE_INADEQUATE); // overall
    const Ofwatch__V1__SubmitReply *answer = reply->submit;
    assert_false (answer->duplicate);
    assert_int_equal (answer->n_inspection_ids, 1);
    assert_int_equal (answer->inspection_ids [0], s_first->inspection_ids [0]);
    //  document.received and one conflict.detected, nothing else.
    assert_int_equal (answer->n_event_seqs, 2);
    assert_true (answer->event_seqs [0] > last);
    assert_int_equal (answer->event_seqs [1], answer->event_seqs [0] + 1);
    expect_types_since (last, "document.received,conflict.detected");
    char id [24];
    snprintf (id, sizeof id, "%" PRId64, s_first->inspection_ids [0]);
    char *grade = query_text ("SELECT grade FROM judgement WHERE inspection_id = $1::bigint"
                              " AND area = 'overall'", id);
    assert_string_equal (grade, "good");
    free (grade);
    expect_conflict (answer->event_seqs [1], answer->sha256, "existing");
    ow_pb_free (&reply);
}

//  Ofsted's own report outranks the feed: its grade is kept, the conflict
//  says so and names both documents, and the grade is recorded anew.
static void
a_more_authoritative_source_is_kept (void **state)
{
    assert_non_null (s_first);
    uint64_t last = it_store_last_seq ();
    Ofwatch__V1__Reply *reply = store_regraded ("Ofsted's letter about visit 1",
                                                OFWATCH__V1__DOC_KIND__DOC_KIND_MONITORING_LETTER, 1,
                                                0, OFWATCH__V1__GRADE__GRADE_OUTSTANDING); // leaders
    const Ofwatch__V1__SubmitReply *answer = reply->submit;
    assert_int_equal (answer->inspection_ids [0], s_first->inspection_ids [1]);
    //  document.received, the conflict, the grade recorded anew.
    assert_int_equal (answer->n_event_seqs, 3);
    assert_int_equal (answer->event_seqs [0], last + 1);
    assert_int_equal (answer->event_seqs [2], last + 3);
    expect_types_since (last, "document.received,conflict.detected,judgement.recorded");
    char id [24];
    snprintf (id, sizeof id, "%" PRId64, s_first->inspection_ids [1]);
    char *grade = query_text ("SELECT grade FROM judgement WHERE inspection_id = $1::bigint"
                              " AND area = 'leaders'", id);
    assert_string_equal (grade, "outstanding");
    free (grade);
    //  The inspection's facts now come from the letter.
    char *source = query_text ("SELECT d.sha256 FROM inspection i JOIN document d"
                               " ON d.id = i.document_id WHERE i.id = $1::bigint", id);
    assert_string_equal (source, answer->sha256);
    free (source);
    expect_conflict (answer->event_seqs [1], answer->sha256, "incoming");
    ow_pb_free (&reply);
}

static void
a_document_without_inspections_is_only_received (void **state)
{
    uint64_t last = it_store_last_seq ();
    Ofwatch__V1__StoreDocument *document = new_document ("minutes that report nothing");
    Ofwatch__V1__Reply *reply = store_call (document);
    ow_pb_free (&document);
    assert_int_equal (reply->submit->n_inspection_ids, 0);
    assert_int_equal (reply->submit->n_event_seqs, 1);
    assert_true (reply->submit->event_seqs [0] > last);
    ow_pb_free (&reply);
}

//  A council paper's statement about an inspection that names no date, no
//  month and no visit number says nothing about which inspection it means:
//  store records the document, no inspection, and says why.
static void
a_paper_naming_no_inspection_adds_none (void **state)
{
    Ofwatch__V1__StoreDocument *document = new_document ("minutes speaking of an inspection");
    document->extraction->doc_kind = OFWATCH__V1__DOC_KIND__DOC_KIND_COUNCIL_MINUTES;
    Ofwatch__V1__InspectionFacts *event = OW_PB_NEW (Ofwatch__V1__InspectionFacts,
                                                     ofwatch__v1__inspection_facts__init);
    event->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS;
    add_event (document, event);
    long before = query_count ("SELECT count (*) FROM inspection WHERE id > $1::bigint", 0);
    Ofwatch__V1__Reply *reply = store_call (document);
    ow_pb_free (&document);
    assert_int_equal (reply->submit->n_inspection_ids, 0);
    assert_true (reply->submit->n_warnings >= 1);
    assert_non_null (strstr (reply->submit->warnings [0], "names no inspection"));
    ow_pb_free (&reply);
    assert_int_equal (query_count ("SELECT count (*) FROM inspection WHERE id > $1::bigint", 0), before);
}

static int
teardown (void **state)
{
    ow_pb_free (&s_first);
    return 0;
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (a_large_document_is_one_transaction_with_gapless_events),
        cmocka_unit_test (events_follow_the_document_order),
        cmocka_unit_test (text_is_kept_exactly),
        cmocka_unit_test (the_same_bytes_again_are_answered_with_the_same_ids),
        cmocka_unit_test (a_different_grade_later_is_a_conflict_not_an_overwrite),
        cmocka_unit_test (a_more_authoritative_source_is_kept),
        cmocka_unit_test (a_document_without_inspections_is_only_received),
        cmocka_unit_test (a_paper_naming_no_inspection_adds_none),
    };
    return cmocka_run_group_tests (tests, NULL, teardown);
}
