/*  model — every authority's history in memory; see model.h.  */

#include "model.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct _model_t {
    const ow_register_t *reg;
    model_history_t *histories;     // one per register entry, in its order
    size_t size;
    size_t *by_code;                // history indexes sorted by ONS code
    uint64_t generation;            // loads swapped in
    pthread_mutex_t lock;
};

//  Where a loaded inspection lives, to attach its rows by id.
typedef struct {
    int64_t id;
    size_t history, index;
} placement_t;

typedef struct {
    model_t *model;
    model_history_t *fresh;         // what is being loaded
    placement_t *placements;        // sorted by id
    size_t n_placements;
} load_t;

//  The six reads of a history, each prepared twice: for one authority
//  (named as here) and for all (name_all). One statement for both, with
//  "$1 IS NULL OR authority = $1", gets a generic plan after a few runs
//  that scans every table for one authority's rows.
#define INSPECTIONS                                                             \
    "SELECT i.id, i.authority, i.kind, coalesce (i.start_date::text, ''),"       \
    " coalesce (i.end_date::text, ''), coalesce (i.published_on::text, ''),"    \
    " coalesce (i.visit_number, 0), coalesce (i.lead_inspector, ''),"            \
    " coalesce (i.inadequate_since, ''), d.sha256"                               \
    " FROM inspection i JOIN document d ON d.id = i.document_id"
#define INSPECTIONS_ORDER " ORDER BY i.authority, coalesce (i.start_date, i.published_on), i.id"
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
#define FINDINGS_ORDER " ORDER BY f.inspection_id, f.id"
#define DEADLINES                                                               \
    "SELECT l.authority, l.kind, l.due::text, coalesce (l.basis, ''),"           \
    " coalesce (l.inspection_id, 0), d.sha256"                                   \
    " FROM deadline l JOIN document d ON d.id = l.document_id"
#define DEADLINES_ORDER " ORDER BY l.authority, l.due, l.kind"

void
model_prepare (ow_db_t *db)
{
    ow_db_statement (db, "model_inspections", INSPECTIONS " WHERE i.authority = $1" INSPECTIONS_ORDER);
    ow_db_statement (db, "model_inspections_all", INSPECTIONS INSPECTIONS_ORDER);
    ow_db_statement (db, "model_inspectors", INSPECTORS " WHERE i.authority = $1" INSPECTORS_ORDER);
    ow_db_statement (db, "model_inspectors_all", INSPECTORS INSPECTORS_ORDER);
    ow_db_statement (db, "model_judgements", JUDGEMENTS " WHERE i.authority = $1" JUDGEMENTS_ORDER);
    ow_db_statement (db, "model_judgements_all", JUDGEMENTS JUDGEMENTS_ORDER);
    ow_db_statement (db, "model_improvements",
                     IMPROVEMENTS " WHERE i.authority = $1" IMPROVEMENTS_ORDER);
    ow_db_statement (db, "model_improvements_all", IMPROVEMENTS IMPROVEMENTS_ORDER);
    ow_db_statement (db, "model_findings", FINDINGS " WHERE i.authority = $1" FINDINGS_ORDER);
    ow_db_statement (db, "model_findings_all", FINDINGS FINDINGS_ORDER);
    ow_db_statement (db, "model_deadlines", DEADLINES " WHERE l.authority = $1" DEADLINES_ORDER);
    ow_db_statement (db, "model_deadlines_all", DEADLINES DEADLINES_ORDER);
}

//  --------------------------------------------------------------------------
//  Construction

static int
compare_codes (const void *a, const void *b, void *context)
{
    const model_history_t *h = ((const model_t *) context)->histories;
    return strcmp (h [*(const size_t *) a].authority->code,
                   h [*(const size_t *) b].authority->code);
}

model_t *
model_new (const ow_register_t *reg)
{
    model_t *self = ow_calloc (1, sizeof (model_t));
    self->reg = reg;
    self->size = ow_register_size (reg);
    self->histories = ow_calloc (self->size ? self->size : 1, sizeof (model_history_t));
    self->by_code = ow_calloc (self->size ? self->size : 1, sizeof (size_t));
    for (size_t i = 0; i < self->size; i++) {
        self->histories [i].authority = ow_register_at (reg, i);
        self->by_code [i] = i;
    }
    qsort_r (self->by_code, self->size, sizeof (size_t), compare_codes, self);
    pthread_mutex_init (&self->lock, NULL);
    return self;
}

static void
free_inspection (model_inspection_t *inspection)
{
    free (inspection->lead_inspector);
    free (inspection->inadequate_since);
    free (inspection->sha256);
    free (inspection->source_url);
    for (size_t i = 0; i < inspection->n_inspectors; i++)
        free (inspection->inspectors [i]);
    free (inspection->inspectors);
    for (size_t i = 0; i < inspection->n_grades; i++)
        free (inspection->grades [i].area);
    free (inspection->grades);
    for (size_t i = 0; i < inspection->n_improvements; i++)
        free (inspection->improvements [i]);
    free (inspection->improvements);
    for (size_t i = 0; i < inspection->n_findings; i++) {
        free (inspection->findings [i].text);
        free (inspection->findings [i].sha256);
    }
    free (inspection->findings);
}

//  Frees what a history holds, keeping its authority.
static void
clear_history (model_history_t *history)
{
    for (size_t i = 0; i < history->n_inspections; i++)
        free_inspection (&history->inspections [i]);
    free (history->inspections);
    for (size_t i = 0; i < history->n_deadlines; i++) {
        free (history->deadlines [i].kind);
        free (history->deadlines [i].basis);
        free (history->deadlines [i].sha256);
    }
    free (history->deadlines);
    const ow_authority_t *authority = history->authority;
    memset (history, 0, sizeof *history);
    history->authority = authority;
}

void
model_destroy (model_t **self_p)
{
    model_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->size; i++)
        clear_history (&self->histories [i]);
    free (self->histories);
    free (self->by_code);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

//  --------------------------------------------------------------------------
//  Lookup

static size_t
index_of (const model_t *self, const char *code)
{
    size_t low = 0, high = self->size;
    while (low < high) {
        size_t middle = (low + high) / 2;
        int order = strcmp (self->histories [self->by_code [middle]].authority->code, code);
        if (order == 0)
            return self->by_code [middle];
        if (order < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return self->size;
}

const model_history_t *
model_history_by_code (const model_t *self, const char *code)
{
    size_t index = code ? index_of (self, code) : self->size;
    return index < self->size ? &self->histories [index] : NULL;
}

const model_history_t *
model_history (const model_t *self, const ow_authority_t *authority)
{
    return authority ? model_history_by_code (self, authority->code) : NULL;
}

uint64_t
model_generation (const model_t *self)
{
    return self->generation;
}

size_t
model_size (const model_t *self)
{
    return self->size;
}

const model_history_t *
model_at (const model_t *self, size_t index)
{
    return index < self->size ? &self->histories [index] : NULL;
}

void
model_lock (model_t *self)
{
    pthread_mutex_lock (&self->lock);
}

void
model_unlock (model_t *self)
{
    pthread_mutex_unlock (&self->lock);
}

Ofwatch__V1__Grade
model_grade (const model_inspection_t *inspection, const char *area)
{
    for (size_t i = 0; i < inspection->n_grades; i++)
        if (strcmp (inspection->grades [i].area, area) == 0)
            return inspection->grades [i].grade;
    return 0;
}

int
model_inspection_day (const model_inspection_t *inspection)
{
    if (inspection->start != OW_DATE_NONE)
        return inspection->start;
    if (inspection->end != OW_DATE_NONE)
        return inspection->end;
    return inspection->published;
}

bool
model_is_dated_full (const model_inspection_t *inspection)
{
    return ow_kind_is_full_inspection (inspection->kind)
        && (inspection->start != OW_DATE_NONE || inspection->end != OW_DATE_NONE);
}

const model_inspection_t *
model_inspection (const model_history_t *history, int64_t id)
{
    for (size_t i = 0; i < history->n_inspections; i++)
        if (history->inspections [i].id == id)
            return &history->inspections [i];
    return NULL;
}

//  --------------------------------------------------------------------------
//  Loading

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
compare_placements (const void *a, const void *b)
{
    int64_t x = ((const placement_t *) a)->id, y = ((const placement_t *) b)->id;
    return x < y ? -1 : x > y;
}

static model_inspection_t *
placed (load_t *load, int64_t id)
{
    if (!load->n_placements)
        return NULL;                // and bsearch must not see a NULL array
    placement_t key = { .id = id };
    placement_t *found = bsearch (&key, load->placements, load->n_placements,
                                  sizeof (placement_t), compare_placements);
    return found ? &load->fresh [found->history].inspections [found->index] : NULL;
}

//  Reads one row of a statement's result into the load.
typedef void (row_fn) (load_t *load, const PGresult *result, int row);

//  Runs a statement for one authority (or all) and hands every row to fn.
static bool
load_rows (load_t *load, ow_db_t *db, const char *statement, const char *code, row_fn *fn)
{
    const char *values [] = { code };
    char *all = code ? NULL : ow_printf ("%s_all", statement);
    PGresult *result = code ? ow_db_run (db, statement, 1, values) : ow_db_run (db, all, 0, NULL);
    free (all);
    if (!result)
        return false;
    for (int row = 0; row < PQntuples (result); row++)
        fn (load, result, row);
    PQclear (result);
    return true;
}

//  The history a row's authority column names; NULL for an authority the
//  register no longer holds.
static model_history_t *
history_of (load_t *load, const PGresult *result, int row, int column)
{
    size_t h = index_of (load->model, ow_db_value (result, row, column));
    return h < load->model->size ? &load->fresh [h] : NULL;
}

static void
inspection_row (load_t *load, const PGresult *result, int row)
{
    model_history_t *history = history_of (load, result, row, 1);
    if (!history)
        return;
    model_inspection_t *inspection = append (&history->inspections, &history->n_inspections,
                                             sizeof (model_inspection_t));
    inspection->id = int64_at (result, row, 0);
    inspection->kind = ow_vocab_value (&ofwatch__v1__inspection_kind__descriptor,
                                       ow_db_value (result, row, 2));
    inspection->start = ow_date_from_iso (ow_db_value (result, row, 3));
    inspection->end = ow_date_from_iso (ow_db_value (result, row, 4));
    inspection->published = ow_date_from_iso (ow_db_value (result, row, 5));
    inspection->visit_number = (int) int64_at (result, row, 6);
    inspection->lead_inspector = ow_strdup (ow_db_value (result, row, 7));
    inspection->inadequate_since = ow_strdup (ow_db_value (result, row, 8));
    inspection->sha256 = ow_strdup (ow_db_value (result, row, 9));
    placement_t *place = append (&load->placements, &load->n_placements, sizeof (placement_t));
    *place = (placement_t) { inspection->id, (size_t) (history - load->fresh),
                             history->n_inspections - 1 };
}

static void
inspector_row (load_t *load, const PGresult *result, int row)
{
    model_inspection_t *inspection = placed (load, int64_at (result, row, 0));
    if (inspection)
        ow_pb_append_string (&inspection->inspectors, &inspection->n_inspectors,
                             ow_db_value (result, row, 1));
}

static void
judgement_row (load_t *load, const PGresult *result, int row)
{
    model_inspection_t *inspection = placed (load, int64_at (result, row, 0));
    if (!inspection)
        return;
    model_grade_t *grade = append (&inspection->grades, &inspection->n_grades,
                                   sizeof (model_grade_t));
    grade->area = ow_strdup (ow_db_value (result, row, 1));
    grade->grade = ow_vocab_value (&ofwatch__v1__grade__descriptor, ow_db_value (result, row, 2));
}

static void
improvement_row (load_t *load, const PGresult *result, int row)
{
    model_inspection_t *inspection = placed (load, int64_at (result, row, 0));
    if (inspection)
        ow_pb_append_string (&inspection->improvements, &inspection->n_improvements,
                             ow_db_value (result, row, 1));
}

static void
finding_row (load_t *load, const PGresult *result, int row)
{
    model_inspection_t *inspection = placed (load, int64_at (result, row, 0));
    if (!inspection)
        return;
    model_finding_t *finding = append (&inspection->findings, &inspection->n_findings,
                                       sizeof (model_finding_t));
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
deadline_row (load_t *load, const PGresult *result, int row)
{
    model_history_t *history = history_of (load, result, row, 0);
    if (!history)
        return;
    model_deadline_t *deadline = append (&history->deadlines, &history->n_deadlines,
                                         sizeof (model_deadline_t));
    deadline->kind = ow_strdup (ow_db_value (result, row, 1));
    deadline->due = ow_date_from_iso (ow_db_value (result, row, 2));
    deadline->basis = ow_strdup (ow_db_value (result, row, 3));
    deadline->inspection_id = int64_at (result, row, 4);
    deadline->sha256 = ow_strdup (ow_db_value (result, row, 5));
}

//  Inspections first: the rows that follow find theirs by id.
static bool
load_all (load_t *load, ow_db_t *db, const char *code)
{
    if (!load_rows (load, db, "model_inspections", code, inspection_row))
        return false;
    if (load->n_placements)
        qsort (load->placements, load->n_placements, sizeof (placement_t), compare_placements);
    return load_rows (load, db, "model_inspectors", code, inspector_row)
        && load_rows (load, db, "model_judgements", code, judgement_row)
        && load_rows (load, db, "model_improvements", code, improvement_row)
        && load_rows (load, db, "model_findings", code, finding_row)
        && load_rows (load, db, "model_deadlines", code, deadline_row);
}

bool
model_load (model_t *self, ow_db_t *db, const char *code)
{
    size_t only = code ? index_of (self, code) : self->size;
    if (code && only >= self->size)
        return true;            // not an authority of the register: nothing to hold
    load_t load = { .model = self };
    load.fresh = ow_calloc (self->size ? self->size : 1, sizeof (model_history_t));
    for (size_t i = 0; i < self->size; i++)
        load.fresh [i].authority = self->histories [i].authority;
    //  One snapshot for all six reads, so an authority is never seen half
    //  written by a document that committed between them.
    bool ok = ow_db_exec (db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (ok) {
        ok = load_all (&load, db, code);
        ow_db_exec (db, ok ? "COMMIT" : "ROLLBACK");
    }
    if (ok) {
        model_lock (self);
        for (size_t i = 0; i < self->size; i++) {
            if (code && i != only)
                continue;
            model_history_t old = self->histories [i];
            self->histories [i] = load.fresh [i];
            load.fresh [i] = old;
        }
        self->generation++;
        model_unlock (self);
    }
    for (size_t i = 0; i < self->size; i++)
        clear_history (&load.fresh [i]);
    free (load.fresh);
    free (load.placements);
    return ok;
}
