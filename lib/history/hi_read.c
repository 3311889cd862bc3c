/*  hi_read — histories read from the facts database; see hi_read.h.  */

#include "hi_read.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <stdlib.h>
#include <string.h>

//  Where a read inspection lives, to attach its rows by id.
typedef struct {
    int64_t id;
    hi_history_t *history;
    size_t index;                   // in history->inspections, which may still move
} placement_t;

typedef struct {
    hi_slot_fn *slot;
    void *context;
    placement_t *placements;        // sorted by id once the inspections are read
    size_t n_placements;
} read_t;

//  An inspection's source URL is where its document was published, else
//  where another document reporting it was (the weightiest word, then the
//  earliest: never the order they arrived in).
//  The six reads of a history, each prepared twice: for one authority
//  (named as here) and for all (name_all). One statement for both, with
//  "$1 IS NULL OR authority = $1", gets a generic plan after a few runs
//  that scans every table for one authority's rows.
#define INSPECTIONS                                                             \
    "SELECT i.id, i.authority, i.kind, coalesce (i.start_date::text, ''),"       \
    " i.start_precision = 'month', coalesce (i.end_date::text, ''),"            \
    " coalesce (i.published_on::text, ''), coalesce (i.visit_number, 0),"        \
    " coalesce (i.lead_inspector, ''), coalesce (i.inadequate_since, ''),"       \
    " d.sha256, coalesce (i.outcome, ''), coalesce (i.next_inspection, ''),"     \
    " coalesce (i.previous_start_date::text, ''),"                               \
    " coalesce (i.previous_end_date::text, ''),"                                 \
    " coalesce (d.source_url, (SELECT s.source_url FROM document_inspection l"   \
    "  JOIN document s ON s.id = l.document_id WHERE l.inspection_id = i.id"     \
    "  AND s.source_url IS NOT NULL"                                             \
    "  ORDER BY l.rank DESC, s.published_on NULLS LAST, s.sha256 LIMIT 1), '')"  \
    " FROM inspection i JOIN document d ON d.id = i.document_id"
//  Orders never rest on ids where it can be helped: ids are handed out in
//  the order documents arrive, and a history does not depend on that.
#define INSPECTIONS_ORDER                                                       \
    " ORDER BY i.authority, coalesce (i.start_date, i.published_on), i.kind, i.id"
#define INSPECTORS                                                              \
    "SELECT i.id, n.name FROM inspection i,"                                     \
    " unnest (i.inspectors) WITH ORDINALITY AS n (name, position)"
#define INSPECTORS_ORDER " ORDER BY i.id, n.position"
#define JUDGEMENTS                                                              \
    "SELECT j.inspection_id, j.area, j.grade"                                    \
    " FROM judgement j JOIN inspection i ON i.id = j.inspection_id"
#define JUDGEMENTS_ORDER " ORDER BY j.inspection_id, j.area"
#define IMPROVEMENTS                                                            \
    "SELECT m.inspection_id, m.text"                                             \
    " FROM improvement m JOIN inspection i ON i.id = m.inspection_id"
#define IMPROVEMENTS_ORDER " ORDER BY m.inspection_id, m.position"
#define FINDINGS                                                                \
    "SELECT f.inspection_id, f.polarity, f.theme, f.text,"                       \
    " coalesce (f.span_start, 0), coalesce (f.span_end, 0), d.sha256"            \
    " FROM finding f JOIN inspection i ON i.id = f.inspection_id"                \
    " JOIN document d ON d.id = f.document_id"
#define FINDINGS_ORDER                                                          \
    " ORDER BY f.inspection_id, d.published_on NULLS LAST, d.sha256, f.span_start, f.id"
#define DEADLINES                                                               \
    "SELECT l.authority, l.kind, l.due::text, coalesce (l.basis, ''),"           \
    " coalesce (l.inspection_id, 0), d.sha256"                                   \
    " FROM deadline l JOIN document d ON d.id = l.document_id"
#define DEADLINES_ORDER " ORDER BY l.authority, l.due, l.kind"

void
hi_read_prepare (ow_db_t *db)
{
    ow_db_statement (db, "hi_inspections", INSPECTIONS " WHERE i.authority = $1" INSPECTIONS_ORDER);
    ow_db_statement (db, "hi_inspections_all", INSPECTIONS INSPECTIONS_ORDER);
    ow_db_statement (db, "hi_inspectors", INSPECTORS " WHERE i.authority = $1" INSPECTORS_ORDER);
    ow_db_statement (db, "hi_inspectors_all", INSPECTORS INSPECTORS_ORDER);
    ow_db_statement (db, "hi_judgements", JUDGEMENTS " WHERE i.authority = $1" JUDGEMENTS_ORDER);
    ow_db_statement (db, "hi_judgements_all", JUDGEMENTS JUDGEMENTS_ORDER);
    ow_db_statement (db, "hi_improvements",
                     IMPROVEMENTS " WHERE i.authority = $1" IMPROVEMENTS_ORDER);
    ow_db_statement (db, "hi_improvements_all", IMPROVEMENTS IMPROVEMENTS_ORDER);
    ow_db_statement (db, "hi_findings", FINDINGS " WHERE i.authority = $1" FINDINGS_ORDER);
    ow_db_statement (db, "hi_findings_all", FINDINGS FINDINGS_ORDER);
    ow_db_statement (db, "hi_deadlines", DEADLINES " WHERE l.authority = $1" DEADLINES_ORDER);
    ow_db_statement (db, "hi_deadlines_all", DEADLINES DEADLINES_ORDER);
}

//  Appends a zeroed item to an array and returns it.
static void *
append (void *array_address, size_t *count, size_t item_size)
{
    void **array = array_address;
    char *grown = realloc (*array, (*count + 1) * item_size);
    if (!grown)
        abort ();
    *array = grown;
    memset (grown + *count * item_size, 0, item_size);
    return grown + (*count)++ * item_size;
}

static int64_t
int64_at (const PGresult *result, int row, int column)
{
    const char *value = ow_db_value (result, row, column);
    return value ? strtoll (value, NULL, 10) : 0;
}

static int
date_at (const PGresult *result, int row, int column)
{
    return ow_date_from_iso (ow_db_value (result, row, column));
}

static int
compare_placements (const void *a, const void *b)
{
    int64_t x = ((const placement_t *) a)->id, y = ((const placement_t *) b)->id;
    return x < y ? -1 : x > y;
}

static hi_inspection_t *
placed (read_t *read, int64_t id)
{
    if (!read->n_placements)
        return NULL;                // and bsearch must not see a NULL array
    placement_t key = { .id = id };
    placement_t *found = bsearch (&key, read->placements, read->n_placements,
                                  sizeof (placement_t), compare_placements);
    return found ? &found->history->inspections [found->index] : NULL;
}

//  Reads one row of a statement's result.
typedef void (row_fn) (read_t *read, const PGresult *result, int row);

//  Runs a statement for one authority (or all) and hands every row to fn.
static bool
read_rows (read_t *read, ow_db_t *db, const char *statement, const char *code, row_fn *fn)
{
    const char *values [] = { code };
    char *all = code ? NULL : ow_printf ("%s_all", statement);
    PGresult *result = code ? ow_db_run (db, statement, 1, values) : ow_db_run (db, all, 0, NULL);
    free (all);
    if (!result)
        return false;
    for (int row = 0; row < PQntuples (result); row++)
        fn (read, result, row);
    PQclear (result);
    return true;
}

static void
inspection_row (read_t *read, const PGresult *result, int row)
{
    hi_history_t *history = read->slot (read->context, ow_db_value (result, row, 1));
    if (!history)
        return;
    hi_inspection_t *inspection = append (&history->inspections, &history->n_inspections,
                                          sizeof (hi_inspection_t));
    inspection->id = int64_at (result, row, 0);
    inspection->kind = ow_vocab_value (&ofwatch__v1__inspection_kind__descriptor,
                                       ow_db_value (result, row, 2));
    inspection->start = date_at (result, row, 3);
    inspection->start_month = strcmp (ow_db_value (result, row, 4), "t") == 0;
    inspection->end = date_at (result, row, 5);
    inspection->published = date_at (result, row, 6);
    inspection->visit_number = (int) int64_at (result, row, 7);
    inspection->lead_inspector = ow_strdup (ow_db_value (result, row, 8));
    inspection->inadequate_since = ow_strdup (ow_db_value (result, row, 9));
    inspection->sha256 = ow_strdup (ow_db_value (result, row, 10));
    inspection->outcome = ow_vocab_value (&ofwatch__v1__send_outcome__descriptor,
                                          ow_db_value (result, row, 11));
    inspection->next_inspection = ow_vocab_value (&ofwatch__v1__next_inspection__descriptor,
                                                  ow_db_value (result, row, 12));
    inspection->previous_start = date_at (result, row, 13);
    inspection->previous_end = date_at (result, row, 14);
    inspection->source_url = ow_strdup (ow_db_value (result, row, 15));
    placement_t *place = append (&read->placements, &read->n_placements, sizeof (placement_t));
    *place = (placement_t) { inspection->id, history, history->n_inspections - 1 };
}

static void
inspector_row (read_t *read, const PGresult *result, int row)
{
    hi_inspection_t *inspection = placed (read, int64_at (result, row, 0));
    if (inspection)
        ow_pb_append_string (&inspection->inspectors, &inspection->n_inspectors,
                             ow_db_value (result, row, 1));
}

static void
judgement_row (read_t *read, const PGresult *result, int row)
{
    hi_inspection_t *inspection = placed (read, int64_at (result, row, 0));
    if (!inspection)
        return;
    hi_grade_t *grade = append (&inspection->grades, &inspection->n_grades, sizeof (hi_grade_t));
    grade->area = ow_strdup (ow_db_value (result, row, 1));
    grade->grade = ow_vocab_value (&ofwatch__v1__grade__descriptor, ow_db_value (result, row, 2));
}

static void
improvement_row (read_t *read, const PGresult *result, int row)
{
    hi_inspection_t *inspection = placed (read, int64_at (result, row, 0));
    if (inspection)
        ow_pb_append_string (&inspection->improvements, &inspection->n_improvements,
                             ow_db_value (result, row, 1));
}

static void
finding_row (read_t *read, const PGresult *result, int row)
{
    hi_inspection_t *inspection = placed (read, int64_at (result, row, 0));
    if (!inspection)
        return;
    hi_finding_t *finding = append (&inspection->findings, &inspection->n_findings,
                                    sizeof (hi_finding_t));
    finding->polarity = ow_vocab_value (&ofwatch__v1__polarity__descriptor,
                                        ow_db_value (result, row, 1));
    finding->theme = ow_vocab_value (&ofwatch__v1__theme__descriptor,
                                     ow_db_value (result, row, 2));
    finding->text = ow_strdup (ow_db_value (result, row, 3));
    finding->start = (uint32_t) int64_at (result, row, 4);
    finding->end = (uint32_t) int64_at (result, row, 5);
    finding->sha256 = ow_strdup (ow_db_value (result, row, 6));
}

static void
deadline_row (read_t *read, const PGresult *result, int row)
{
    hi_history_t *history = read->slot (read->context, ow_db_value (result, row, 0));
    if (!history)
        return;
    hi_deadline_t *deadline = append (&history->deadlines, &history->n_deadlines,
                                      sizeof (hi_deadline_t));
    deadline->kind = ow_strdup (ow_db_value (result, row, 1));
    deadline->due = date_at (result, row, 2);
    deadline->basis = ow_strdup (ow_db_value (result, row, 3));
    deadline->inspection_id = int64_at (result, row, 4);
    deadline->sha256 = ow_strdup (ow_db_value (result, row, 5));
}

//  Inspections first: the rows that follow find theirs by id.
static bool
read_all (read_t *read, ow_db_t *db, const char *code)
{
    if (!read_rows (read, db, "hi_inspections", code, inspection_row))
        return false;
    if (read->n_placements)
        qsort (read->placements, read->n_placements, sizeof (placement_t), compare_placements);
    return read_rows (read, db, "hi_inspectors", code, inspector_row)
        && read_rows (read, db, "hi_judgements", code, judgement_row)
        && read_rows (read, db, "hi_improvements", code, improvement_row)
        && read_rows (read, db, "hi_findings", code, finding_row)
        && read_rows (read, db, "hi_deadlines", code, deadline_row);
}

bool
hi_read (ow_db_t *db, const char *code, hi_slot_fn *slot, void *context)
{
    read_t read = { .slot = slot, .context = context };
    bool ok = ow_db_exec (db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (ok) {
        ok = read_all (&read, db, code);
        ow_db_exec (db, ok ? "COMMIT" : "ROLLBACK");
    }
    free (read.placements);
    return ok;
}
