/*  hi_inspections — which inspection each event of a document means, what
    the document says of it, and the inspection's facts merged from every
    document that spoke of it.

    In a few statements however many events: the inspections already on
    record for the authorities and kind families the document speaks of
    are read in one; each event is matched to one of them in memory
    (hi_same_inspection), else to an earlier event of the same document,
    else it is new; the new rows go in with one INSERT, the statements
    with another, and one UPDATE chooses again, fact by fact, the facts of
    the inspections that were on record (MERGE_FACTS: a day over a month,
    a kind that says short or standard over one that does not, then whose
    word counts).
*/

#include "hi_mention.h"
#include "ow_date.h"
#include "ow_log.h"
#include "ow_vocab.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define CANDIDATES                                                               \
    "SELECT i.id, i.authority, i.family, coalesce (i.start_date::text, ''),"      \
    " i.start_precision = 'month', coalesce (i.end_date::text, ''),"             \
    " coalesce (i.visit_number, 0), coalesce (i.published_on::text, ''), i.kind,"  \
    " coalesce (i.outcome, ''), coalesce (s.rank, 0),"                            \
    " coalesce (s.published_on::text, ''), d.sha256"                              \
    " FROM unnest ($1::text[], $2::text[]) AS u (authority, family)"             \
    " JOIN inspection i ON i.authority = u.authority AND i.family = u.family"     \
    " JOIN document d ON d.id = i.document_id"                                    \
    " LEFT JOIN document_inspection s"                                            \
    "  ON s.document_id = i.document_id AND s.inspection_id = i.id"               \
    " ORDER BY i.id"
#define BY_IDENTITY                                                              \
    "SELECT i.identity, i.id FROM unnest ($1::text[]) AS u (identity)"           \
    " JOIN inspection i ON i.identity = u.identity"

//  Whose word counts first, as hi_source_compare orders sources.
#define BY_WORD "s.rank DESC, s.published_on DESC NULLS LAST, d.sha256"
#define PICK(column, order) \
    "(array_agg (s." column " ORDER BY " order ") FILTER (WHERE s." column " IS NOT NULL))[1]"

void
hi_inspections_prepare (ow_db_t *db)
{
    ow_db_statement (db, "hi_insert_inspections",
        "INSERT INTO inspection (identity, authority, family, kind, start_date, start_precision,"
        " end_date, published_on, visit_number, lead_inspector, inspectors, inadequate_since,"
        " outcome, next_inspection, previous_start_date, previous_end_date, document_id)"
        " SELECT u.identity, u.authority, u.family, u.kind, u.start_date, u.start_precision,"
        "  u.end_date, u.published_on, u.visit_number, u.lead_inspector, u.inspectors::text[],"
        "  u.inadequate_since, u.outcome, u.next_inspection, u.previous_start_date,"
        "  u.previous_end_date, $17"
        " FROM unnest ($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[],"
        "  $7::date[], $8::date[], $9::int[], $10::text[], $11::text[], $12::text[], $13::text[],"
        "  $14::text[], $15::date[], $16::date[]) WITH ORDINALITY"
        " AS u (identity, authority, family, kind, start_date, start_precision, end_date,"
        "  published_on, visit_number, lead_inspector, inspectors, inadequate_since, outcome,"
        "  next_inspection, previous_start_date, previous_end_date, position)"
        " ORDER BY u.position ON CONFLICT (identity) DO NOTHING RETURNING identity, id");
    ow_db_statement (db, "hi_insert_statements",
        "INSERT INTO document_inspection (document_id, inspection_id, rank, kind, start_date,"
        " start_precision, end_date, published_on, visit_number, lead_inspector, inspectors,"
        " inadequate_since, outcome, next_inspection, previous_start_date, previous_end_date)"
        " SELECT $1, u.inspection_id, $2, u.kind, u.start_date, u.start_precision, u.end_date,"
        "  u.published_on, u.visit_number, u.lead_inspector, u.inspectors::text[],"
        "  u.inadequate_since, u.outcome, u.next_inspection, u.previous_start_date,"
        "  u.previous_end_date"
        " FROM unnest ($3::bigint[], $4::text[], $5::date[], $6::text[], $7::date[], $8::date[],"
        "  $9::int[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],"
        "  $15::date[], $16::date[])"
        " AS u (inspection_id, kind, start_date, start_precision, end_date, published_on,"
        "  visit_number, lead_inspector, inspectors, inadequate_since, outcome, next_inspection,"
        "  previous_start_date, previous_end_date)"
        " ON CONFLICT DO NOTHING");
    //  MERGE_FACTS: every fact of each inspection from the statement whose
    //  word counts most among those that know it.
    ow_db_statement (db, "hi_merge_facts",
        "UPDATE inspection i SET kind = m.kind, start_date = m.start_date,"
        " start_precision = coalesce (m.start_precision, 'day'), end_date = m.end_date,"
        " published_on = m.published_on, visit_number = m.visit_number,"
        " lead_inspector = m.lead_inspector, inspectors = coalesce (p.inspectors, '{}'),"
        " inadequate_since = m.inadequate_since, outcome = m.outcome,"
        " next_inspection = m.next_inspection, previous_start_date = m.previous_start_date,"
        " previous_end_date = m.previous_end_date, document_id = m.document_id"
        " FROM (SELECT s.inspection_id,"
        "   (array_agg (s.document_id ORDER BY " BY_WORD "))[1] AS document_id,"
        "   " PICK ("kind", "s.kind <> 'ilacs' DESC, " BY_WORD) " AS kind,"
        "   " PICK ("start_date", "s.start_precision = 'day' DESC, " BY_WORD) " AS start_date,"
        "   (array_agg (s.start_precision ORDER BY s.start_precision = 'day' DESC, " BY_WORD ")"
        "     FILTER (WHERE s.start_date IS NOT NULL))[1] AS start_precision,"
        "   " PICK ("end_date", BY_WORD) " AS end_date,"
        "   " PICK ("published_on", BY_WORD) " AS published_on,"
        "   " PICK ("visit_number", BY_WORD) " AS visit_number,"
        "   " PICK ("lead_inspector", BY_WORD) " AS lead_inspector,"
        "   " PICK ("inadequate_since", BY_WORD) " AS inadequate_since,"
        "   " PICK ("outcome", BY_WORD) " AS outcome,"
        "   " PICK ("next_inspection", BY_WORD) " AS next_inspection,"
        "   " PICK ("previous_start_date", BY_WORD) " AS previous_start_date,"
        "   " PICK ("previous_end_date", BY_WORD) " AS previous_end_date,"
        "   (array_agg (s.document_id ORDER BY " BY_WORD ")"
        "     FILTER (WHERE cardinality (s.inspectors) > 0))[1] AS inspectors_from"
        "  FROM document_inspection s JOIN document d ON d.id = s.document_id"
        "  WHERE s.inspection_id = ANY ($1::bigint[]) GROUP BY s.inspection_id) m"
        " LEFT JOIN document_inspection p"
        "  ON p.inspection_id = m.inspection_id AND p.document_id = m.inspectors_from"
        " WHERE i.id = m.inspection_id");
}

//  --------------------------------------------------------------------------
//  Collecting

static const char *
authority_of (const hi_writer_t *w, const Ofwatch__V1__InspectionFacts *facts)
{
    if (facts->authority && facts->authority->code && *facts->authority->code)
        return facts->authority->code;
    return w->write->facts->authority->code;
}

//  What a statement says of when: its start to the day or the month; for
//  a full inspection a paper knows only as "judged inadequate in July
//  2022", that month.
static void
when_of (const hi_writer_t *w, const Ofwatch__V1__InspectionFacts *facts, hi_when_t *when)
{
    *when = (hi_when_t) { .family = hi_family (facts->kind), .start = OW_DATE_NONE,
                          .end = OW_DATE_NONE, .published = OW_DATE_NONE };
    if (!hi_date_parse (facts->start_date, &when->start, &when->start_month)
        && ow_kind_is_full_inspection (facts->kind)) {
        bool month = false;
        if (hi_date_parse (facts->inadequate_since, &when->start, &month) && month)
            when->start_month = true;
        else
            when->start = OW_DATE_NONE;
    }
    when->end = ow_date_from_iso (facts->end_date);
    when->visit_number = facts->visit_number > 0 ? facts->visit_number : 0;
    //  A feed's row has its own publication; an Ofsted document is
    //  published with its inspection; a council's paper is not.
    when->published = ow_date_from_iso (facts->published_on);
    if (when->published == OW_DATE_NONE && w->rank >= HI_RANK_RECORDS)
        when->published = w->published;
}

static const char *
kind_name (Ofwatch__V1__InspectionKind kind)
{
    const char *word = ow_kind_word (kind);
    return word ? word : "unknown";
}

static void
collect (hi_writer_t *w)
{
    const Ofwatch__V1__Extraction *facts = w->write->facts;
    w->mentions = ow_calloc (facts->n_events + 1, sizeof (hi_mention_t));
    for (size_t i = 0; i < facts->n_events; i++) {
        const Ofwatch__V1__InspectionFacts *event = facts->events [i];
        if (!ow_kind_word (event->kind))
            continue;
        hi_mention_t *m = &w->mentions [w->count];
        *m = (hi_mention_t) { .facts = event, .authority = authority_of (w, event) };
        when_of (w, event, &m->when);
        if (!hi_names_inspection (&m->when, w->rank)) {
            hi_writer_warn (w, "event %zu (%s) names no inspection (no date, month or visit"
                            " number): not recorded", i + 1, kind_name (event->kind));
            continue;
        }
        m->source = (hi_source_t) { w->rank, m->when.published, w->write->sha256 };
        w->count++;
    }
}

//  --------------------------------------------------------------------------
//  Matching

static void
add_pair (hi_array_t *authorities, hi_array_t *families, zhashx_t *seen,
          const char *authority, const char *family)
{
    char *key = ow_printf ("%s/%s", authority, family);
    if (zhashx_insert (seen, key, seen) == 0) {
        hi_array_add (authorities, authority);
        hi_array_add (families, family);
    }
    free (key);
}

static void
read_candidates (hi_writer_t *w)
{
    hi_array_t *authorities = hi_array_new (), *families = hi_array_new ();
    zhashx_t *seen = zhashx_new ();
    for (size_t i = 0; i < w->count; i++)
        add_pair (authorities, families, seen, w->mentions [i].authority,
                  w->mentions [i].when.family);
    const char *values [] = { hi_array_text (authorities), hi_array_text (families) };
    PGresult *result = w->count ? hi_writer_lookup (w, CANDIDATES, 2, values) : NULL;
    if (result && PQntuples (result))
        w->candidates = ow_calloc ((size_t) PQntuples (result), sizeof (hi_candidate_t));
    for (int row = 0; result && row < PQntuples (result); row++) {
        hi_candidate_t *c = &w->candidates [w->n_candidates++];
        c->id = strtoll (ow_db_value (result, row, 0), NULL, 10);
        c->authority = ow_strdup (ow_db_value (result, row, 1));
        c->family = ow_strdup (ow_db_value (result, row, 2));
        c->when = (hi_when_t) { .family = c->family, .start = OW_DATE_NONE,
                                .end = OW_DATE_NONE, .published = OW_DATE_NONE };
        c->when.start = ow_date_from_iso (ow_db_value (result, row, 3));
        c->when.start_month = strcmp (ow_db_value (result, row, 4), "t") == 0;
        c->when.end = ow_date_from_iso (ow_db_value (result, row, 5));
        c->when.visit_number = atoi (ow_db_value (result, row, 6));
        c->when.published = ow_date_from_iso (ow_db_value (result, row, 7));
        c->kind = ow_vocab_value (&ofwatch__v1__inspection_kind__descriptor,
                                  ow_db_value (result, row, 8));
        c->outcome = ow_vocab_value (&ofwatch__v1__send_outcome__descriptor,
                                     ow_db_value (result, row, 9));
        c->source.rank = atoi (ow_db_value (result, row, 10));
        c->source.published = ow_date_from_iso (ow_db_value (result, row, 11));
        c->source.sha256 = ow_strdup (ow_db_value (result, row, 12));
    }
    PQclear (result);
    zhashx_destroy (&seen);
    hi_array_destroy (&authorities);
    hi_array_destroy (&families);
}

//  How closely a match fits, to choose among several: the same start,
//  then the same precision.
static int
closeness (const hi_when_t *a, const hi_when_t *b)
{
    if (a->start != OW_DATE_NONE && a->start == b->start && a->start_month == b->start_month)
        return 2;
    return a->start_month == b->start_month;
}

static const hi_candidate_t *
best_candidate (const hi_writer_t *w, const hi_mention_t *m)
{
    const hi_candidate_t *best = NULL;
    int best_fit = -1;
    for (size_t c = 0; c < w->n_candidates; c++) {
        const hi_candidate_t *candidate = &w->candidates [c];
        if (strcmp (candidate->authority, m->authority) != 0
            || !hi_same_inspection (&m->when, &candidate->when))
            continue;
        int fit = closeness (&m->when, &candidate->when);
        if (fit > best_fit) {
            best = candidate;
            best_fit = fit;
        }
    }
    return best;
}

//  Each mention joins what it means on record, else an earlier new one of
//  this document, else is new under its own identity.
static void
match (hi_writer_t *w)
{
    for (size_t i = 0; i < w->count; i++) {
        hi_mention_t *m = &w->mentions [i];
        m->existing = best_candidate (w, m);
        if (m->existing) {
            m->id = m->existing->id;
            continue;
        }
        for (size_t k = 0; k < i && !m->identity; k++) {
            const hi_mention_t *earlier = &w->mentions [k];
            if (!earlier->existing && strcmp (earlier->authority, m->authority) == 0
                && hi_same_inspection (&m->when, &earlier->when))
                m->identity = ow_strdup (earlier->identity);
        }
        if (!m->identity)
            m->identity = hi_identity (m->authority, &m->when);
    }
}

//  --------------------------------------------------------------------------
//  Writing rows

static void
add_date (hi_array_t *array, int day)
{
    char iso [11];
    ow_date_to_iso (day, iso);
    hi_array_add (array, day != OW_DATE_NONE ? iso : NULL);
}

static void
add_word (hi_array_t *array, const char *word)
{
    hi_array_add (array, hi_param (word));
}

//  The columns a statement and a new row share, from kind to the
//  previous inspection's end.
#define FACT_COLUMNS 13

static void
add_facts (hi_array_t **columns, const hi_mention_t *m)
{
    const Ofwatch__V1__InspectionFacts *facts = m->facts;
    add_word (columns [0], ow_kind_word (facts->kind));
    add_date (columns [1], m->when.start);
    hi_array_add (columns [2], m->when.start == OW_DATE_NONE ? NULL
                             : m->when.start_month ? "month" : "day");
    add_date (columns [3], m->when.end);
    add_date (columns [4], m->when.published);
    if (m->when.visit_number > 0)
        hi_array_add_int (columns [5], m->when.visit_number);
    else
        hi_array_add (columns [5], NULL);
    add_word (columns [6], facts->lead_inspector);
    char *inspectors = hi_text_array ((const char *const *) facts->inspectors,
                                      facts->n_inspectors);
    hi_array_add (columns [7], inspectors);
    free (inspectors);
    add_word (columns [8], facts->inadequate_since);
    add_word (columns [9], facts->outcome
                           ? ow_vocab_word (&ofwatch__v1__send_outcome__descriptor, facts->outcome)
                           : NULL);
    add_word (columns [10], facts->next_inspection
                            ? ow_vocab_word (&ofwatch__v1__next_inspection__descriptor,
                                             facts->next_inspection)
                            : NULL);
    add_date (columns [11], ow_date_from_iso (facts->previous_start_date));
    add_date (columns [12], ow_date_from_iso (facts->previous_end_date));
}

//  Takes the ids of (identity, id) rows for the new mentions.
static void
take_ids (hi_writer_t *w, PGresult *result, bool created)
{
    for (int row = 0; result && row < PQntuples (result); row++) {
        const char *identity = ow_db_value (result, row, 0);
        int64_t id = strtoll (ow_db_value (result, row, 1), NULL, 10);
        for (size_t i = 0; i < w->count; i++) {
            hi_mention_t *m = &w->mentions [i];
            if (!m->existing && !m->id && strcmp (m->identity, identity) == 0) {
                m->id = id;
                m->created = created;
            }
        }
    }
}

//  Inserts the new inspections (one statement); an identity already taken
//  (a row made under it that the matching did not take for this one) is
//  joined rather than duplicated.
static void
create (hi_writer_t *w)
{
    hi_array_t *columns [3 + FACT_COLUMNS];
    for (size_t c = 0; c < 3 + FACT_COLUMNS; c++)
        columns [c] = hi_array_new ();
    zhashx_t *seen = zhashx_new ();
    for (size_t i = 0; i < w->count; i++) {
        const hi_mention_t *m = &w->mentions [i];
        if (m->existing || zhashx_insert (seen, m->identity, seen) != 0)
            continue;
        hi_array_add (columns [0], m->identity);
        hi_array_add (columns [1], m->authority);
        hi_array_add (columns [2], m->when.family);
        add_facts (columns + 3, m);
    }
    zhashx_destroy (&seen);
    if (hi_array_count (columns [0])) {
        const char *values [4 + FACT_COLUMNS];
        for (size_t c = 0; c < 3 + FACT_COLUMNS; c++)
            values [c] = hi_array_text (columns [c]);
        values [3 + FACT_COLUMNS] = w->write->document_id;
        PGresult *result = NULL;
        if (hi_writer_run (w, "hi_insert_inspections", 4 + FACT_COLUMNS, values, &result))
            take_ids (w, result, true);
        PQclear (result);
        const char *identities [] = { hi_array_text (columns [0]) };
        result = w->failed ? NULL : hi_writer_lookup (w, BY_IDENTITY, 1, identities);
        take_ids (w, result, false);
        PQclear (result);
    }
    for (size_t c = 0; c < 3 + FACT_COLUMNS; c++)
        hi_array_destroy (&columns [c]);
    for (size_t i = 0; i < w->count && !w->failed; i++)
        if (!w->mentions [i].id) {
            ow_error ("an inspection was neither found nor inserted",
                      "identity", w->mentions [i].identity);
            w->failed = true;
        }
}

//  The document's first mention of each inspection is its statement.
static void
mark_first (hi_writer_t *w)
{
    for (size_t i = 0; i < w->count; i++) {
        hi_mention_t *m = &w->mentions [i];
        m->first = true;
        for (size_t k = 0; k < i && m->first; k++)
            m->first = w->mentions [k].id != m->id;
    }
}

static void
write_statements (hi_writer_t *w)
{
    hi_array_t *columns [1 + FACT_COLUMNS];
    for (size_t c = 0; c < 1 + FACT_COLUMNS; c++)
        columns [c] = hi_array_new ();
    hi_array_t *merge = hi_array_new ();
    for (size_t i = 0; i < w->count; i++) {
        const hi_mention_t *m = &w->mentions [i];
        if (!m->first)
            continue;
        hi_array_add_int (columns [0], m->id);
        add_facts (columns + 1, m);
        if (!m->created)
            hi_array_add_int (merge, m->id);
    }
    char rank [8];
    snprintf (rank, sizeof rank, "%d", w->rank);
    const char *values [3 + FACT_COLUMNS] = { w->write->document_id, rank };
    for (size_t c = 0; c < 1 + FACT_COLUMNS; c++)
        values [2 + c] = hi_array_text (columns [c]);
    if (hi_array_count (columns [0]))
        hi_writer_run (w, "hi_insert_statements", 3 + FACT_COLUMNS, values, NULL);
    const char *ids [] = { hi_array_text (merge) };
    if (hi_array_count (merge) && !w->failed)
        hi_writer_run (w, "hi_merge_facts", 1, ids, NULL);
    for (size_t c = 0; c < 1 + FACT_COLUMNS; c++)
        hi_array_destroy (&columns [c]);
    hi_array_destroy (&merge);
}

void
hi_inspections_resolve (hi_writer_t *w)
{
    collect (w);
    if (!w->count)
        return;
    read_candidates (w);
    if (!w->failed)
        match (w);
    if (!w->failed)
        create (w);
    if (!w->failed) {
        mark_first (w);
        write_statements (w);
    }
}

//  --------------------------------------------------------------------------
//  Events

static void
recorded (hi_writer_t *w, const hi_mention_t *m)
{
    const Ofwatch__V1__InspectionFacts *facts = m->facts;
    Ofwatch__V1__Event *event = hi_writer_mention_event (w, m,
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_INSPECTION_RECORDED);
    Ofwatch__V1__InspectionRecorded *body = OW_PB_NEW (Ofwatch__V1__InspectionRecorded,
        ofwatch__v1__inspection_recorded__init);
    body->inspection_id = m->id;
    body->kind = facts->kind;
    char start [11] = "";
    if (m->when.start != OW_DATE_NONE) {
        ow_date_to_iso (m->when.start, start);
        if (m->when.start_month)
            start [7] = 0;
    }
    ow_pb_set_string (&body->start_date, start);
    ow_pb_set_string (&body->end_date, facts->end_date);
    body->visit_number = facts->visit_number;
    ow_pb_set_string (&body->lead_inspector, facts->lead_inspector);
    char published [11];
    ow_date_to_iso (m->when.published, published);
    ow_pb_set_string (&body->published_on, published);
    ow_pb_set_string (&body->source_sha256, w->write->sha256);
    body->outcome = facts->outcome;
    body->next_inspection = facts->next_inspection;
    event->payload->body_case = OFWATCH__V1__PAYLOAD__BODY_INSPECTION_RECORDED;
    event->payload->inspection_recorded = body;
}

static bool
is_generic (Ofwatch__V1__InspectionKind kind)
{
    return kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS;
}

//  One fact told two ways: a conflict, the more authoritative word kept.
static void
compare (hi_writer_t *w, const hi_mention_t *m, const char *fact,
         const char *existing, const char *incoming)
{
    if (!*existing || !*incoming || strcmp (existing, incoming) == 0)
        return;
    char *name = ow_printf ("%s of inspection %" PRId64, fact, m->id);
    hi_writer_conflict (w, m, name, existing, m->existing->source.sha256, incoming,
                        hi_source_compare (&m->source, &m->existing->source) > 0);
    free (name);
}

static void
compare_days (hi_writer_t *w, const hi_mention_t *m, const char *fact, int existing,
              int incoming)
{
    char a [11], b [11];
    ow_date_to_iso (existing, a);
    ow_date_to_iso (incoming, b);
    compare (w, m, fact, a, b);
}

//  The facts this document tells otherwise than the record: dates to the
//  day (a month is not contrary to a day), kinds that both say short or
//  standard, visit numbers, publication, an area SEND outcome.
static void
disagreements (hi_writer_t *w, const hi_mention_t *m)
{
    const hi_candidate_t *c = m->existing;
    const Ofwatch__V1__InspectionFacts *facts = m->facts;
    if (!is_generic (facts->kind) && !is_generic (c->kind) && facts->kind != c->kind)
        compare (w, m, "kind", kind_name (c->kind), kind_name (facts->kind));
    if (!m->when.start_month && !c->when.start_month)
        compare_days (w, m, "fieldwork start", c->when.start, m->when.start);
    compare_days (w, m, "fieldwork end", c->when.end, m->when.end);
    compare_days (w, m, "publication", c->when.published, m->when.published);
    if (m->when.visit_number && c->when.visit_number
        && m->when.visit_number != c->when.visit_number) {
        char a [16], b [16];
        snprintf (a, sizeof a, "%d", c->when.visit_number);
        snprintf (b, sizeof b, "%d", m->when.visit_number);
        compare (w, m, "visit number", a, b);
    }
    if (facts->outcome && c->outcome && facts->outcome != c->outcome)
        compare (w, m, "area SEND outcome",
                 ow_vocab_word (&ofwatch__v1__send_outcome__descriptor, c->outcome),
                 ow_vocab_word (&ofwatch__v1__send_outcome__descriptor, facts->outcome));
}

void
hi_inspections_events (hi_writer_t *w, const hi_mention_t *m)
{
    if (!m->first)
        return;
    if (m->created)
        recorded (w, m);
    else if (m->existing)
        disagreements (w, m);
}

void
hi_inspections_free (hi_writer_t *w)
{
    for (size_t i = 0; i < w->count; i++)
        free (w->mentions [i].identity);
    free (w->mentions);
    for (size_t c = 0; c < w->n_candidates; c++) {
        free (w->candidates [c].authority);
        free (w->candidates [c].family);
        free ((char *) w->candidates [c].source.sha256);
    }
    free (w->candidates);
}
