/*  grades — judgement.changed and status.changed.

    For one authority, walks each judgement area's grades in inspection
    order and emits a change wherever consecutive grades differ; walks the
    overall grades of full inspections and emits status.changed where the
    authority enters or leaves inadequate. The whole history is walked each
    time, so a report that arrives late (an older inspection submitted
    after a newer one) is placed where it belongs; causes already in the
    log are dropped by their dedupe key.
*/

#include "analytics.h"
#include "ow_log.h"
#include "ow_vocab.h"

#include <inttypes.h>

void
analytics_prepare_grades (analytics_t *self)
{
    //  Full inspections only: a monitoring visit grades nothing.
    ow_db_statement (self->db, "grades_in_order",
        "SELECT j.area, j.grade, i.id,"
        " coalesce (i.published_on, i.end_date, i.start_date)::text, i.kind"
        " FROM judgement j JOIN inspection i ON i.id = j.inspection_id"
        " WHERE i.authority = $1"
        " ORDER BY j.area, coalesce (i.start_date, i.published_on), i.id");
}

static Ofwatch__V1__Event *
new_event (Ofwatch__V1__EventType type, const char *authority, const char *date)
{
    Ofwatch__V1__Event *event = OW_PB_NEW (Ofwatch__V1__Event, ofwatch__v1__event__init);
    event->type = type;
    ow_pb_set_string (&event->authority, authority);
    ow_pb_set_string (&event->occurred_on, date);
    event->payload = OW_PB_NEW (Ofwatch__V1__Payload, ofwatch__v1__payload__init);
    return event;
}

static const char *
direction (Ofwatch__V1__Grade from, Ofwatch__V1__Grade to)
{
    int a = ow_grade_rank (from), b = ow_grade_rank (to);
    return b > a ? "improved" : b < a ? "declined" : "changed";
}

static void
emit_change (analytics_t *self, const char *authority, const char *area,
             Ofwatch__V1__Grade from, int64_t from_id, Ofwatch__V1__Grade to, int64_t to_id,
             const char *date)
{
    Ofwatch__V1__Event *event = new_event (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED,
                                           authority, date);
    Ofwatch__V1__JudgementChanged *body = OW_PB_NEW (Ofwatch__V1__JudgementChanged,
                                                     ofwatch__v1__judgement_changed__init);
    ow_pb_set_string (&body->area, area);
    body->from = from;
    body->to = to;
    ow_pb_set_string (&body->direction, direction (from, to));
    body->from_inspection_id = from_id;
    body->to_inspection_id = to_id;
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_JUDGEMENT_CHANGED;
    event->payload->judgement_changed = body;
    char *key = ow_printf ("judgement.changed/%s/%s/%" PRId64 "/%" PRId64,
                           authority, area, from_id, to_id);
    analytics_emit (self, key, event);
    free (key);
}

static void
emit_status (analytics_t *self, const char *authority, bool entered, int64_t inspection_id,
             const char *date)
{
    Ofwatch__V1__Event *event = new_event (OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED,
                                           authority, date);
    Ofwatch__V1__StatusChanged *body = OW_PB_NEW (Ofwatch__V1__StatusChanged,
                                                  ofwatch__v1__status_changed__init);
    ow_pb_set_string (&body->status, entered ? "inadequate" : "not_inadequate");
    ow_pb_set_string (&body->direction, entered ? "entered" : "left");
    body->inspection_id = inspection_id;
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_STATUS_CHANGED;
    event->payload->status_changed = body;
    char *key = ow_printf ("status.changed/%s/%" PRId64, authority, inspection_id);
    analytics_emit (self, key, event);
    free (key);
}

bool
analytics_derive_grades (analytics_t *self, const char *authority)
{
    const char *values [] = { authority };
    PGresult *result = ow_db_run (self->db, "grades_in_order", 1, values);
    if (!result)
        return false;
    const char *previous_area = NULL;
    Ofwatch__V1__Grade previous = 0;
    int64_t previous_id = 0;
    bool inadequate = false;
    for (int row = 0; row < PQntuples (result); row++) {
        const char *area = ow_db_value (result, row, 0);
        Ofwatch__V1__Grade grade = ow_vocab_value (&ofwatch__v1__grade__descriptor,
                                                   ow_db_value (result, row, 1));
        int64_t id = strtoll (ow_db_value (result, row, 2), NULL, 10);
        const char *date = ow_db_value (result, row, 3);
        Ofwatch__V1__InspectionKind kind = ow_vocab_value (
            &ofwatch__v1__inspection_kind__descriptor, ow_db_value (result, row, 4));
        if (!ow_kind_is_full_inspection (kind) || grade == OFWATCH__V1__GRADE__GRADE_NOT_JUDGED)
            continue;
        bool same_area = previous_area && strcmp (previous_area, area) == 0;
        if (same_area && grade != previous)
            emit_change (self, authority, area, previous, previous_id, grade, id, date);
        if (strcmp (area, "overall") == 0) {
            bool now = grade == OFWATCH__V1__GRADE__GRADE_INADEQUATE;
            if (now != inadequate && (now || same_area))
                emit_status (self, authority, now, id, date);
            inadequate = now;
        }
        previous_area = area;
        previous = grade;
        previous_id = id;
    }
    PQclear (result);
    return true;
}
