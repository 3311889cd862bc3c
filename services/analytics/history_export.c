/*  history_export — `ofwatch export history`: one row per inspection or
    visit of every authority, of every kind (ILACS, SIF, focused and
    monitoring visits, JTAI, area SEND, ...), oldest first.

    The columns the community history CSV has (one row per inspection of
    the public fork of the summary sheet's tool) come first, written as it
    writes them (sheet.h); a value that does not apply to a kind, such as
    the grades of a focused visit, is empty. Then ours: the kind, the
    visit's number, the area SEND outcome and the document it came from.
    Authorities abolished since (Northamptonshire, Cumbria, Poole, ...)
    keep their rows under their own codes.
*/

#include "views.h"
#include "sheet.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const model_history_t *history;
    const model_inspection_t *inspection;
} placed_t;

static int
oldest_first (const void *a, const void *b)
{
    const placed_t *x = a, *y = b;
    int dx = model_inspection_day (x->inspection), dy = model_inspection_day (y->inspection);
    //  Undated ones (a council paper's passing mention) go last.
    if (dx != dy)
        return dx == OW_DATE_NONE ? 1 : dy == OW_DATE_NONE ? -1 : dx < dy ? -1 : 1;
    int by_code = strcmp (x->history->authority->code, y->history->authority->code);
    if (by_code)
        return by_code;
    return x->inspection->id < y->inspection->id ? -1 : x->inspection->id > y->inspection->id;
}

//  Lower case, as the sheet names authorities, for one it does not name.
static char *
plain_name (const char *name)
{
    char *lower = ow_strdup (name);
    for (char *c = lower; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char) (*c - 'A' + 'a');
    return lower;
}

static Ofwatch__V1__HistoryRow *
history_row (const view_t *view, const placed_t *placed)
{
    const ow_authority_t *a = placed->history->authority;
    const model_inspection_t *inspection = placed->inspection;
    Ofwatch__V1__HistoryRow *row = OW_PB_NEW (Ofwatch__V1__HistoryRow,
                                              ofwatch__v1__history_row__init);
    const sheet_authority_t *sheet = sheet_register_find (view->sheet, a);
    ow_pb_set_string (&row->urn, a->urn);
    char *name = sheet ? ow_strdup (sheet->local_authority) : plain_name (a->name);
    sheet_take (&row->local_authority, &name);
    ow_pb_set_string (&row->inspection_link, inspection->source_url);
    sheet_values_t values;
    sheet_values_fill (&values, inspection);
    sheet_values_move (&values, &row->base);
    ow_pb_set_string (&row->la_code, a->la_code);
    ow_pb_set_string (&row->ons_code, a->code);
    ow_pb_set_string (&row->region, a->region_name);
    ow_pb_set_string (&row->inspection_kind, ow_kind_word (inspection->kind));
    if (inspection->visit_number > 0) {
        char number [16];
        snprintf (number, sizeof number, "%d", inspection->visit_number);
        ow_pb_set_string (&row->visit_number, number);
    }
    ow_pb_set_string (&row->outcome, ow_vocab_word (&ofwatch__v1__send_outcome__descriptor,
                                                    inspection->outcome));
    ow_pb_set_string (&row->source_sha256, inspection->sha256);
    return row;
}

Ofwatch__V1__HistoryExport *
view_history_export (const view_t *view)
{
    size_t count = 0;
    for (size_t i = 0; i < model_size (view->model); i++)
        count += model_at (view->model, i)->n_inspections;
    placed_t *all = ow_calloc (count ? count : 1, sizeof *all);
    size_t n = 0;
    for (size_t i = 0; i < model_size (view->model); i++) {
        const model_history_t *history = model_at (view->model, i);
        for (size_t k = 0; k < history->n_inspections; k++)
            all [n++] = (placed_t) { history, &history->inspections [k] };
    }
    assert (n == count);
    qsort (all, n, sizeof *all, oldest_first);
    Ofwatch__V1__HistoryExport *export = OW_PB_NEW (Ofwatch__V1__HistoryExport,
                                                   ofwatch__v1__history_export__init);
    for (size_t i = 0; i < n; i++)
        ow_pb_append ((void ***) &export->rows, &export->n_rows, history_row (view, &all [i]));
    free (all);
    return export;
}
