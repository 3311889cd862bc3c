/*  summary — `ofwatch export summary`: one row per authority for its
    latest full inspection, written the way the community ILACS summary
    sheet writes it (CONTRACTS.md section 6), so the Power BI and Excel
    workbooks built on that sheet keep working:

    - grades and inspector names in lower-case words ("requires
      improvement", "lisa summers");
    - inspection_framework "short" or "standard" for ILACS (empty when a
      document did not say which), the kind's word for older frameworks;
    - start and end dates dd/mm/yyyy, publication_date dd/mm/yy;
    - where children in care and care leavers were graded together,
      in_care_grade holds that grade and care_leavers_grade is
      "inspection_pre_dates_judgement". SIF's "looked after" grade goes to
      in_care_grade and its leadership grade to impact_of_leaders_grade;
    - overall_effectiveness_grade is "not_reported_post_reform" where an
      April 2026 report prints no overall judgement (model_is_post_reform).

    ltla23cd is la_lookup.csv's column of that name (for a few counties
    it is not the ONS code the register keys on), read here because the
    register has no use for it.
*/

#include "views.h"
#include "state.h"
#include "ow_csv.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct _summary_codes_t {
    char **urns;
    char **ltla;
    size_t count;
};

summary_codes_t *
summary_codes_load (const char *data_dir, char **error)
{
    char *path = ow_printf ("%s/la_lookup.csv", data_dir);
    ow_csv_t *csv = ow_csv_open (path, error);
    summary_codes_t *self = NULL;
    int urn = -1, ltla = -1;
    if (csv && ow_csv_next (csv)) {
        urn = ow_csv_find (csv, "urn");
        ltla = ow_csv_find (csv, "ltla23cd");
    }
    if (csv && (urn < 0 || ltla < 0))
        *error = ow_printf ("%s: the header lacks urn or ltla23cd", path);
    else if (csv) {
        self = ow_calloc (1, sizeof (summary_codes_t));
        size_t ignored = 0;
        while (ow_csv_next (csv)) {
            ow_pb_append_string (&self->urns, &self->count, ow_csv_field (csv, (size_t) urn));
            ow_pb_append_string (&self->ltla, &ignored, ow_csv_field (csv, (size_t) ltla));
        }
    }
    ow_csv_destroy (&csv);
    free (path);
    return self;
}

void
summary_codes_destroy (summary_codes_t **self_p)
{
    summary_codes_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count; i++) {
        free (self->urns [i]);
        free (self->ltla [i]);
    }
    free (self->urns);
    free (self->ltla);
    free (self);
    *self_p = NULL;
}

static const char *
ltla_of (const summary_codes_t *codes, const ow_authority_t *authority)
{
    for (size_t i = 0; codes && i < codes->count; i++)
        if (*authority->urn && strcmp (codes->urns [i], authority->urn) == 0)
            return codes->ltla [i];
    return authority->code;
}

//  Lower case for ASCII and the Latin-1 letters names use (Máire, Zoë).
static char *
lower_words (const char *text)
{
    char *lower = ow_strdup (text);
    for (unsigned char *c = (unsigned char *) lower; *c; c++) {
        if (c [0] == 0xC3 && c [1] >= 0x80 && c [1] <= 0x9E && c [1] != 0x97)
            c [1] += 0x20;
        else if (*c < 0x80)
            *c = (unsigned char) tolower (*c);
        if (c [0] == 0xC3 && c [1])
            c++;
    }
    return lower;
}

//  "requires_improvement" -> "requires improvement".
static char *
grade_words (Ofwatch__V1__Grade grade)
{
    const char *word = ow_grade_word (grade);
    char *words = ow_strdup (word ? word : "");
    for (char *c = words; *c; c++)
        if (*c == '_')
            *c = ' ';
    return words;
}

static void
set_grade (char **field, const model_inspection_t *inspection, const char *const *areas)
{
    for (const char *const *area = areas; *area; area++) {
        Ofwatch__V1__Grade grade = model_grade (inspection, *area);
        if (grade) {
            char *words = grade_words (grade);
            ow_pb_set_string (field, words);
            free (words);
            return;
        }
    }
}

static void
set_day (char **field, int day, bool short_year)
{
    if (day == OW_DATE_NONE)
        return;
    int year, month, mday;
    ow_date_to_ymd (day, &year, &month, &mday);
    char text [16];
    if (short_year)
        snprintf (text, sizeof text, "%02d/%02d/%02d", mday, month, year % 100);
    else
        snprintf (text, sizeof text, "%02d/%02d/%04d", mday, month, year);
    ow_pb_set_string (field, text);
}

static const char *
framework (Ofwatch__V1__InspectionKind kind)
{
    switch (kind) {
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT:    return "short";
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD: return "standard";
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS:          return "";
        default:                                                           return ow_kind_word (kind);
    }
}

static Ofwatch__V1__SummaryRow *
row_for (const view_t *view, const model_history_t *history, const model_inspection_t *latest)
{
    static const char *leaders [] = { "leaders", "leadership", "leadership_and_management", NULL };
    static const char *help [] = { "help_and_protection", NULL };
    static const char *in_care [] = { "in_care", "in_care_and_care_leavers", "looked_after", NULL };
    static const char *care_leavers [] = { "care_leavers", NULL };
    static const char *overall [] = { "overall", NULL };
    const ow_authority_t *a = history->authority;
    Ofwatch__V1__SummaryRow *row = OW_PB_NEW (Ofwatch__V1__SummaryRow,
                                              ofwatch__v1__summary_row__init);
    ow_pb_set_string (&row->urn, a->urn);
    ow_pb_set_string (&row->la_code, a->la_code);
    ow_pb_set_string (&row->ltla23cd, ltla_of (view->codes, a));
    ow_pb_set_string (&row->local_authority, a->name);
    set_grade (&row->overall_effectiveness_grade, latest, overall);
    if (model_is_post_reform (latest))
        ow_pb_set_string (&row->overall_effectiveness_grade, "not_reported_post_reform");
    ow_pb_set_string (&row->inspection_framework, framework (latest->kind));
    char *inspector = lower_words (latest->lead_inspector);
    ow_pb_set_string (&row->inspector_name, inspector);
    free (inspector);
    set_day (&row->inspection_start_date, latest->start, false);
    set_day (&row->inspection_end_date, latest->end, false);
    set_day (&row->publication_date, latest->published, true);
    set_grade (&row->impact_of_leaders_grade, latest, leaders);
    set_grade (&row->help_and_protection_grade, latest, help);
    set_grade (&row->in_care_grade, latest, in_care);
    set_grade (&row->care_leavers_grade, latest, care_leavers);
    if (model_grade (latest, "in_care_and_care_leavers"))
        ow_pb_set_string (&row->care_leavers_grade, "inspection_pre_dates_judgement");
    ow_pb_set_string (&row->ons_code, a->code);
    ow_pb_set_string (&row->region, a->region_name);
    ow_pb_set_string (&row->inspection_kind, ow_kind_word (latest->kind));
    ow_pb_set_string (&row->source_sha256, latest->sha256);
    return row;
}

Ofwatch__V1__Summary *
view_summary (const view_t *view)
{
    Ofwatch__V1__Summary *summary = OW_PB_NEW (Ofwatch__V1__Summary,
                                               ofwatch__v1__summary__init);
    for (size_t i = 0; i < model_size (view->model); i++) {
        const state_t *state = &view->states [i];
        if (state->latest)
            ow_pb_append ((void ***) &summary->rows, &summary->n_rows,
                          row_for (view, model_at (view->model, i), state->latest));
    }
    return summary;
}
