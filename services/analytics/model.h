/*  model — every authority's history in memory, as PostgreSQL holds it.

    analytics answers every query from here, so a single-authority query
    costs microseconds and touches no database. The model is loaded whole
    at start and one authority is loaded again whenever the log says
    something about it was stored: an authority's history is a few dozen
    rows, so reloading it is cheaper to get right than patching it. A load
    reads one consistent snapshot (a read-only REPEATABLE READ
    transaction) and swaps the new histories in under the model's lock;
    readers (the ROUTER and the HTTP thread) hold the same lock while they
    look, so they never see half an authority.

    Dates are day numbers (ow_date), OW_DATE_NONE when not known.
    Inspections are oldest first: by fieldwork start, else publication.
*/
#ifndef MODEL_H
#define MODEL_H

#include "ow_db.h"
#include "ow_pb.h"
#include "ow_register.h"

#include <stdbool.h>

typedef struct {
    Ofwatch__V1__Polarity polarity;
    Ofwatch__V1__Theme theme;
    char *text;
    char *sha256;                   // the document that says so
    uint32_t start, end;            // span in that document's text
} model_finding_t;

typedef struct {
    char *area;
    Ofwatch__V1__Grade grade;
} model_grade_t;

typedef struct {
    int64_t id;
    Ofwatch__V1__InspectionKind kind;
    int start, end, published;
    int visit_number;               // 0: not known
    char *lead_inspector;           // "" when not known
    char **inspectors;
    size_t n_inspectors;
    char *inadequate_since;         // "2022-07" as a letter prints it, or ""
    char *sha256;                   // the document that established it
    char *source_url;               // where that document was published; NULL
                                    // until the database keeps it
    Ofwatch__V1__SendOutcome outcome;   // area SEND; 0 until the database keeps it
    model_grade_t *grades;
    size_t n_grades;
    char **improvements;
    size_t n_improvements;
    model_finding_t *findings;
    size_t n_findings;
} model_inspection_t;

typedef struct {
    char *kind;                     // action_plan, ...
    int due;
    char *basis;
    int64_t inspection_id;          // 0 when not tied to one
    char *sha256;
} model_deadline_t;

typedef struct {
    const ow_authority_t *authority;
    model_inspection_t *inspections;
    size_t n_inspections;
    model_deadline_t *deadlines;    // by due date
    size_t n_deadlines;
} model_history_t;

typedef struct _model_t model_t;

//  One history per register entry, all empty until loaded. The register
//  is borrowed and must outlive the model.
model_t *model_new (const ow_register_t *reg);
void model_destroy (model_t **self_p);

//  Registers the statements model_load runs.
void model_prepare (ow_db_t *db);

//  Reads the histories of one authority (ONS code), or of all when code
//  is NULL, and swaps them in. False, changing nothing, when the database
//  could not be read.
bool model_load (model_t *self, ow_db_t *db, const char *code);

//  Readers hold the lock while they use histories.
void model_lock (model_t *self);
void model_unlock (model_t *self);

//  Counts the loads that changed the model, so what is computed from it
//  can be kept until it changes.
uint64_t model_generation (const model_t *self);

size_t model_size (const model_t *self);
const model_history_t *model_at (const model_t *self, size_t index);

//  The history of an authority by register entry; NULL for one the
//  register does not hold.
const model_history_t *model_history (const model_t *self, const ow_authority_t *authority);
const model_history_t *model_history_by_code (const model_t *self, const char *code);

//  An inspection's grade of one area; 0 when it does not grade it.
Ofwatch__V1__Grade model_grade (const model_inspection_t *inspection, const char *area);

//  The day an inspection is placed at: fieldwork start, else end, else
//  publication.
int model_inspection_day (const model_inspection_t *inspection);

//  A full inspection whose fieldwork dates are known: grades are compared
//  across these. A council paper that only says "judged inadequate in
//  July 2022" gives a full inspection without dates, which cannot be
//  placed among the others (it is shown, not compared).
bool model_is_dated_full (const model_inspection_t *inspection);

//  The inspection with that id in a history, or NULL.
const model_inspection_t *model_inspection (const model_history_t *history, int64_t id);

#endif
