/*  views — the answers analytics gives, built from the model.

    One builder per question: an authority's history with its state, its
    benchmark, the themes, the national picture, the summary export and
    the rendered reports. Each takes the model (whose lock the caller
    holds), the register, the clock and every authority's state as of it
    (answer.c keeps them until the model or the day changes), and returns
    a new message the caller frees; none touches the database, so the ROUTER and the HTTP
    pages give the same answer from the same code.
*/
#ifndef VIEWS_H
#define VIEWS_H

#include "model.h"
#include "state.h"
#include "ow_pb.h"
#include "ow_register.h"

#include "sheet.h"

typedef struct {
    const model_t *model;
    const ow_register_t *reg;
    const sheet_register_t *sheet;  // the register as the community sheet writes it
    int today;
    const state_t *states;          // every history's state as of today, by model index
} view_t;

//  history.c
Ofwatch__V1__AuthorityHistory *view_history (const view_t *view, const model_history_t *history);

//  benchmark.c
Ofwatch__V1__Benchmark *view_benchmark (const view_t *view, const model_history_t *history);

//  national.c
Ofwatch__V1__National *view_national (const view_t *view);

//  summary.c: `export summary`, one row per authority of the register.
Ofwatch__V1__Summary *view_summary (const view_t *view);

//  history_export.c: `export history`, one row per inspection or visit.
Ofwatch__V1__HistoryExport *view_history_export (const view_t *view);

//  report.c: one self-contained HTML page (render_*.c draw it).
Ofwatch__V1__Report *view_report_authority (const view_t *view, const model_history_t *history);
Ofwatch__V1__Report *view_report_national (const view_t *view);

#endif
