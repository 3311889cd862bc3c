/*  The foundation end to end: real ingest, store, analytics and notify on
    loopback, a real PostgreSQL, real Ofsted PDFs.

    Herefordshire's 2018 ILACS report graded it requires improvement
    overall (leaders inadequate); the 2022 report graded every area
    inadequate. A subscriber on notify must see, in seq order from 1 with
    no gap, the documents, inspections and judgements as printed, a
    judgement.changed for each area that moved, and status.changed when
    Herefordshire entered inadequate. Submitting either file again must
    store and publish nothing.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_analytics.h"
#include "it_support.h"
#include "ow_vocab.h"

#define HEREFORDSHIRE "E06000019"

typedef struct {
    const char *area;
    Ofwatch__V1__Grade grade_2018;
    Ofwatch__V1__Grade grade_2022;
} area_grades_t;

//  As printed in the two reports.
static const area_grades_t s_grades [] = {
    { "leaders", OFWATCH__V1__GRADE__GRADE_INADEQUATE, OFWATCH__V1__GRADE__GRADE_INADEQUATE },
    { "help_and_protection", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT,
      OFWATCH__V1__GRADE__GRADE_INADEQUATE },
    { "in_care_and_care_leavers", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT,
      OFWATCH__V1__GRADE__GRADE_INADEQUATE },
    { "overall", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT,
      OFWATCH__V1__GRADE__GRADE_INADEQUATE },
};
#define AREA_COUNT (sizeof s_grades / sizeof s_grades [0])
#define CHANGED_AREAS 3

static int64_t s_document_ids [2];

static Ofwatch__V1__Reply *
submit_sample (const char *relative)
{
    char *path = it_sample (relative);
    Ofwatch__V1__Reply *reply = it_submit_file (path);
    free (path);
    return reply;
}

static const Ofwatch__V1__JudgementRecorded *
judgement_of (const Ofwatch__V1__Event *event)
{
    assert_non_null (event->payload);
    assert_int_equal (event->payload->body_case, OFWATCH__V1__PAYLOAD__BODY_JUDGEMENT_RECORDED);
    return event->payload->judgement_recorded;
}

//  Checks the events one document caused, starting at events [*at].
static void
expect_document_events (const it_events_t *list, size_t *at, bool second)
{
    const Ofwatch__V1__Event *const *e = (const Ofwatch__V1__Event *const *) list->events;
    assert_true (*at + 2 + AREA_COUNT <= list->count);
    assert_int_equal (e [*at]->type, OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DOCUMENT_RECEIVED);
    assert_string_equal (e [*at]->authority, HEREFORDSHIRE);
    (*at)++;
    assert_int_equal (e [*at]->type, OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_INSPECTION_RECORDED);
    assert_string_equal (e [*at]->payload->inspection_recorded->start_date,
                         second ? "2022-07-18" : "2018-06-11");
    (*at)++;
    //  One judgement.recorded per graded area, each with the printed grade.
    size_t matched = 0;
    while (*at < list->count
           && e [*at]->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_RECORDED) {
        const Ofwatch__V1__JudgementRecorded *j = judgement_of (e [*at]);
        for (size_t a = 0; a < AREA_COUNT; a++)
            if (strcmp (s_grades [a].area, j->area) == 0) {
                assert_int_equal (j->grade, second ? s_grades [a].grade_2022
                                                   : s_grades [a].grade_2018);
                matched++;
            }
        (*at)++;
    }
    assert_int_equal (matched, AREA_COUNT);
}

static void
test_two_reports_publish_every_event_in_order (void **state)
{
    zsock_t *subscriber = it_subscribe ("");
    Ofwatch__V1__Reply *first = submit_sample ("herefordshire/2018-07-23.pdf");
    assert_non_null (first);
    assert_int_equal (first->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
    s_document_ids [0] = first->submit->document_id;
    Ofwatch__V1__Reply *second = submit_sample ("herefordshire/2022-09-21.pdf");
    assert_non_null (second);
    assert_int_equal (second->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
    s_document_ids [1] = second->submit->document_id;
    assert_false (second->submit->duplicate);

    //  Derived events come from analytics shortly after the commit.
    it_events_t list = { 0 };
    int64_t deadline = zclock_mono () + 30000;
    while (zclock_mono () < deadline
           && (it_events_count_type (&list, OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED)
                   < CHANGED_AREAS
               || it_events_count_type (&list, OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED)
                   < 1)) {
        Ofwatch__V1__Event *event = it_next_event (subscriber, 1000);
        if (event)
            it_events_add (&list, event);
    }
    //  Anything more would be a duplicate or a wrong derivation.
    Ofwatch__V1__Event *extra = NULL;
    while ((extra = it_next_event (subscriber, 1500)) != NULL)
        it_events_add (&list, extra);

    for (size_t i = 0; i < list.count; i++)
        assert_int_equal (list.events [i]->seq, i + 1);        // from 1, no gap

    size_t at = 0;
    expect_document_events (&list, &at, false);
    //  Deadline and finding events of the first report may follow.
    while (at < list.count
           && list.events [at]->type != OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DOCUMENT_RECEIVED)
        at++;
    expect_document_events (&list, &at, true);

    size_t changed = 0, status = 0;
    for (size_t i = 0; i < list.count; i++) {
        const Ofwatch__V1__Event *event = list.events [i];
        if (event->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED) {
            const Ofwatch__V1__JudgementChanged *c = event->payload->judgement_changed;
            assert_string_not_equal (c->area, "leaders");      // it did not move
            assert_int_equal (c->to, OFWATCH__V1__GRADE__GRADE_INADEQUATE);
            assert_int_equal (c->from, OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT);
            assert_string_equal (c->direction, "declined");
            changed++;
        }
        if (event->type == OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED) {
            assert_string_equal (event->payload->status_changed->direction, "entered");
            assert_string_equal (event->payload->status_changed->status, "inadequate");
            assert_string_equal (event->authority, HEREFORDSHIRE);
            status++;
        }
    }
    assert_int_equal (changed, CHANGED_AREAS);
    assert_int_equal (status, 1);

    it_events_free (&list);
    ow_pb_free (&first);
    ow_pb_free (&second);
    zsock_destroy (&subscriber);
}

static void
test_resubmission_stores_and_publishes_nothing (void **state)
{
    //  From a quiet log: what analytics derives from the first reports
    //  (an overdue visit waits for their history to settle) comes first.
    assert_true (it_analytics_settle (30000));
    uint64_t last_before = it_store_last_seq ();
    zsock_t *subscriber = it_subscribe ("");
    const char *files [] = { "herefordshire/2018-07-23.pdf", "herefordshire/2022-09-21.pdf" };
    for (size_t i = 0; i < 2; i++) {
        Ofwatch__V1__Reply *reply = submit_sample (files [i]);
        assert_non_null (reply);
        assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
        assert_true (reply->submit->duplicate);
        assert_int_equal (reply->submit->document_id, s_document_ids [i]);
        assert_int_equal (reply->submit->n_event_seqs, 0);
        assert_true (reply->submit->n_inspection_ids >= 1);
        ow_pb_free (&reply);
    }
    Ofwatch__V1__Event *event = it_next_event (subscriber, 2000);
    assert_null (event);
    assert_int_equal (it_store_last_seq (), last_before);
    zsock_destroy (&subscriber);
}

static void
test_history_lists_both_inspections (void **state)
{
    const char *queries [] = { "history E06000019", "history herefordshire" };
    for (size_t i = 0; i < 2; i++) {
        int rc = -1;
        char *out = it_cli (queries [i], &rc);
        assert_int_equal (rc, 0);
        assert_non_null (strstr (out, "Herefordshire (E06000019)"));
        char *first = strstr (out, "2018-06-11");
        char *second = strstr (out, "2022-07-18");
        assert_non_null (first);
        assert_non_null (second);
        assert_true (first < second);                           // oldest first
        assert_non_null (strstr (out, "2018-06-22"));
        assert_non_null (strstr (out, "2022-07-29"));
        assert_non_null (strstr (out, "requires_improvement"));
        assert_non_null (strstr (out, "inadequate"));
        free (out);
    }
    int rc = -1;
    char *json = it_cli ("history herefordshire --json", &rc);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (json, "\"code\":\"E06000019\""));
    assert_non_null (strstr (json, "\"start_date\":\"2018-06-11\""));
    assert_non_null (strstr (json, "\"start_date\":\"2022-07-18\""));
    assert_non_null (strstr (json, "\"overall\":\"requires_improvement\""));
    assert_non_null (strstr (json, "\"overall\":\"inadequate\""));
    assert_non_null (strstr (json, "\"deadlines\":["));
    free (json);

    char *unknown = it_cli ("history atlantis 2>/dev/null", &rc);
    assert_int_equal (rc, 1);
    free (unknown);
}

static void
test_events_command_replays_the_log (void **state)
{
    int rc = -1;
    char *all = it_cli ("events --from 1 --json", &rc);
    assert_int_equal (rc, 0);
    uint64_t last = it_store_last_seq ();
    size_t lines = 0;
    for (char *c = all; *c; c++)
        lines += *c == '\n';
    assert_int_equal (lines, last);
    assert_non_null (strstr (all, "\"seq\":1,"));
    assert_non_null (strstr (all, "\"type\":\"status.changed\""));
    assert_non_null (strstr (all, "\"payload\":{"));
    free (all);

    char *changed = it_cli ("events --from 1 --type judgement.changed --authority herefordshire",
                            &rc);
    assert_int_equal (rc, 0);
    size_t count = 0;
    for (char *c = strstr (changed, "judgement.changed"); c; c = strstr (c + 1, "judgement.changed"))
        count++;
    assert_int_equal (count, CHANGED_AREAS);
    free (changed);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_two_reports_publish_every_event_in_order),
        cmocka_unit_test (test_resubmission_stores_and_publishes_nothing),
        cmocka_unit_test (test_history_lists_both_inspections),
        cmocka_unit_test (test_events_command_replays_the_log),
    };
    return cmocka_run_group_tests_name ("pipeline", tests, NULL, NULL);
}
