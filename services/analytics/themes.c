/*  themes — what keeps needing to improve; see themes.h.  */

#include "themes.h"
#include "state.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_YEAR  2000
#define YEARS       64
#define GRADES      8

static bool
counts_against (const model_finding_t *finding)
{
    return state_is_weakness (finding->polarity)
        && finding->theme > 0 && finding->theme < THEMES_SLOTS;
}

//  Which themes an inspection has weaknesses of.
static void
themes_of (const model_inspection_t *inspection, bool seen [THEMES_SLOTS])
{
    memset (seen, 0, THEMES_SLOTS * sizeof (bool));
    for (size_t f = 0; f < inspection->n_findings; f++)
        if (counts_against (&inspection->findings [f]))
            seen [inspection->findings [f].theme] = true;
}

static Ofwatch__V1__ThemeRecurring *
occurrences_of (const model_history_t *history, Ofwatch__V1__Theme theme)
{
    Ofwatch__V1__ThemeRecurring *recurring = OW_PB_NEW (Ofwatch__V1__ThemeRecurring,
                                                        ofwatch__v1__theme_recurring__init);
    recurring->theme = theme;
    for (size_t i = 0; i < history->n_inspections; i++) {
        const model_inspection_t *inspection = &history->inspections [i];
        for (size_t f = 0; f < inspection->n_findings; f++) {
            const model_finding_t *finding = &inspection->findings [f];
            if (!counts_against (finding) || finding->theme != theme)
                continue;
            Ofwatch__V1__ThemeOccurrence *occurrence = OW_PB_NEW (
                Ofwatch__V1__ThemeOccurrence, ofwatch__v1__theme_occurrence__init);
            occurrence->inspection_id = inspection->id;
            state_set_date (&occurrence->date, model_inspection_day (inspection));
            ow_pb_set_string (&occurrence->source_sha256, finding->sha256);
            ow_pb_set_string (&occurrence->text, finding->text);
            ow_pb_append ((void ***) &recurring->occurrences, &recurring->n_occurrences,
                          occurrence);
        }
    }
    return recurring;
}

void
themes_recurring (const model_history_t *history, Ofwatch__V1__ThemeRecurring ***recurring,
                  size_t *count)
{
    size_t inspections [THEMES_SLOTS] = { 0 };
    bool seen [THEMES_SLOTS];
    for (size_t i = 0; i < history->n_inspections; i++) {
        themes_of (&history->inspections [i], seen);
        for (int t = 1; t < THEMES_SLOTS; t++)
            inspections [t] += seen [t];
    }
    for (int t = 1; t < THEMES_SLOTS; t++)
        if (inspections [t] >= 2 && t != OFWATCH__V1__THEME__THEME_OTHER)
            ow_pb_append ((void ***) recurring, count, occurrences_of (history, t));
}

static int
compare_ids (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

char *
themes_inspection_ids (const Ofwatch__V1__ThemeRecurring *recurring)
{
    size_t n = recurring->n_occurrences;
    int64_t *ids = ow_calloc (n ? n : 1, sizeof (int64_t));
    for (size_t i = 0; i < n; i++)
        ids [i] = recurring->occurrences [i]->inspection_id;
    qsort (ids, n, sizeof (int64_t), compare_ids);
    char *text = ow_strdup ("");
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && ids [i] == ids [i - 1])
            continue;
        char *longer = ow_printf ("%s%s%" PRId64, text, *text ? "," : "", ids [i]);
        free (text);
        text = longer;
    }
    free (ids);
    return text;
}

//  --------------------------------------------------------------------------
//  Counting over many histories

typedef struct {
    uint32_t inspections, findings, authorities, recurring;
    int first, last;
} tally_t;

static void
tally_history (const model_history_t *history, int since, tally_t tallies [THEMES_SLOTS],
               uint32_t *total)
{
    uint32_t per_authority [THEMES_SLOTS] = { 0 };
    bool seen [THEMES_SLOTS];
    for (size_t i = 0; i < history->n_inspections; i++) {
        const model_inspection_t *inspection = &history->inspections [i];
        int day = model_inspection_day (inspection);
        if (inspection->n_findings == 0 || (since != OW_DATE_NONE && day < since))
            continue;
        (*total)++;
        themes_of (inspection, seen);
        for (size_t f = 0; f < inspection->n_findings; f++)
            if (counts_against (&inspection->findings [f]))
                tallies [inspection->findings [f].theme].findings++;
        for (int t = 1; t < THEMES_SLOTS; t++) {
            if (!seen [t])
                continue;
            tally_t *tally = &tallies [t];
            tally->inspections++;
            per_authority [t]++;
            if (day != OW_DATE_NONE && (tally->first == OW_DATE_NONE || day < tally->first))
                tally->first = day;
            if (day != OW_DATE_NONE && (tally->last == OW_DATE_NONE || day > tally->last))
                tally->last = day;
        }
    }
    for (int t = 1; t < THEMES_SLOTS; t++) {
        tallies [t].authorities += per_authority [t] > 0;
        tallies [t].recurring += per_authority [t] >= 2 && t != OFWATCH__V1__THEME__THEME_OTHER;
    }
}

static int
compare_counts (const void *a, const void *b)
{
    const Ofwatch__V1__ThemeCount *x = *(Ofwatch__V1__ThemeCount *const *) a;
    const Ofwatch__V1__ThemeCount *y = *(Ofwatch__V1__ThemeCount *const *) b;
    if (x->inspections != y->inspections)
        return x->inspections > y->inspections ? -1 : 1;
    return (int) x->theme - (int) y->theme;
}

Ofwatch__V1__ThemesReply *
themes_reply (const model_t *model, const model_history_t *history, int since)
{
    tally_t tallies [THEMES_SLOTS];
    for (int t = 0; t < THEMES_SLOTS; t++)
        tallies [t] = (tally_t) { .first = OW_DATE_NONE, .last = OW_DATE_NONE };
    Ofwatch__V1__ThemesReply *reply = OW_PB_NEW (Ofwatch__V1__ThemesReply,
                                                 ofwatch__v1__themes_reply__init);
    state_set_date (&reply->since, since);
    if (history)
        tally_history (history, since, tallies, &reply->inspections);
    else
        for (size_t i = 0; i < model_size (model); i++)
            tally_history (model_at (model, i), since, tallies, &reply->inspections);
    for (int t = 1; t < THEMES_SLOTS; t++) {
        if (!tallies [t].inspections)
            continue;
        Ofwatch__V1__ThemeCount *count = OW_PB_NEW (Ofwatch__V1__ThemeCount,
                                                    ofwatch__v1__theme_count__init);
        count->theme = t;
        count->inspections = tallies [t].inspections;
        count->findings = tallies [t].findings;
        count->authorities = tallies [t].authorities;
        count->recurring_authorities = tallies [t].recurring;
        state_set_date (&count->first_seen, tallies [t].first);
        state_set_date (&count->last_seen, tallies [t].last);
        ow_pb_append ((void ***) &reply->themes, &reply->n_themes, count);
    }
    if (reply->n_themes)
        qsort (reply->themes, reply->n_themes, sizeof (void *), compare_counts);
    return reply;
}

//  --------------------------------------------------------------------------
//  Prevalence

typedef struct {
    uint32_t with [THEMES_SLOTS];
    uint32_t of;
} cell_counts_t;

static void
add_prevalence (Ofwatch__V1__ThemePrevalence ***list, size_t *count, int theme,
                uint32_t year, Ofwatch__V1__Grade grade, uint32_t with, uint32_t of)
{
    Ofwatch__V1__ThemePrevalence *p = OW_PB_NEW (Ofwatch__V1__ThemePrevalence,
                                                 ofwatch__v1__theme_prevalence__init);
    p->theme = theme;
    p->year = year;
    p->grade = grade;
    p->inspections = with;
    p->of = of;
    ow_pb_append ((void ***) list, count, p);
}

void
themes_prevalence (const model_t *model, Ofwatch__V1__National *national)
{
    cell_counts_t *years = ow_calloc (YEARS, sizeof (cell_counts_t));
    cell_counts_t *grades = ow_calloc (GRADES, sizeof (cell_counts_t));
    bool any [THEMES_SLOTS] = { false };
    bool seen [THEMES_SLOTS];
    for (size_t h = 0; h < model_size (model); h++) {
        const model_history_t *history = model_at (model, h);
        for (size_t i = 0; i < history->n_inspections; i++) {
            const model_inspection_t *inspection = &history->inspections [i];
            int day = model_inspection_day (inspection);
            if (inspection->n_findings == 0 || day == OW_DATE_NONE)
                continue;
            int year, month, mday;
            ow_date_to_ymd (day, &year, &month, &mday);
            Ofwatch__V1__Grade grade = ow_kind_is_full_inspection (inspection->kind)
                                     ? model_grade (inspection, "overall") : 0;
            cell_counts_t *by_year = (year >= FIRST_YEAR && year < FIRST_YEAR + YEARS)
                                   ? &years [year - FIRST_YEAR] : NULL;
            cell_counts_t *by_grade = (grade > 0 && grade < GRADES) ? &grades [grade] : NULL;
            themes_of (inspection, seen);
            if (by_year)
                by_year->of++;
            if (by_grade)
                by_grade->of++;
            for (int t = 1; t < THEMES_SLOTS; t++) {
                any [t] |= seen [t];
                if (by_year)
                    by_year->with [t] += seen [t];
                if (by_grade)
                    by_grade->with [t] += seen [t];
            }
        }
    }
    //  Every cell of the heatmap, zeros included, for themes ever seen.
    for (int t = 1; t < THEMES_SLOTS; t++) {
        for (int y = 0; any [t] && y < YEARS; y++)
            if (years [y].of)
                add_prevalence (&national->themes_by_year, &national->n_themes_by_year, t,
                                (uint32_t) (FIRST_YEAR + y), 0, years [y].with [t], years [y].of);
        for (int g = 1; any [t] && g < GRADES; g++)
            if (grades [g].of)
                add_prevalence (&national->themes_by_grade, &national->n_themes_by_grade, t,
                                0, g, grades [g].with [t], grades [g].of);
    }
    free (years);
    free (grades);
}
