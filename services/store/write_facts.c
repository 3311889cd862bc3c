/*  write_facts — what a document says, written in a few round trips, with
    the events it causes.

    An inspection has an identity independent of the document reporting
    it (see inspection_identity), so an Ofsted report and a council paper
    reporting the same inspection meet in one row; a judgement that a
    later document grades differently is a conflict.detected event, never
    a silent overwrite.

    The work is batched whatever the document's size (a report has a few
    dozen facts, a records feed a hundred thousand): the inspections are
    looked up and the missing ones inserted with one statement each; the
    grades already known for them are read in one; then the facts are
    walked in the document's order, deciding each one and adding its
    event, while their rows gather into arrays (judgements,
    improvements, deadlines: one INSERT ... SELECT FROM unnest each) or
    stream into a COPY (findings). Nothing is decided by a round trip per
    fact, and the events come out in the same order as the facts.
*/

#include "write.h"
#include "bulk.h"
#include "ow_date.h"
#include "ow_log.h"
#include "ow_vocab.h"

#include <inttypes.h>

//  Lookups by arrays of keys, run with store_bulk_query (bulk.h says why).
#define FIND_INSPECTIONS \
    "SELECT i.identity, i.id FROM unnest ($1::text[]) AS u (identity)" \
    " JOIN inspection i ON i.identity = u.identity"
#define GRADES_OF_INSPECTIONS \
    "SELECT j.inspection_id, j.area, j.grade FROM unnest ($1::bigint[]) AS u (id)" \
    " JOIN judgement j ON j.inspection_id = u.id"

void
write_facts_prepare (store_t *store)
{
    ow_db_statement (store->db, "insert_inspections",
        "INSERT INTO inspection (identity, authority, kind, start_date, end_date,"
        " published_on, visit_number, lead_inspector, inspectors, inadequate_since, document_id)"
        " SELECT u.identity, u.authority, u.kind, u.start_date, u.end_date, u.published_on,"
        "  u.visit_number, u.lead_inspector, u.inspectors::text[], u.inadequate_since, $11"
        " FROM unnest ($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::date[],"
        "  $7::int[], $8::text[], $9::text[], $10::text[]) WITH ORDINALITY"
        " AS u (identity, authority, kind, start_date, end_date, published_on, visit_number,"
        "  lead_inspector, inspectors, inadequate_since, position)"
        " ORDER BY u.position RETURNING identity, id");
    ow_db_statement (store->db, "link_document_inspections",
        "INSERT INTO document_inspection SELECT $1, unnest ($2::bigint[]) ON CONFLICT DO NOTHING");
    ow_db_statement (store->db, "insert_judgements",
        "INSERT INTO judgement (inspection_id, area, grade, document_id)"
        " SELECT u.i, u.a, u.g, $4 FROM unnest ($1::bigint[], $2::text[], $3::text[])"
        " AS u (i, a, g)");
    ow_db_statement (store->db, "insert_improvements",
        "INSERT INTO improvement (inspection_id, position, text, document_id)"
        " SELECT u.i, u.p, u.t, $4 FROM unnest ($1::bigint[], $2::int[], $3::text[])"
        " AS u (i, p, t) ON CONFLICT DO NOTHING");
    ow_db_statement (store->db, "insert_deadlines",
        "INSERT INTO deadline (inspection_id, authority, kind, due, basis, document_id)"
        " SELECT u.i, u.a, u.k, u.d, u.b, $6"
        " FROM unnest ($1::bigint[], $2::text[], $3::text[], $4::date[], $5::text[])"
        " WITH ORDINALITY AS u (i, a, k, d, b, position)"
        " ORDER BY u.position ON CONFLICT DO NOTHING RETURNING authority, kind, due");
}

//  One event of the document (an inspection or visit) of a known kind.
typedef struct {
    const Ofwatch__V1__InspectionFacts *facts;
    char *identity;
    int64_t id;
    bool first;                 // the document's first event with this identity
    bool created;               // ... and it inserted the inspection
} inspection_t;

//  The rows gathered while walking the facts.
typedef struct {
    write_t *w;
    inspection_t *inspections;      // in the document's order
    size_t count;
    zhashx_t *by_identity;          // identity -> its first inspection_t
    zhashx_t *grades;               // "inspection/area" -> grade, known or added
    store_array_t *judgement_ids, *judgement_areas, *judgement_grades;
    store_array_t *improvement_ids, *improvement_positions, *improvement_texts;
    store_copy_t *findings;         // open once the first finding comes
    int64_t full_inspection_id;     // the first full inspection reported
} facts_t;

//  The authority an inspection is about: its own when a records feed
//  names one (write_document.c has checked it is in the register), else
//  the document's.
static const char *
authority_of (const facts_t *f, const Ofwatch__V1__InspectionFacts *facts)
{
    if (facts->authority && facts->authority->code && *facts->authority->code)
        return facts->authority->code;
    return f->w->facts->authority->code;
}

//  Inspections of one family share an identity whatever their subkind: a
//  council paper says "ILACS" where the report is "ilacs_standard".
static const char *
kind_family (Ofwatch__V1__InspectionKind kind)
{
    switch (kind) {
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS:
            return "ilacs";
        default:
            return ow_kind_word (kind);
    }
}

//  authority, kind family, and the first known of: fieldwork start, visit
//  number, publication date.
static char *
inspection_identity (const char *authority, const Ofwatch__V1__InspectionFacts *facts,
                     const char *published_on)
{
    const char *family = kind_family (facts->kind);
    if (facts->start_date && *facts->start_date)
        return ow_printf ("%s/%s/%s", authority, family ? family : "unknown", facts->start_date);
    if (facts->visit_number > 0)
        return ow_printf ("%s/%s/visit-%d", authority, family ? family : "unknown",
                          facts->visit_number);
    return ow_printf ("%s/%s/published-%s", authority, family ? family : "unknown",
                      published_on ? published_on : "unknown");
}

static const char *
occurred_on (const Ofwatch__V1__InspectionFacts *facts, const char *published_on)
{
    if (facts->end_date && *facts->end_date)
        return facts->end_date;
    if (facts->start_date && *facts->start_date)
        return facts->start_date;
    return published_on;
}

static void
collect_inspections (facts_t *f)
{
    const Ofwatch__V1__Extraction *facts = f->w->facts;
    f->inspections = ow_calloc (facts->n_events + 1, sizeof (inspection_t));
    f->by_identity = zhashx_new ();
    for (size_t i = 0; i < facts->n_events; i++) {
        if (!ow_kind_word (facts->events [i]->kind))
            continue;
        inspection_t *inspection = &f->inspections [f->count++];
        inspection->facts = facts->events [i];
        inspection->identity = inspection_identity (authority_of (f, facts->events [i]), facts->events [i],
                                                    facts->published_on);
        inspection->first = zhashx_insert (f->by_identity, inspection->identity,
                                           inspection) == 0;
    }
}

//  A lookup of store_bulk_query; on failure sets w->failed.
static PGresult *
lookup (write_t *w, const char *sql, store_array_t *keys)
{
    const char *values [] = { store_array_text (keys) };
    PGresult *result = store_bulk_query (w->store, sql, 1, values);
    if (!result)
        w->failed = true;
    return result;
}

//  Sets the id of each identity found in a result of (identity, id) rows.
static void
take_ids (facts_t *f, PGresult *result, bool created)
{
    for (int row = 0; row < PQntuples (result); row++) {
        inspection_t *inspection = zhashx_lookup (f->by_identity, ow_db_value (result, row, 0));
        if (!inspection)
            continue;
        inspection->id = strtoll (ow_db_value (result, row, 1), NULL, 10);
        inspection->created = created;
    }
}

//  Finds the inspections already known, inserts the others (one
//  statement each), and gives every later mention its first's id.
static void
resolve_inspections (facts_t *f)
{
    write_t *w = f->w;
    store_array_t *identities = store_array_new ();
    for (size_t i = 0; i < f->count; i++)
        if (f->inspections [i].first)
            store_array_add (identities, f->inspections [i].identity);
    PGresult *result = lookup (w, FIND_INSPECTIONS, identities);
    if (result)
        take_ids (f, result, false);
    PQclear (result);
    store_array_destroy (&identities);

    store_array_t *columns [10];
    for (size_t c = 0; c < 10; c++)
        columns [c] = store_array_new ();
    const char *published = store_date_param (w->facts->published_on);
    for (size_t i = 0; i < f->count && !w->failed; i++) {
        const inspection_t *inspection = &f->inspections [i];
        if (!inspection->first || inspection->id)
            continue;
        const Ofwatch__V1__InspectionFacts *facts = inspection->facts;
        char *inspectors = store_text_array ((const char *const *) facts->inspectors,
                                             facts->n_inspectors);
        store_array_add (columns [0], inspection->identity);
        store_array_add (columns [1], authority_of (f, facts));
        store_array_add (columns [2], ow_kind_word (facts->kind));
        store_array_add (columns [3], store_date_param (facts->start_date));
        store_array_add (columns [4], store_date_param (facts->end_date));
        store_array_add (columns [5], published);
        if (facts->visit_number > 0)
            store_array_add_int (columns [6], facts->visit_number);
        else
            store_array_add (columns [6], NULL);
        store_array_add (columns [7], store_date_param (facts->lead_inspector));
        store_array_add (columns [8], inspectors);
        store_array_add (columns [9], store_date_param (facts->inadequate_since));
        free (inspectors);
    }
    if (store_array_count (columns [0]) && !w->failed) {
        const char *values [11];
        for (size_t c = 0; c < 10; c++)
            values [c] = store_array_text (columns [c]);
        values [10] = w->document_id;
        result = NULL;
        if (write_run (w, "insert_inspections", 11, values, &result))
            take_ids (f, result, true);
        PQclear (result);
    }
    for (size_t c = 0; c < 10; c++)
        store_array_destroy (&columns [c]);

    for (size_t i = 0; i < f->count && !w->failed; i++) {
        inspection_t *inspection = &f->inspections [i];
        const inspection_t *first = zhashx_lookup (f->by_identity, inspection->identity);
        inspection->id = first->id;
        if (!inspection->id) {
            ow_error ("an inspection was neither found nor inserted",
                      "identity", inspection->identity);
            w->failed = true;
        }
    }
}

static char *
grade_key (int64_t inspection_id, const char *area)
{
    return ow_printf ("%" PRId64 "/%s", inspection_id, area);
}

//  Links the document to its inspections, and reads the grades already
//  known for those that existed before it.
static void
link_and_read_grades (facts_t *f)
{
    write_t *w = f->w;
    store_array_t *ids = store_array_new ();
    store_array_t *known = store_array_new ();
    for (size_t i = 0; i < f->count; i++) {
        const inspection_t *inspection = &f->inspections [i];
        if (!inspection->first)
            continue;
        store_array_add_int (ids, inspection->id);
        if (!inspection->created)
            store_array_add_int (known, inspection->id);
    }
    const char *link [] = { w->document_id, store_array_text (ids) };
    if (store_array_count (ids))
        write_run (w, "link_document_inspections", 2, link, NULL);
    f->grades = zhashx_new ();
    zhashx_set_destructor (f->grades, (zhashx_destructor_fn *) zstr_free);
    PGresult *result = NULL;
    if (store_array_count (known) && !w->failed
    &&  (result = lookup (w, GRADES_OF_INSPECTIONS, known)) != NULL) {
        for (int row = 0; row < PQntuples (result); row++) {
            char *key = grade_key (strtoll (ow_db_value (result, row, 0), NULL, 10),
                                   ow_db_value (result, row, 1));
            zhashx_insert (f->grades, key, ow_strdup (ow_db_value (result, row, 2)));
            free (key);
        }
    }
    PQclear (result);
    store_array_destroy (&ids);
    store_array_destroy (&known);
}

static void
add_inspection_event (facts_t *f, const inspection_t *inspection)
{
    write_t *w = f->w;
    const Ofwatch__V1__InspectionFacts *facts = inspection->facts;
    const char *published = w->facts->published_on;
    Ofwatch__V1__Event *event = event_batch_new (&w->batch,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_INSPECTION_RECORDED, authority_of (f, facts),
        occurred_on (facts, published));
    Ofwatch__V1__InspectionRecorded *body = OW_PB_NEW (Ofwatch__V1__InspectionRecorded,
        ofwatch__v1__inspection_recorded__init);
    body->inspection_id = inspection->id;
    body->kind = facts->kind;
    ow_pb_set_string (&body->start_date, facts->start_date);
    ow_pb_set_string (&body->end_date, facts->end_date);
    body->visit_number = facts->visit_number;
    ow_pb_set_string (&body->lead_inspector, facts->lead_inspector);
    ow_pb_set_string (&body->published_on, published);
    ow_pb_set_string (&body->source_sha256, w->reply->sha256);
    event_payload (event)->body_case = OFWATCH__V1__PAYLOAD__BODY_INSPECTION_RECORDED;
    event->payload->inspection_recorded = body;
}

//  A graded area: recorded when it is new, a conflict when the grade
//  already known (before, or earlier in this document) differs.
static void
add_judgement (facts_t *f, const inspection_t *inspection, const char *area,
               Ofwatch__V1__Grade grade)
{
    write_t *w = f->w;
    const char *grade_word = ow_grade_word (grade);
    if (!grade_word || !ow_vocab_is_area (area))
        return;
    const Ofwatch__V1__InspectionFacts *facts = inspection->facts;
    const char *when = occurred_on (facts, w->facts->published_on);
    char *key = grade_key (inspection->id, area);
    const char *was = zhashx_lookup (f->grades, key);
    if (!was) {
        zhashx_insert (f->grades, key, ow_strdup (grade_word));
        store_array_add_int (f->judgement_ids, inspection->id);
        store_array_add (f->judgement_areas, area);
        store_array_add (f->judgement_grades, grade_word);
        Ofwatch__V1__Event *event = event_batch_new (&w->batch,
            OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_RECORDED, authority_of (f, facts), when);
        Ofwatch__V1__JudgementRecorded *body = OW_PB_NEW (Ofwatch__V1__JudgementRecorded,
            ofwatch__v1__judgement_recorded__init);
        body->inspection_id = inspection->id;
        body->kind = facts->kind;
        ow_pb_set_string (&body->area, area);
        body->grade = grade;
        event_payload (event)->body_case = OFWATCH__V1__PAYLOAD__BODY_JUDGEMENT_RECORDED;
        event->payload->judgement_recorded = body;
    }
    else
    if (strcmp (was, grade_word) != 0) {
        Ofwatch__V1__Event *event = event_batch_new (&w->batch,
            OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_CONFLICT_DETECTED, authority_of (f, facts), when);
        Ofwatch__V1__ConflictDetected *body = OW_PB_NEW (Ofwatch__V1__ConflictDetected,
            ofwatch__v1__conflict_detected__init);
        body->fact = ow_printf ("judgement %s of inspection %" PRId64, area, inspection->id);
        ow_pb_set_string (&body->existing, was);
        ow_pb_set_string (&body->incoming, grade_word);
        ow_pb_set_string (&body->source_sha256, w->reply->sha256);
        event_payload (event)->body_case = OFWATCH__V1__PAYLOAD__BODY_CONFLICT_DETECTED;
        event->payload->conflict_detected = body;
    }
    free (key);
}

static void
add_finding (facts_t *f, const inspection_t *inspection, const Ofwatch__V1__Finding *finding)
{
    write_t *w = f->w;
    const char *polarity = ow_polarity_word (finding->polarity);
    const char *theme = ow_theme_word (finding->theme);
    if (!polarity || !finding->text || !*finding->text)
        return;
    if (!f->findings) {
        f->findings = store_copy_begin (w->store, "COPY finding (inspection_id, document_id,"
                                        " polarity, theme, text, span_start, span_end) FROM STDIN");
        if (!f->findings) {
            w->failed = true;
            return;
        }
    }
    store_copy_int (f->findings, inspection->id);
    store_copy_text (f->findings, w->document_id);
    store_copy_text (f->findings, polarity);
    store_copy_text (f->findings, theme ? theme : "other");
    store_copy_text (f->findings, finding->text);
    store_copy_int (f->findings, finding->start);
    store_copy_int (f->findings, finding->end);
    store_copy_end_row (f->findings);

    Ofwatch__V1__Event *event = event_batch_new (&w->batch,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_FINDING_RECORDED, authority_of (f, inspection->facts),
        occurred_on (inspection->facts, w->facts->published_on));
    event->theme = theme ? finding->theme : OFWATCH__V1__THEME__THEME_OTHER;
    Ofwatch__V1__FindingRecorded *body = OW_PB_NEW (Ofwatch__V1__FindingRecorded,
        ofwatch__v1__finding_recorded__init);
    body->inspection_id = inspection->id;
    body->finding = ow_pb_copy (&finding->base);
    event_payload (event)->body_case = OFWATCH__V1__PAYLOAD__BODY_FINDING_RECORDED;
    event->payload->finding_recorded = body;
}

//  Walks the inspections in the document's order: each one's event when
//  it is new, then its judgements, improvements and findings.
static void
walk_inspections (facts_t *f)
{
    write_t *w = f->w;
    for (size_t i = 0; i < f->count && !w->failed; i++) {
        const inspection_t *inspection = &f->inspections [i];
        const Ofwatch__V1__InspectionFacts *facts = inspection->facts;
        ow_pb_append_int64 (&w->reply->inspection_ids, &w->reply->n_inspection_ids,
                            inspection->id);
        if (!f->full_inspection_id && ow_kind_is_full_inspection (facts->kind))
            f->full_inspection_id = inspection->id;
        if (inspection->created && inspection->first)
            add_inspection_event (f, inspection);
        for (size_t j = 0; j < facts->n_judgements; j++)
            add_judgement (f, inspection, facts->judgements [j]->key,
                           facts->judgements [j]->value);
        for (size_t j = 0; j < facts->n_improvements; j++) {
            store_array_add_int (f->improvement_ids, inspection->id);
            store_array_add_int (f->improvement_positions, (int64_t) j + 1);
            store_array_add (f->improvement_texts, facts->improvements [j]);
        }
        for (size_t j = 0; j < facts->n_findings && !w->failed; j++)
            add_finding (f, inspection, facts->findings [j]);
    }
}

//  The rows gathered by the walk: the findings' COPY ends, judgements and
//  improvements go in one statement each.
static void
write_gathered (facts_t *f)
{
    write_t *w = f->w;
    if (f->findings && !store_copy_end (&f->findings))
        w->failed = true;
    if (store_array_count (f->judgement_ids) && !w->failed) {
        const char *values [] = {
            store_array_text (f->judgement_ids), store_array_text (f->judgement_areas),
            store_array_text (f->judgement_grades), w->document_id
        };
        write_run (w, "insert_judgements", 4, values, NULL);
    }
    if (store_array_count (f->improvement_ids) && !w->failed) {
        const char *values [] = {
            store_array_text (f->improvement_ids), store_array_text (f->improvement_positions),
            store_array_text (f->improvement_texts), w->document_id
        };
        write_run (w, "insert_improvements", 4, values, NULL);
    }
}

static void
add_deadline_event (facts_t *f, const Ofwatch__V1__Deadline *deadline)
{
    write_t *w = f->w;
    Ofwatch__V1__Event *event = event_batch_new (&w->batch,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_SET, w->facts->authority->code,
        w->facts->published_on);
    Ofwatch__V1__DeadlineEvent *body = OW_PB_NEW (Ofwatch__V1__DeadlineEvent,
        ofwatch__v1__deadline_event__init);
    body->deadline = ow_pb_copy (&deadline->base);
    body->inspection_id = f->full_inspection_id;
    event_payload (event)->body_case = OFWATCH__V1__PAYLOAD__BODY_DEADLINE;
    event->payload->deadline = body;
}

//  Deadlines follow from the document's full inspection; one that is
//  already known (authority, kind, due) is not set again. The rows the
//  insert returns say which were new: the first deadline of the document
//  with each returned key.
static void
write_deadlines (facts_t *f)
{
    write_t *w = f->w;
    const Ofwatch__V1__Extraction *facts = w->facts;
    if (facts->n_deadlines == 0 || w->failed)
        return;
    store_array_t *columns [5];
    for (size_t c = 0; c < 5; c++)
        columns [c] = store_array_new ();
    for (size_t i = 0; i < facts->n_deadlines; i++) {
        const Ofwatch__V1__Deadline *deadline = facts->deadlines [i];
        if (f->full_inspection_id)
            store_array_add_int (columns [0], f->full_inspection_id);
        else
            store_array_add (columns [0], NULL);
        store_array_add (columns [1], facts->authority->code);
        store_array_add (columns [2], deadline->kind);
        store_array_add (columns [3], deadline->due);
        store_array_add (columns [4], store_date_param (deadline->basis));
    }
    const char *values [6];
    for (size_t c = 0; c < 5; c++)
        values [c] = store_array_text (columns [c]);
    values [5] = w->document_id;
    PGresult *result = NULL;
    bool *created = ow_calloc (facts->n_deadlines, sizeof (bool));
    if (write_run (w, "insert_deadlines", 6, values, &result)) {
        for (int row = 0; row < PQntuples (result); row++) {
            int due = ow_date_from_iso (ow_db_value (result, row, 2));
            for (size_t i = 0; i < facts->n_deadlines; i++)
                if (!created [i] && streq (facts->deadlines [i]->kind, ow_db_value (result, row, 1))
                &&  ow_date_from_iso (facts->deadlines [i]->due) == due) {
                    created [i] = true;
                    break;
                }
        }
    }
    PQclear (result);
    for (size_t i = 0; i < facts->n_deadlines && !w->failed; i++)
        if (created [i])
            add_deadline_event (f, facts->deadlines [i]);
    free (created);
    for (size_t c = 0; c < 5; c++)
        store_array_destroy (&columns [c]);
}

void
write_facts (write_t *w)
{
    facts_t f = { .w = w };
    f.judgement_ids = store_array_new ();
    f.judgement_areas = store_array_new ();
    f.judgement_grades = store_array_new ();
    f.improvement_ids = store_array_new ();
    f.improvement_positions = store_array_new ();
    f.improvement_texts = store_array_new ();
    collect_inspections (&f);
    if (f.count) {
        resolve_inspections (&f);
        if (!w->failed)
            link_and_read_grades (&f);
        if (!w->failed)
            walk_inspections (&f);
    }
    if (!w->failed)
        write_gathered (&f);
    write_deadlines (&f);

    //  A COPY left open by a failure is ended, so the connection can
    //  roll back.
    if (f.findings)
        store_copy_end (&f.findings);
    for (size_t i = 0; i < f.count; i++)
        free (f.inspections [i].identity);
    free (f.inspections);
    zhashx_destroy (&f.by_identity);
    zhashx_destroy (&f.grades);
    store_array_destroy (&f.judgement_ids);
    store_array_destroy (&f.judgement_areas);
    store_array_destroy (&f.judgement_grades);
    store_array_destroy (&f.improvement_ids);
    store_array_destroy (&f.improvement_positions);
    store_array_destroy (&f.improvement_texts);
}
