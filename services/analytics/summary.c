/*  summary — `ofwatch export summary`: a drop-in for the community ILACS
    summary sheet (README.md, "The exports"), so the Power BI and Excel
    workbooks built on that sheet keep working.

    One row per authority of today's register (153), in the register's
    order, also for an authority with no inspection on record (its
    inspection columns empty). The row describes the authority's latest
    full inspection as state.c chooses it; values are written as the sheet
    writes them (sheet.h). The columns the sheet computes across rows are
    computed here the same way:

    - stat_neighbour_judgement: each statistical neighbour's DfE code with
      its overall_effectiveness_grade in this export, as the sheet prints
      a Python list of tuples: [(943, 'good'), (860, 'Unknown')], 'Unknown'
      where the neighbour has no overall grade;
    - inspectors_inspections_count: how many rows name the same lead
      inspector (empty where no inspector is known).
*/

#include "views.h"
#include "sheet.h"
#include "state.h"
#include "ow_vocab.h"

#include <stdlib.h>
#include <string.h>

static Ofwatch__V1__SummaryRow *
summary_row (const model_history_t *history, const sheet_authority_t *sheet,
         const model_inspection_t *latest)
{
    const ow_authority_t *a = history->authority;
    Ofwatch__V1__SummaryRow *row = OW_PB_NEW (Ofwatch__V1__SummaryRow,
                                              ofwatch__v1__summary_row__init);
    ow_pb_set_string (&row->urn, a->urn);
    ow_pb_set_string (&row->la_code, a->la_code);
    ow_pb_set_string (&row->region_code, sheet->region_code);
    ow_pb_set_string (&row->ltla23cd, sheet->ltla23cd);
    ow_pb_set_string (&row->stat_neighbours, sheet->stat_neighbours);
    ow_pb_set_string (&row->local_authority, sheet->local_authority);
    char *reports = sheet_reports_page (a->urn);
    sheet_take (&row->local_link_to_all_inspections, &reports);
    ow_pb_set_string (&row->ons_code, a->code);
    ow_pb_set_string (&row->region, a->region_name);
    if (!latest)
        return row;
    sheet_values_t values;
    sheet_values_fill (&values, latest);
    ow_pb_set_string (&row->inspection_link, latest->source_url);
    sheet_values_move (&values, &row->base);
    ow_pb_set_string (&row->inspection_kind, ow_kind_word (latest->kind));
    ow_pb_set_string (&row->source_sha256, latest->sha256);
    return row;
}

//  "943, 860" -> "[(943, 'good'), (860, 'Unknown')]" from the rows' grades.
static char *
neighbour_judgements (const Ofwatch__V1__Summary *summary, const char *neighbours)
{
    if (!*neighbours)
        return ow_strdup ("");
    char *text = ow_strdup ("[");
    char *list = ow_strdup (neighbours);
    char *rest = NULL;
    size_t n = 0;
    for (char *code = strtok_r (list, ", ", &rest); code; code = strtok_r (NULL, ", ", &rest)) {
        const char *grade = "Unknown";
        for (size_t r = 0; r < summary->n_rows; r++)
            if (strcmp (summary->rows [r]->la_code, code) == 0
            &&  *summary->rows [r]->overall_effectiveness_grade)
                grade = summary->rows [r]->overall_effectiveness_grade;
        char *longer = ow_printf ("%s%s(%s, '%s')", text, n++ ? ", " : "", code, grade);
        free (text);
        text = longer;
    }
    free (list);
    char *closed = ow_printf ("%s]", text);
    free (text);
    return closed;
}

static void
count_inspectors (Ofwatch__V1__Summary *summary)
{
    for (size_t r = 0; r < summary->n_rows; r++) {
        const char *name = summary->rows [r]->inspector_name;
        if (!*name)
            continue;
        size_t count = 0;
        for (size_t o = 0; o < summary->n_rows; o++)
            count += strcmp (summary->rows [o]->inspector_name, name) == 0;
        char text [24];
        snprintf (text, sizeof text, "%zu", count);
        ow_pb_set_string (&summary->rows [r]->inspectors_inspections_count, text);
    }
}

Ofwatch__V1__Summary *
view_summary (const view_t *view)
{
    Ofwatch__V1__Summary *summary = OW_PB_NEW (Ofwatch__V1__Summary,
                                               ofwatch__v1__summary__init);
    for (size_t i = 0; i < model_size (view->model); i++) {
        const model_history_t *history = model_at (view->model, i);
        const sheet_authority_t *sheet = sheet_register_find (view->sheet, history->authority);
        if (sheet)
            ow_pb_append ((void ***) &summary->rows, &summary->n_rows,
                          summary_row (history, sheet, view->states [i].latest));
    }
    for (size_t r = 0; r < summary->n_rows; r++) {
        char *judgements = neighbour_judgements (summary, summary->rows [r]->stat_neighbours);
        sheet_take (&summary->rows [r]->stat_neighbour_judgement, &judgements);
    }
    count_inspectors (summary);
    return summary;
}
