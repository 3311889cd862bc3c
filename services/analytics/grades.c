/*  grades — judgement.changed and status.changed.

    For one authority, walks each judgement area's grades in inspection
    order and emits a change wherever consecutive grades differ; walks the
    graded full inspections and emits status.changed where the authority
    enters or leaves inadequate (model_judged_inadequate). Only full
    inspections with known fieldwork count (model_is_dated_full): a
    monitoring visit grades nothing, and a grade a council paper repeats
    without dates cannot be placed. The whole
    history is walked each time, so a report that arrives late (an older
    inspection submitted after a newer one) is placed where it belongs;
    causes already in the log are dropped by their dedupe key.
*/

#include "analytics.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <inttypes.h>

#define MAX_AREAS 32

//  The date of a grade in the world: when the report said it, else the
//  fieldwork's end or start day; none for a start known only to the
//  month (a month is not made a day).
static void
grade_date (const model_inspection_t *inspection, char iso [11])
{
    int day = inspection->published != OW_DATE_NONE ? inspection->published
            : inspection->end != OW_DATE_NONE ? inspection->end
            : inspection->start_month ? OW_DATE_NONE : inspection->start;
    ow_date_to_iso (day, iso);
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
    Ofwatch__V1__Event *event = analytics_event_new (
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED, authority, date);
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

static char *
status_key (const char *authority, int64_t inspection_id)
{
    return ow_printf ("status.changed/%s/%" PRId64, authority, inspection_id);
}

static void
emit_status (analytics_t *self, const char *authority, bool entered, int64_t inspection_id,
             const char *date)
{
    Ofwatch__V1__Event *event = analytics_event_new (
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED, authority, date);
    Ofwatch__V1__StatusChanged *body = OW_PB_NEW (Ofwatch__V1__StatusChanged,
                                                  ofwatch__v1__status_changed__init);
    ow_pb_set_string (&body->status, entered ? "inadequate" : "not_inadequate");
    ow_pb_set_string (&body->direction, entered ? "entered" : "left");
    body->inspection_id = inspection_id;
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_STATUS_CHANGED;
    event->payload->status_changed = body;
    char *key = status_key (authority, inspection_id);
    analytics_emit (self, key, event);
    free (key);
}

//  One area's grades in order.
static void
walk_area (analytics_t *self, const model_history_t *history, const char *area)
{
    const char *code = history->authority->code;
    const model_inspection_t *previous = NULL;
    Ofwatch__V1__Grade previous_grade = 0;
    for (size_t i = 0; i < history->n_inspections; i++) {
        const model_inspection_t *inspection = &history->inspections [i];
        Ofwatch__V1__Grade grade = model_is_dated_full (inspection)
                                 ? model_grade (inspection, area) : 0;
        if (!model_is_graded (grade))
            continue;
        char date [11];
        grade_date (inspection, date);
        if (previous && grade != previous_grade)
            emit_change (self, code, area, previous_grade, previous->id, grade, inspection->id,
                         date);
        previous = inspection;
        previous_grade = grade;
    }
}

static bool
marked (const analytics_mark_t *marks, size_t count, bool entered, int64_t inspection_id)
{
    for (size_t i = 0; i < count; i++)
        if (marks [i].entered == entered && marks [i].inspection_id == inspection_id)
            return true;
    return false;
}

//  Entering and leaving inadequate, from every graded full inspection in
//  order (model_judged_inadequate: the overall judgement, or under the
//  April 2026 framework any judgement). The first inspection known
//  enters inadequate when it judged so; leaving needs one before.
//
//  Only a real change is raised. A history grows in any order, and a
//  change derived from part of it may stand in the log where the whole
//  puts it elsewhere (Norfolk's 2013 inadequate report and 2022 good one
//  arriving before its 2015 and 2017 ones: "left" at 2022, where the
//  whole history leaves at 2017). So a change not yet in the log is
//  raised only when it differs from the last one the log holds: the log
//  never says "left" twice without "entered" between. (A change seen
//  before, by its key, is not looked for in the log again.)
static void
walk_status (analytics_t *self, const model_history_t *history)
{
    const char *code = history->authority->code;
    analytics_mark_t *marks = NULL;
    size_t n_marks = 0;
    bool asked = false, known = false, last = false;
    bool seen = false, was = false;
    for (size_t i = 0; i < history->n_inspections; i++) {
        const model_inspection_t *inspection = &history->inspections [i];
        if (!model_is_graded_full (inspection))
            continue;
        bool inadequate = model_judged_inadequate (inspection);
        char *key = status_key (code, inspection->id);
        bool change = inadequate != was && (inadequate || seen) && !analytics_known (self, key);
        free (key);
        if (change) {
            //  The log is read only when there may be something to add.
            if (!asked) {
                asked = true;
                if (!analytics_status_marks (self, code, &marks, &n_marks))
                    return;         // asked again when the history is next derived
                known = n_marks > 0;
                last = known && marks [n_marks - 1].entered;
            }
            if (!marked (marks, n_marks, inadequate, inspection->id)
                && (!known || last != inadequate)) {
                char date [11];
                grade_date (inspection, date);
                emit_status (self, code, inadequate, inspection->id, date);
                known = true;
                last = inadequate;
            }
        }
        seen = true;
        was = inadequate;
    }
    free (marks);
}

void
analytics_derive_grades (analytics_t *self, const model_history_t *history)
{
    const char *areas [MAX_AREAS];
    size_t n_areas = 0;
    for (size_t i = 0; i < history->n_inspections; i++) {
        const model_inspection_t *inspection = &history->inspections [i];
        for (size_t g = 0; g < inspection->n_grades && model_is_dated_full (inspection); g++) {
            const char *area = inspection->grades [g].area;
            size_t a = 0;
            while (a < n_areas && strcmp (areas [a], area) != 0)
                a++;
            if (a == n_areas && n_areas < MAX_AREAS)
                areas [n_areas++] = area;
        }
    }
    for (size_t a = 0; a < n_areas; a++)
        walk_area (self, history, areas [a]);
    walk_status (self, history);
}
