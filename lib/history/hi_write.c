/*  hi_write — what a document says, written with the events it causes;
    see hi_write.h.

    The order of the work: the inspections the document speaks of are
    resolved and their statements written (hi_inspections.c); what is on
    record of their grades and improvement points is read
    (hi_judgements.c); then the mentions are walked in the document's
    order, each one's events made and its rows gathered (judgements,
    improvements into arrays, findings into a COPY); the gathered rows
    are written; then the deadlines. The events come out in the order of
    the facts, and nothing is decided by a round trip per fact.
*/

#include "hi_mention.h"
#include "ow_date.h"
#include "ow_log.h"
#include "ow_vocab.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
hi_write_prepare (ow_db_t *db)
{
    hi_inspections_prepare (db);
    hi_judgements_prepare (db);
    ow_db_statement (db, "hi_insert_deadlines",
        "INSERT INTO deadline (inspection_id, authority, kind, due, basis, document_id)"
        " SELECT u.i, u.a, u.k, u.d, u.b, $6"
        " FROM unnest ($1::bigint[], $2::text[], $3::text[], $4::date[], $5::text[])"
        " WITH ORDINALITY AS u (i, a, k, d, b, position)"
        " ORDER BY u.position ON CONFLICT DO NOTHING RETURNING authority, kind, due");
}

//  --------------------------------------------------------------------------
//  The writer's helpers (hi_mention.h)

bool
hi_writer_run (hi_writer_t *w, const char *statement, int count, const char *const *values,
               PGresult **out)
{
    PGresult *result = ow_db_run (w->write->db, statement, count, values);
    if (!result) {
        w->failed = true;
        return false;
    }
    if (out)
        *out = result;
    else
        PQclear (result);
    return true;
}

PGresult *
hi_writer_lookup (hi_writer_t *w, const char *sql, int count, const char *const *values)
{
    PGresult *result = hi_query (w->write->db, sql, count, values);
    if (!result)
        w->failed = true;
    return result;
}

void
hi_writer_warn (hi_writer_t *w, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *warning = NULL;
    if (vasprintf (&warning, format, args) < 0)
        abort ();
    va_end (args);
    ow_warn ("a fact was not recorded", "file", w->write->facts->file, "reason", warning);
    ow_pb_append ((void ***) &w->write->warnings, &w->write->n_warnings, warning);
}

Ofwatch__V1__Event *
hi_writer_event (hi_writer_t *w, Ofwatch__V1__EventType type, const char *authority,
                 const char *occurred_on)
{
    Ofwatch__V1__Event *event = w->write->event (w->write->context, type, authority,
                                                 occurred_on && *occurred_on ? occurred_on : NULL);
    assert (event);
    if (!event->payload)
        event->payload = OW_PB_NEW (Ofwatch__V1__Payload, ofwatch__v1__payload__init);
    return event;
}

void
hi_writer_conflict (hi_writer_t *w, const hi_mention_t *mention, const char *fact,
                    const char *existing, const char *existing_sha, const char *incoming,
                    bool kept_incoming)
{
    Ofwatch__V1__Event *event = hi_writer_mention_event (w, mention,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_CONFLICT_DETECTED);
    Ofwatch__V1__ConflictDetected *body = OW_PB_NEW (Ofwatch__V1__ConflictDetected,
        ofwatch__v1__conflict_detected__init);
    body->fact = ow_strdup (fact);
    ow_pb_set_string (&body->existing, existing);
    ow_pb_set_string (&body->incoming, incoming);
    ow_pb_set_string (&body->source_sha256, w->write->sha256);
    ow_pb_set_string (&body->existing_sha256, existing_sha);
    ow_pb_set_string (&body->kept, kept_incoming ? "incoming" : "existing");
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_CONFLICT_DETECTED;
    event->payload->conflict_detected = body;
}

Ofwatch__V1__Event *
hi_writer_mention_event (hi_writer_t *w, const hi_mention_t *mention,
                         Ofwatch__V1__EventType type)
{
    const hi_when_t *known = mention->existing ? &mention->existing->when : NULL;
    int day = OW_DATE_NONE;
    for (int pass = 0; pass < 2 && day == OW_DATE_NONE; pass++) {
        const hi_when_t *when = pass == 0 && known ? known : &mention->when;
        if (when->end != OW_DATE_NONE)
            day = when->end;
        else if (when->start != OW_DATE_NONE && !when->start_month)
            day = when->start;
    }
    if (day == OW_DATE_NONE)
        day = mention->when.published;
    char iso [11];
    ow_date_to_iso (day, iso);
    return hi_writer_event (w, type, mention->authority, iso);
}

//  --------------------------------------------------------------------------
//  Findings: every source's are kept, each with its document and span

typedef struct {
    hi_writer_t *w;
    hi_copy_t *copy;                // open once the first finding comes
} findings_t;

static void
add_finding (findings_t *f, const hi_mention_t *m, const Ofwatch__V1__Finding *finding)
{
    hi_writer_t *w = f->w;
    const char *polarity = ow_polarity_word (finding->polarity);
    const char *theme = ow_theme_word (finding->theme);
    if (!polarity || !finding->text || !*finding->text)
        return;
    if (!f->copy) {
        f->copy = hi_copy_begin (w->write->db, "COPY finding (inspection_id, document_id,"
                                 " polarity, theme, text, span_start, span_end) FROM STDIN");
        if (!f->copy) {
            w->failed = true;
            return;
        }
    }
    hi_copy_int (f->copy, m->id);
    hi_copy_text (f->copy, w->write->document_id);
    hi_copy_text (f->copy, polarity);
    hi_copy_text (f->copy, theme ? theme : "other");
    hi_copy_text (f->copy, finding->text);
    hi_copy_int (f->copy, finding->start);
    hi_copy_int (f->copy, finding->end);
    hi_copy_end_row (f->copy);

    Ofwatch__V1__Event *event = hi_writer_mention_event (w, m,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_FINDING_RECORDED);
    event->theme = theme ? finding->theme : OFWATCH__V1__THEME__THEME_OTHER;
    Ofwatch__V1__FindingRecorded *body = OW_PB_NEW (Ofwatch__V1__FindingRecorded,
        ofwatch__v1__finding_recorded__init);
    body->inspection_id = m->id;
    body->finding = ow_pb_copy (&finding->base);
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_FINDING_RECORDED;
    event->payload->finding_recorded = body;
}

//  Walks the mentions in the document's order: each one's inspection
//  events, grades and improvements, then findings.
static void
walk (hi_writer_t *w, hi_judgements_t *judgements)
{
    findings_t f = { .w = w };
    for (size_t i = 0; i < w->count && !w->failed; i++) {
        const hi_mention_t *m = &w->mentions [i];
        ow_pb_append_int64 (&w->write->inspection_ids, &w->write->n_inspection_ids, m->id);
        hi_inspections_events (w, m);
        hi_judgements_add (judgements, m);
        for (size_t j = 0; j < m->facts->n_findings && !w->failed; j++)
            add_finding (&f, m, m->facts->findings [j]);
    }
    //  Ended before anything else runs on the connection; a failure ends
    //  it too, so the connection can roll back.
    if (f.copy && !hi_copy_end (&f.copy))
        w->failed = true;
    if (!w->failed)
        hi_judgements_write (judgements);
}

//  --------------------------------------------------------------------------
//  Deadlines

//  The document's first full inspection: its deadlines follow from it.
static int64_t
full_inspection (const hi_writer_t *w)
{
    for (size_t i = 0; i < w->count; i++)
        if (ow_kind_is_full_inspection (w->mentions [i].facts->kind))
            return w->mentions [i].id;
    return 0;
}

static void
deadline_event (hi_writer_t *w, const Ofwatch__V1__Deadline *deadline, int64_t inspection)
{
    const Ofwatch__V1__Extraction *facts = w->write->facts;
    Ofwatch__V1__Event *event = hi_writer_event (w,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_SET, facts->authority->code,
        facts->published_on);
    Ofwatch__V1__DeadlineEvent *body = OW_PB_NEW (Ofwatch__V1__DeadlineEvent,
        ofwatch__v1__deadline_event__init);
    body->deadline = ow_pb_copy (&deadline->base);
    body->inspection_id = inspection;
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_DEADLINE;
    event->payload->deadline = body;
}

//  A deadline already known (authority, kind, due) is not set again: the
//  rows the insert returns say which were new, the first deadline of the
//  document with each returned key.
static void
write_deadlines (hi_writer_t *w)
{
    const Ofwatch__V1__Extraction *facts = w->write->facts;
    if (facts->n_deadlines == 0 || w->failed)
        return;
    int64_t inspection = full_inspection (w);
    hi_array_t *columns [5];
    for (size_t c = 0; c < 5; c++)
        columns [c] = hi_array_new ();
    for (size_t i = 0; i < facts->n_deadlines; i++) {
        const Ofwatch__V1__Deadline *deadline = facts->deadlines [i];
        if (inspection)
            hi_array_add_int (columns [0], inspection);
        else
            hi_array_add (columns [0], NULL);
        hi_array_add (columns [1], facts->authority->code);
        hi_array_add (columns [2], deadline->kind);
        hi_array_add (columns [3], deadline->due);
        hi_array_add (columns [4], hi_param (deadline->basis));
    }
    const char *values [6];
    for (size_t c = 0; c < 5; c++)
        values [c] = hi_array_text (columns [c]);
    values [5] = w->write->document_id;
    PGresult *result = NULL;
    bool *created = ow_calloc (facts->n_deadlines, sizeof (bool));
    if (hi_writer_run (w, "hi_insert_deadlines", 6, values, &result)) {
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
            deadline_event (w, facts->deadlines [i], inspection);
    free (created);
    for (size_t c = 0; c < 5; c++)
        hi_array_destroy (&columns [c]);
}

//  --------------------------------------------------------------------------

bool
hi_write_facts (hi_write_t *self)
{
    assert (self->db && self->facts && self->facts->authority && self->document_id
            && self->sha256 && self->event);
    hi_writer_t w = { .write = self, .rank = hi_rank (self->facts->doc_kind),
                      .published = ow_date_from_iso (self->facts->published_on) };
    hi_inspections_resolve (&w);
    if (w.count && !w.failed) {
        hi_judgements_t *judgements = hi_judgements_new (&w);
        if (!w.failed)
            walk (&w, judgements);
        hi_judgements_destroy (&judgements);
    }
    write_deadlines (&w);
    hi_inspections_free (&w);
    return !w.failed;
}

void
hi_write_clear (hi_write_t *self)
{
    free (self->inspection_ids);
    self->inspection_ids = NULL;
    self->n_inspection_ids = 0;
    for (size_t i = 0; i < self->n_warnings; i++)
        free (self->warnings [i]);
    free (self->warnings);
    self->warnings = NULL;
    self->n_warnings = 0;
}
