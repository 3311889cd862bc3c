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

    The histories are read by lib/history (hi_read), the one reader of
    the facts database; dates are day numbers (ow_date), OW_DATE_NONE when
    not known; inspections are oldest first (hi_history.h).
*/
#ifndef MODEL_H
#define MODEL_H

#include "hi_history.h"
#include "ow_db.h"
#include "ow_pb.h"
#include "ow_register.h"

#include <stdbool.h>

//  The first day of Ofsted's April 2026 ILACS framework, whose reports
//  print four judgements and no overall effectiveness.
#define MODEL_REFORM_DAY "2026-04-01"

//  The histories are lib/history's (hi_history.h); these are analytics'
//  names for them.
typedef hi_finding_t model_finding_t;
typedef hi_grade_t model_grade_t;
typedef hi_inspection_t model_inspection_t;
typedef hi_deadline_t model_deadline_t;
typedef hi_history_t model_history_t;

typedef struct _model_t model_t;

//  One history per register entry, all empty until loaded. The register
//  is borrowed and must outlive the model.
model_t *model_new (const ow_register_t *reg);
void model_destroy (model_t **self_p);

//  Registers the statements model_load runs (hi_read's).
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

//  The day an inspection is placed at: fieldwork start (a month's first
//  day when only the month is known), else end, else publication.
#define model_inspection_day hi_inspection_day

//  A full inspection whose fieldwork is known, to the day or the month:
//  grades are compared across these. One placed by nothing but a
//  publication cannot be placed among the others (it is shown, not
//  compared).
bool model_is_dated_full (const model_inspection_t *inspection);

//  A grade that says something: known, and not "not judged".
bool model_is_graded (Ofwatch__V1__Grade grade);

//  A dated full inspection that graded something: the latest of these is
//  an authority's latest full inspection, whether or not it printed an
//  overall judgement (since April 2026 ILACS reports print none).
bool model_is_graded_full (const model_inspection_t *inspection);

//  Whether a full inspection left the authority inadequate: its overall
//  judgement when the report prints one (an inadequate area under a better
//  overall judgement, as Doncaster's 2022 leaders, did not), else any of
//  its judgements inadequate, the rule the framework applies to the
//  overall judgement it no longer prints.
bool model_judged_inadequate (const model_inspection_t *inspection);

//  An ILACS inspection of the April 2026 framework: judgements but no
//  overall judgement printed, fieldwork (else publication) on or after 1
//  April 2026 (the summary export's not_reported_post_reform, state's
//  rules).
bool model_is_post_reform (const model_inspection_t *inspection);

//  The inspection with that id in a history, or NULL.
const model_inspection_t *model_inspection (const model_history_t *history, int64_t id);

#endif
