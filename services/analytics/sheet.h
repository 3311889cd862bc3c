/*  sheet — an inspection written the way the community ILACS sheets write
    it (README.md, "The exports"), for the summary and history exports.

    Grades and inspector names in lower-case words ("requires
    improvement", "lisa summers"); inspection_framework "short" or
    "standard" for ILACS (empty when the report did not say which), the
    kind's word for older frameworks; start and end dates dd/mm/yyyy,
    publication dd/mm/yy; where children in care and care leavers were
    graded together, in_care holds that grade and care_leavers is
    "inspection_pre_dates_judgement"; an ILACS inspection under the April
    2026 framework, which prints no overall effectiveness, has overall
    "not_reported_post_reform". SIF's "looked after" grade counts as
    in care and its leadership grade as the impact of leaders. Every value
    is "" when not known, never guessed.

    Also the register's columns the sheet carries that ow_register has no
    use for (the sheet's own name for each authority, its region code,
    ltla23cd, statistical neighbours as written), read from
    data/la_lookup.csv and data/sheet_names.csv.
*/
#ifndef SHEET_H
#define SHEET_H

#include "model.h"
#include "ow_register.h"

//  One inspection's values; every string is owned (sheet_values_clear).
typedef struct {
    char *overall;
    char *framework;
    char *inspector;
    char *start;
    char *end;
    char *published;
    char *leaders;
    char *help_and_protection;
    char *in_care;
    char *care_leavers;
} sheet_values_t;

void sheet_values_fill (sheet_values_t *values, const model_inspection_t *inspection);
void sheet_values_clear (sheet_values_t *values);

//  Moves a value into a message's string field (which owns it after).
void sheet_take (char **field, char **value);

//  Moves every value into the string fields of row that bear the sheet's
//  column names (overall_effectiveness_grade, inspection_framework, ...):
//  SummaryRow and HistoryRow both have them.
void sheet_values_move (sheet_values_t *values, ProtobufCMessage *row);

//  The register as the sheet writes it, one entry per authority of today's
//  register (153), keyed on the Ofsted URN.
typedef struct {
    const char *urn;
    const char *local_authority;    // "london corporation"
    const char *region_code;        // "GL"
    const char *ltla23cd;
    const char *stat_neighbours;    // "202, 205, ..." as la_lookup.csv has it
} sheet_authority_t;

typedef struct _sheet_register_t sheet_register_t;

//  NULL and *error (caller frees) when a file is missing or lacks a column.
sheet_register_t *sheet_register_load (const char *data_dir, char **error);
void sheet_register_destroy (sheet_register_t **self_p);

//  The entry of an authority, or NULL when it is not one of today's 153.
const sheet_authority_t *sheet_register_find (const sheet_register_t *self,
                                              const ow_authority_t *authority);

//  Ofsted's page listing every report about the authority with that URN
//  (caller frees): what the sheet's local_link_to_all_inspections is for.
char *sheet_reports_page (const char *urn);

#endif
