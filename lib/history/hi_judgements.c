/*  hi_judgements — an inspection's grades and improvement points, by whose
    word counts.

    A grade on record keeps the document it came from. Another document
    grading the same area the same way changes nothing (but becomes the
    grade's source when its word counts more); grading it otherwise is a
    conflict.detected naming both documents, and the grade of the more
    authoritative one is kept (hi_identity.h), so a report that comes
    after a feed corrects it and a feed that comes after a report does
    not overrule it: the same grades whatever the order.

    Children in care and care leavers are one fact told one of two ways:
    graded together (in_care_and_care_leavers, until the framework split
    them) or apart (in_care and care_leavers). Told both ways for one
    inspection, that is a conflict, and only the more authoritative
    source's way is kept, never three in-care grades side by side.

    Improvement points are a list: an inspection's list is the most
    authoritative source's, whole.

    What is on record is read in two queries for all the document's
    inspections; the decisions are made in memory, in the document's
    order, and written with at most four statements.
*/

#include "hi_mention.h"
#include "ow_date.h"
#include "ow_log.h"
#include "ow_vocab.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define GRADES_ON_RECORD                                                         \
    "SELECT j.inspection_id, j.area, j.grade, coalesce (s.rank, 0),"              \
    " coalesce (s.published_on::text, ''), d.sha256"                              \
    " FROM unnest ($1::bigint[]) AS u (id) JOIN judgement j ON j.inspection_id = u.id" \
    " JOIN document d ON d.id = j.document_id"                                    \
    " LEFT JOIN document_inspection s"                                            \
    "  ON s.document_id = j.document_id AND s.inspection_id = j.inspection_id"
#define IMPROVEMENTS_ON_RECORD                                                   \
    "SELECT DISTINCT ON (m.inspection_id) m.inspection_id, coalesce (s.rank, 0),"  \
    " coalesce (s.published_on::text, ''), d.sha256"                              \
    " FROM unnest ($1::bigint[]) AS u (id) JOIN improvement m ON m.inspection_id = u.id" \
    " JOIN document d ON d.id = m.document_id"                                    \
    " LEFT JOIN document_inspection s"                                            \
    "  ON s.document_id = m.document_id AND s.inspection_id = m.inspection_id"    \
    " ORDER BY m.inspection_id"

//  The areas that say how children in care and care leavers fared.
static const char *s_in_care [] = { "in_care_and_care_leavers", "in_care", "care_leavers" };
#define IN_CARE_AREAS 3

void
hi_judgements_prepare (ow_db_t *db)
{
    ow_db_statement (db, "hi_delete_judgements",
        "DELETE FROM judgement j USING unnest ($1::bigint[], $2::text[]) AS u (i, a)"
        " WHERE j.inspection_id = u.i AND j.area = u.a");
    ow_db_statement (db, "hi_upsert_judgements",
        "INSERT INTO judgement (inspection_id, area, grade, document_id)"
        " SELECT u.i, u.a, u.g, $4 FROM unnest ($1::bigint[], $2::text[], $3::text[])"
        " AS u (i, a, g)"
        " ON CONFLICT (inspection_id, area)"
        " DO UPDATE SET grade = excluded.grade, document_id = excluded.document_id");
    ow_db_statement (db, "hi_delete_improvements",
        "DELETE FROM improvement WHERE inspection_id = ANY ($1::bigint[])");
    ow_db_statement (db, "hi_insert_improvements",
        "INSERT INTO improvement (inspection_id, position, text, document_id)"
        " SELECT u.i, u.p, u.t, $4 FROM unnest ($1::bigint[], $2::int[], $3::text[])"
        " AS u (i, p, t)");
}

//  A grade or a list on record, and whose word it is.
typedef struct {
    char grade [32];                // a grade word; unused for lists
    hi_source_t source;
    char *sha256;                   // source.sha256's storage
} entry_t;

struct _hi_judgements_t {
    hi_writer_t *w;
    zhashx_t *grades;               // "id/area" -> entry_t
    zhashx_t *lists;                // "id" -> entry_t of its improvements
    hi_array_t *upsert_ids, *upsert_areas, *upsert_grades;
    hi_array_t *delete_ids, *delete_areas;
    hi_array_t *cleared;            // inspections whose improvements go
    hi_array_t *item_ids, *item_positions, *item_texts;
};

static void
entry_free (void **item)
{
    entry_t *entry = *item;
    if (entry) {
        free (entry->sha256);
        free (entry);
        *item = NULL;
    }
}

static entry_t *
entry_new (const char *grade, const hi_source_t *source)
{
    entry_t *entry = ow_calloc (1, sizeof (entry_t));
    snprintf (entry->grade, sizeof entry->grade, "%s", grade ? grade : "");
    entry->sha256 = ow_strdup (source->sha256);
    entry->source = *source;
    entry->source.sha256 = entry->sha256;
    return entry;
}

static char *
grade_key (int64_t id, const char *area)
{
    return ow_printf ("%" PRId64 "/%s", id, area);
}

static hi_source_t
source_at (const PGresult *result, int row, int column)
{
    return (hi_source_t) { atoi (ow_db_value (result, row, column)),
                           ow_date_from_iso (ow_db_value (result, row, column + 1)),
                           ow_db_value (result, row, column + 2) };
}

//  What is on record for the inspections that were.
static void
read_record (hi_judgements_t *self)
{
    hi_writer_t *w = self->w;
    hi_array_t *ids = hi_array_new ();
    for (size_t i = 0; i < w->count; i++)
        if (w->mentions [i].first && !w->mentions [i].created)
            hi_array_add_int (ids, w->mentions [i].id);
    const char *values [] = { hi_array_text (ids) };
    if (hi_array_count (ids)) {
        PGresult *grades = hi_writer_lookup (w, GRADES_ON_RECORD, 1, values);
        for (int row = 0; grades && row < PQntuples (grades); row++) {
            char *key = grade_key (strtoll (ow_db_value (grades, row, 0), NULL, 10),
                                   ow_db_value (grades, row, 1));
            hi_source_t source = source_at (grades, row, 3);
            zhashx_update (self->grades, key, entry_new (ow_db_value (grades, row, 2), &source));
            free (key);
        }
        PQclear (grades);
        PGresult *lists = w->failed ? NULL
                        : hi_writer_lookup (w, IMPROVEMENTS_ON_RECORD, 1, values);
        for (int row = 0; lists && row < PQntuples (lists); row++) {
            hi_source_t source = source_at (lists, row, 1);
            zhashx_update (self->lists, ow_db_value (lists, row, 0), entry_new (NULL, &source));
        }
        PQclear (lists);
    }
    hi_array_destroy (&ids);
}

hi_judgements_t *
hi_judgements_new (hi_writer_t *w)
{
    hi_judgements_t *self = ow_calloc (1, sizeof (hi_judgements_t));
    self->w = w;
    self->grades = zhashx_new ();
    zhashx_set_destructor (self->grades, entry_free);
    self->lists = zhashx_new ();
    zhashx_set_destructor (self->lists, entry_free);
    self->upsert_ids = hi_array_new ();
    self->upsert_areas = hi_array_new ();
    self->upsert_grades = hi_array_new ();
    self->delete_ids = hi_array_new ();
    self->delete_areas = hi_array_new ();
    self->cleared = hi_array_new ();
    self->item_ids = hi_array_new ();
    self->item_positions = hi_array_new ();
    self->item_texts = hi_array_new ();
    read_record (self);
    return self;
}

void
hi_judgements_destroy (hi_judgements_t **self_p)
{
    hi_judgements_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->grades);
    zhashx_destroy (&self->lists);
    hi_array_destroy (&self->upsert_ids);
    hi_array_destroy (&self->upsert_areas);
    hi_array_destroy (&self->upsert_grades);
    hi_array_destroy (&self->delete_ids);
    hi_array_destroy (&self->delete_areas);
    hi_array_destroy (&self->cleared);
    hi_array_destroy (&self->item_ids);
    hi_array_destroy (&self->item_positions);
    hi_array_destroy (&self->item_texts);
    free (self);
    *self_p = NULL;
}

//  --------------------------------------------------------------------------
//  Grades

static void
recorded_event (hi_judgements_t *self, const hi_mention_t *m, const char *area,
                Ofwatch__V1__Grade grade)
{
    Ofwatch__V1__Event *event = hi_writer_mention_event (self->w, m,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_RECORDED);
    Ofwatch__V1__JudgementRecorded *body = OW_PB_NEW (Ofwatch__V1__JudgementRecorded,
        ofwatch__v1__judgement_recorded__init);
    body->inspection_id = m->id;
    body->kind = m->facts->kind;
    ow_pb_set_string (&body->area, area);
    body->grade = grade;
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_JUDGEMENT_RECORDED;
    event->payload->judgement_recorded = body;
}

//  Puts this document's grade on record (new, or over a lesser word).
static void
put (hi_judgements_t *self, const hi_mention_t *m, const char *area, const char *grade)
{
    hi_array_add_int (self->upsert_ids, m->id);
    hi_array_add (self->upsert_areas, area);
    hi_array_add (self->upsert_grades, grade);
    char *key = grade_key (m->id, area);
    zhashx_update (self->grades, key, entry_new (grade, &m->source));
    free (key);
}

static void
take_off (hi_judgements_t *self, const hi_mention_t *m, const char *area)
{
    hi_array_add_int (self->delete_ids, m->id);
    hi_array_add (self->delete_areas, area);
    char *key = grade_key (m->id, area);
    zhashx_delete (self->grades, key);
    free (key);
}

static entry_t *
on_record (hi_judgements_t *self, int64_t id, const char *area)
{
    char *key = grade_key (id, area);
    entry_t *entry = zhashx_lookup (self->grades, key);
    free (key);
    return entry;
}

static bool
is_in_care (const char *area)
{
    for (size_t i = 0; i < IN_CARE_AREAS; i++)
        if (strcmp (area, s_in_care [i]) == 0)
            return true;
    return false;
}

//  One area other than children in care and care leavers.
static void
judge_area (hi_judgements_t *self, const hi_mention_t *m, const char *area,
            Ofwatch__V1__Grade grade)
{
    const char *word = ow_grade_word (grade);
    entry_t *was = on_record (self, m->id, area);
    if (!was) {
        put (self, m, area, word);
        recorded_event (self, m, area, grade);
        return;
    }
    bool counts_more = hi_source_compare (&m->source, &was->source) > 0;
    if (strcmp (was->grade, word) == 0) {
        if (counts_more)
            put (self, m, area, word);          // the same grade, on better authority
        return;
    }
    char *fact = ow_printf ("judgement %s of inspection %" PRId64, area, m->id);
    hi_writer_conflict (self->w, m, fact, was->grade, was->source.sha256, word, counts_more);
    free (fact);
    if (counts_more) {
        put (self, m, area, word);
        recorded_event (self, m, area, grade);
    }
}

//  The in-care grades of one side, as "in_care good, care_leavers
//  requires_improvement" (caller frees).
static char *
in_care_words (const char *const grades [IN_CARE_AREAS])
{
    char *words = ow_strdup ("");
    for (size_t i = 0; i < IN_CARE_AREAS; i++) {
        if (!grades [i])
            continue;
        char *longer = ow_printf ("%s%s%s %s", words, *words ? ", " : "", s_in_care [i],
                                  grades [i]);
        free (words);
        words = longer;
    }
    return words;
}

//  Children in care and care leavers, as one fact.
static void
judge_in_care (hi_judgements_t *self, const hi_mention_t *m)
{
    const char *incoming [IN_CARE_AREAS] = { NULL }, *existing [IN_CARE_AREAS] = { NULL };
    const hi_source_t *best = NULL;
    bool any_incoming = false, any_existing = false;
    for (size_t i = 0; i < m->facts->n_judgements; i++) {
        const char *area = m->facts->judgements [i]->key;
        const char *word = ow_grade_word (m->facts->judgements [i]->value);
        for (size_t a = 0; a < IN_CARE_AREAS && word; a++)
            if (strcmp (area, s_in_care [a]) == 0 && !incoming [a])
                any_incoming = (incoming [a] = word) != NULL;
    }
    if (!any_incoming)
        return;
    for (size_t a = 0; a < IN_CARE_AREAS; a++) {
        entry_t *was = on_record (self, m->id, s_in_care [a]);
        if (!was)
            continue;
        existing [a] = was->grade;
        any_existing = true;
        if (!best || hi_source_compare (&was->source, best) > 0)
            best = &was->source;
    }
    //  Told otherwise: together against apart, or a grade both give.
    bool together_in = incoming [0] != NULL, together_was = existing [0] != NULL;
    bool disagree = any_existing && together_in != together_was;
    for (size_t a = 0; a < IN_CARE_AREAS && !disagree; a++)
        disagree = incoming [a] && existing [a] && strcmp (incoming [a], existing [a]) != 0;
    bool counts_more = !any_existing || hi_source_compare (&m->source, best) > 0;
    if (disagree) {
        char *fact = ow_printf ("children in care and care leavers of inspection %" PRId64, m->id);
        char *was_words = in_care_words (existing), *new_words = in_care_words (incoming);
        hi_writer_conflict (self->w, m, fact, was_words, best->sha256, new_words, counts_more);
        free (fact);
        free (was_words);
        free (new_words);
        if (!counts_more)
            return;
        for (size_t a = 0; a < IN_CARE_AREAS; a++)
            if (existing [a] && !incoming [a])
                take_off (self, m, s_in_care [a]);
    }
    for (size_t a = 0; a < IN_CARE_AREAS; a++) {
        if (!incoming [a])
            continue;
        bool same = existing [a] && strcmp (existing [a], incoming [a]) == 0;
        if (same && !counts_more)
            continue;
        put (self, m, s_in_care [a], incoming [a]);
        if (!same)
            recorded_event (self, m, s_in_care [a],
                            ow_vocab_value (&ofwatch__v1__grade__descriptor, incoming [a]));
    }
}

//  --------------------------------------------------------------------------
//  Improvement points

static void
improvements (hi_judgements_t *self, const hi_mention_t *m)
{
    const Ofwatch__V1__InspectionFacts *facts = m->facts;
    if (!facts->n_improvements)
        return;
    char id [24];
    snprintf (id, sizeof id, "%" PRId64, m->id);
    entry_t *was = zhashx_lookup (self->lists, id);
    if (was && hi_source_compare (&m->source, &was->source) <= 0)
        return;
    if (was)
        hi_array_add_int (self->cleared, m->id);
    for (size_t j = 0; j < facts->n_improvements; j++) {
        hi_array_add_int (self->item_ids, m->id);
        hi_array_add_int (self->item_positions, (int64_t) j + 1);
        hi_array_add (self->item_texts, facts->improvements [j]);
    }
    zhashx_update (self->lists, id, entry_new (NULL, &m->source));
}

void
hi_judgements_add (hi_judgements_t *self, const hi_mention_t *m)
{
    const Ofwatch__V1__InspectionFacts *facts = m->facts;
    for (size_t j = 0; j < facts->n_judgements; j++) {
        const char *area = facts->judgements [j]->key;
        Ofwatch__V1__Grade grade = facts->judgements [j]->value;
        if (ow_grade_word (grade) && ow_vocab_is_area (area) && !is_in_care (area))
            judge_area (self, m, area, grade);
    }
    judge_in_care (self, m);
    improvements (self, m);
}

void
hi_judgements_write (hi_judgements_t *self)
{
    hi_writer_t *w = self->w;
    const char *document = w->write->document_id;
    if (hi_array_count (self->delete_ids) && !w->failed) {
        const char *values [] = { hi_array_text (self->delete_ids),
                                  hi_array_text (self->delete_areas) };
        hi_writer_run (w, "hi_delete_judgements", 2, values, NULL);
    }
    if (hi_array_count (self->upsert_ids) && !w->failed) {
        const char *values [] = { hi_array_text (self->upsert_ids),
                                  hi_array_text (self->upsert_areas),
                                  hi_array_text (self->upsert_grades), document };
        hi_writer_run (w, "hi_upsert_judgements", 4, values, NULL);
    }
    if (hi_array_count (self->cleared) && !w->failed) {
        const char *values [] = { hi_array_text (self->cleared) };
        hi_writer_run (w, "hi_delete_improvements", 1, values, NULL);
    }
    if (hi_array_count (self->item_ids) && !w->failed) {
        const char *values [] = { hi_array_text (self->item_ids),
                                  hi_array_text (self->item_positions),
                                  hi_array_text (self->item_texts), document };
        hi_writer_run (w, "hi_insert_improvements", 4, values, NULL);
    }
}
