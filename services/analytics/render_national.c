/*  render_national — England's report: a grade map by region (one tile
    per current authority, coloured by its latest overall grade), the
    spread of grades, the transition matrix between consecutive full
    inspections, and heatmaps of how often each weakness theme is found,
    by year and by grade.
*/

#include "render.h"
#include "ow_vocab.h"

#include <string.h>

#define MAP_COLUMNS     3
#define PANEL_WIDTH     370
#define TILE            28
#define TILE_STEP       32
#define TILES_PER_ROW   11
#define CELL_WIDTH      130
#define CELL_HEIGHT     34
#define HEAT_LABEL      210
#define HEAT_WIDTH      40
#define HEAT_HEIGHT     19
#define MAX_COLUMNS     64
#define MAX_THEMES      64

static const Ofwatch__V1__Grade s_grades [] = {
    OFWATCH__V1__GRADE__GRADE_OUTSTANDING, OFWATCH__V1__GRADE__GRADE_GOOD,
    OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT, OFWATCH__V1__GRADE__GRADE_ADEQUATE,
    OFWATCH__V1__GRADE__GRADE_INADEQUATE
};
#define GRADE_COUNT (sizeof s_grades / sizeof s_grades [0])

static int
panel_height (const Ofwatch__V1__RegionStanding *region)
{
    int rows = ((int) region->n_authorities + TILES_PER_ROW - 1) / TILES_PER_ROW;
    return 30 + (rows ? rows : 1) * TILE_STEP;
}

static void
draw_tile (FILE *out, const Ofwatch__V1__Standing *s, int x, int y)
{
    const char *grade = ow_grade_word (s->overall);
    fprintf (out, "<g class=\"authority\" data-code=\"%s\" data-grade=\"%s\">"
             "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\"/>"
             "<text x=\"%d\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\" fill=\"#1f2328\">",
             s->authority->code, grade ? grade : "", x, y, TILE, TILE,
             render_grade_colour (s->overall), x + TILE / 2, y + TILE / 2 + 3);
    //  Three letters of the name say which tile is which at a glance.
    int letters = 0;
    for (const char *c = s->authority->name; *c && letters < 3; c++)
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z'))
            fputc (letters++ ? *c : (*c & ~0x20), out);
    fputs ("</text><title>", out);
    render_escaped (out, s->authority->name);
    fputs (": ", out);
    render_words (out, grade ? grade : "no full inspection known");
    if (*s->inspected_on)
        fprintf (out, " (%s)", s->inspected_on);
    fputs ("</title></g>", out);
}

static void
draw_map (FILE *out, const Ofwatch__V1__National *n)
{
    int height = 0, row_height = 0;
    for (size_t r = 0; r < n->n_regions; r++) {
        if (r % MAP_COLUMNS == 0) {
            height += row_height;
            row_height = 0;
        }
        if (panel_height (n->regions [r]) > row_height)
            row_height = panel_height (n->regions [r]);
    }
    height += row_height;
    fprintf (out, "<svg class=\"map\" width=\"%d\" height=\"%d\" role=\"img\""
             " aria-label=\"latest overall grade of each authority, by region\">",
             MAP_COLUMNS * PANEL_WIDTH, height + 4);
    int y = 0;
    row_height = 0;
    for (size_t r = 0; r < n->n_regions; r++) {
        const Ofwatch__V1__RegionStanding *region = n->regions [r];
        if (r % MAP_COLUMNS == 0) {
            y += row_height;
            row_height = 0;
        }
        if (panel_height (region) > row_height)
            row_height = panel_height (region);
        int x = (int) (r % MAP_COLUMNS) * PANEL_WIDTH;
        fprintf (out, "<g class=\"region\" data-code=\"%s\"><text x=\"%d\" y=\"%d\""
                 " font-size=\"13\" font-weight=\"600\">", region->code, x, y + 18);
        render_escaped (out, region->name);
        fputs ("</text>", out);
        for (size_t i = 0; i < region->n_authorities; i++)
            draw_tile (out, region->authorities [i],
                       x + (int) (i % TILES_PER_ROW) * TILE_STEP,
                       y + 26 + (int) (i / TILES_PER_ROW) * TILE_STEP);
        fputs ("</g>", out);
    }
    fputs ("</svg>\n", out);
}

static uint32_t
grade_count (const Ofwatch__V1__GradeCount *const *counts, size_t n, Ofwatch__V1__Grade grade)
{
    for (size_t i = 0; i < n; i++)
        if (counts [i]->grade == grade)
            return counts [i]->count;
    return 0;
}

static void
draw_spread (FILE *out, const Ofwatch__V1__National *n)
{
    fputs ("<svg class=\"spread\" width=\"900\" height=\"34\" role=\"img\""
           " aria-label=\"spread of latest overall grades\">", out);
    double x = 0;
    uint32_t total = 0;
    for (size_t i = 0; i < n->n_grades; i++)
        total += n->grades [i]->count;
    for (size_t i = 0; total && i < n->n_grades; i++) {
        double width = 900.0 * n->grades [i]->count / total;
        const char *grade = ow_grade_word (n->grades [i]->grade);
        fprintf (out, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"30\" fill=\"%s\">"
                 "<title>", x, width, render_grade_colour (n->grades [i]->grade));
        render_words (out, grade ? grade : "no full inspection known");
        fprintf (out, ": %u</title></rect>", n->grades [i]->count);
        if (width > 24)
            fprintf (out, "<text x=\"%.1f\" y=\"20\" font-size=\"12\">%u</text>", x + 6,
                     n->grades [i]->count);
        x += width;
    }
    fputs ("</svg>\n", out);
}

static void
draw_transitions (FILE *out, const Ofwatch__V1__National *n)
{
    uint32_t most = 1;
    for (size_t i = 0; i < n->n_transitions; i++)
        if (n->transitions [i]->count > most)
            most = n->transitions [i]->count;
    int left = 170, top = 40;
    fprintf (out, "<svg class=\"transitions\" width=\"%d\" height=\"%d\" role=\"img\""
             " aria-label=\"overall grade at one full inspection and at the next\">",
             left + (int) GRADE_COUNT * CELL_WIDTH + 10, top + (int) GRADE_COUNT * CELL_HEIGHT + 8);
    fprintf (out, "<text x=\"%d\" y=\"14\" font-size=\"12\" fill=\"#57606a\">next inspection"
             " &#8594;</text>", left);
    for (size_t g = 0; g < GRADE_COUNT; g++) {
        fprintf (out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">",
                 left + (int) g * CELL_WIDTH + CELL_WIDTH / 2, top - 8);
        render_words (out, ow_grade_word (s_grades [g]));
        fprintf (out, "</text><text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">",
                 left - 8, top + (int) g * CELL_HEIGHT + CELL_HEIGHT / 2 + 4);
        render_words (out, ow_grade_word (s_grades [g]));
        fputs ("</text>", out);
    }
    //  The cells come from-major in the order of s_grades.
    for (size_t i = 0; i < n->n_transitions && i < GRADE_COUNT * GRADE_COUNT; i++) {
        const Ofwatch__V1__Transition *cell = n->transitions [i];
        int x = left + (int) (i % GRADE_COUNT) * CELL_WIDTH;
        int y = top + (int) (i / GRADE_COUNT) * CELL_HEIGHT;
        fprintf (out, "<g class=\"transition\" data-from=\"%s\" data-to=\"%s\""
                 " data-count=\"%u\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
                 " fill=\"#0969da\" fill-opacity=\"%.2f\" stroke=\"#fff\"/>"
                 "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%u</text>"
                 "</g>", ow_grade_word (cell->from), ow_grade_word (cell->to), cell->count,
                 x, y, CELL_WIDTH, CELL_HEIGHT, 0.06 + 0.8 * cell->count / most,
                 x + CELL_WIDTH / 2, y + CELL_HEIGHT / 2 + 4, cell->count);
    }
    fputs ("</svg>\n", out);
}

//  --------------------------------------------------------------------------
//  Heatmaps: one row per theme, most prevalent first; one column per year
//  (or grade); the cell's shade is the share of inspections with the theme.

typedef struct {
    uint32_t keys [MAX_COLUMNS];
    size_t n_keys;
    int themes [MAX_THEMES];
    double share [MAX_THEMES];
    size_t n_themes;
} heat_plan_t;

static uint32_t
key_of (const Ofwatch__V1__ThemePrevalence *p, bool by_year)
{
    return by_year ? p->year : (uint32_t) p->grade;
}

static void
plan_heat (Ofwatch__V1__ThemePrevalence *const *cells, size_t n, bool by_year, heat_plan_t *plan)
{
    memset (plan, 0, sizeof *plan);
    for (size_t i = 0; i < n; i++) {
        uint32_t key = key_of (cells [i], by_year);
        size_t k = 0;
        while (k < plan->n_keys && plan->keys [k] != key)
            k++;
        if (k == plan->n_keys && k < MAX_COLUMNS)
            plan->keys [plan->n_keys++] = key;
        size_t t = 0;
        while (t < plan->n_themes && plan->themes [t] != (int) cells [i]->theme)
            t++;
        if (t == plan->n_themes && t < MAX_THEMES)
            plan->themes [plan->n_themes++] = cells [i]->theme;
        if (t < MAX_THEMES && cells [i]->of)
            plan->share [t] += (double) cells [i]->inspections / cells [i]->of;
    }
    //  Years ascending; grades in the order of s_grades; themes by share.
    for (size_t i = 1; i < plan->n_keys; i++)
        for (size_t j = i; j > 0 && plan->keys [j - 1] > plan->keys [j]; j--) {
            uint32_t swap = plan->keys [j];
            plan->keys [j] = plan->keys [j - 1];
            plan->keys [j - 1] = swap;
        }
    for (size_t i = 1; i < plan->n_themes; i++)
        for (size_t j = i; j > 0 && plan->share [j - 1] < plan->share [j]; j--) {
            int theme = plan->themes [j];
            double share = plan->share [j];
            plan->themes [j] = plan->themes [j - 1];
            plan->share [j] = plan->share [j - 1];
            plan->themes [j - 1] = theme;
            plan->share [j - 1] = share;
        }
}

static void
draw_heat_cell (FILE *out, const Ofwatch__V1__ThemePrevalence *p, bool by_year, int x, int y)
{
    double share = p->of ? (double) p->inspections / p->of : 0;
    const char *theme = ow_theme_word (p->theme);
    fprintf (out, "<g class=\"heat\" data-theme=\"%s\" data-%s=\"", theme,
             by_year ? "year" : "grade");
    if (by_year)
        fprintf (out, "%u", p->year);
    else
        fputs (ow_grade_word (p->grade), out);
    fprintf (out, "\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#bc4c00\""
             " fill-opacity=\"%.2f\" stroke=\"#fff\"/><text x=\"%d\" y=\"%d\" font-size=\"10\""
             " text-anchor=\"middle\">%.0f</text><title>", x, y, HEAT_WIDTH, HEAT_HEIGHT,
             0.04 + 0.9 * share, x + HEAT_WIDTH / 2, y + 14, 100 * share);
    render_words (out, theme);
    fprintf (out, ": %u of %u inspections</title></g>", p->inspections, p->of);
}

static void
draw_heatmap (FILE *out, Ofwatch__V1__ThemePrevalence *const *cells, size_t n, bool by_year)
{
    heat_plan_t plan;
    plan_heat (cells, n, by_year, &plan);
    int top = by_year ? 24 : 40;
    fprintf (out, "<svg class=\"heatmap\" width=\"%d\" height=\"%d\" role=\"img\""
             " aria-label=\"per cent of inspections finding a weakness of each theme\">",
             HEAT_LABEL + (int) plan.n_keys * HEAT_WIDTH + 10,
             top + (int) plan.n_themes * HEAT_HEIGHT + 6);
    for (size_t k = 0; k < plan.n_keys; k++) {
        int x = HEAT_LABEL + (int) k * HEAT_WIDTH + HEAT_WIDTH / 2;
        if (by_year)
            fprintf (out, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">"
                     "%u</text>", x, top - 8, plan.keys [k]);
        else {
            fprintf (out, "<text x=\"%d\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\""
                     " transform=\"rotate(-20 %d %d)\">", x, top - 8, x, top - 8);
            render_words (out, ow_grade_word ((int) plan.keys [k]));
            fputs ("</text>", out);
        }
    }
    for (size_t t = 0; t < plan.n_themes; t++) {
        int y = top + (int) t * HEAT_HEIGHT;
        fprintf (out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">",
                 HEAT_LABEL - 6, y + 14);
        render_words (out, ow_theme_word (plan.themes [t]));
        fputs ("</text>", out);
        for (size_t i = 0; i < n; i++) {
            if ((int) cells [i]->theme != plan.themes [t])
                continue;
            size_t k = 0;
            while (k < plan.n_keys && plan.keys [k] != key_of (cells [i], by_year))
                k++;
            if (k < plan.n_keys)
                draw_heat_cell (out, cells [i], by_year, HEAT_LABEL + (int) k * HEAT_WIDTH, y);
        }
    }
    fputs ("</svg>\n", out);
}

static void
write_summary (FILE *out, const Ofwatch__V1__National *n)
{
    fprintf (out, "<dl><dt>authorities</dt><dd>%u</dd>", n->authorities);
    for (size_t g = 0; g < GRADE_COUNT; g++) {
        fputs ("<dt>", out);
        render_words (out, ow_grade_word (s_grades [g]));
        fprintf (out, "</dt><dd>%u</dd>", grade_count ((const Ofwatch__V1__GradeCount *const *)
                                                       n->grades, n->n_grades, s_grades [g]));
    }
    fprintf (out, "<dt>no full inspection known</dt><dd>%u</dd>",
             grade_count ((const Ofwatch__V1__GradeCount *const *) n->grades, n->n_grades, 0));
    fprintf (out, "<dt>inadequate now</dt><dd>%u</dd><dt>months to leave inadequate</dt>"
             "<dd>median %u, over %u spells that ended</dd></dl>\n", n->inadequate_now,
             n->median_months_to_improve, n->improved_spells);
}

char *
render_national (const Ofwatch__V1__National *national)
{
    render_page_t page;
    render_begin (&page, "England: Ofsted inspections of children's services");
    FILE *out = page.out;
    fprintf (out, "<h1>England</h1><p class=\"sub\">Ofsted inspections of children's services,"
             " as of %s</p>\n", national->as_of);
    write_summary (out, national);
    fputs ("<h2>Latest overall grade, by region</h2>", out);
    render_grade_legend (out);
    draw_map (out, national);
    draw_spread (out, national);
    fputs ("<h2>From one full inspection to the next</h2><p class=\"sub\">Overall grades of"
           " consecutive full inspections of one authority (rows: the earlier).</p>", out);
    draw_transitions (out, national);
    fputs ("<h2>Weaknesses by theme and year</h2><p class=\"sub\">Per cent of inspections and"
           " visits with findings that found a weakness of the theme.</p>", out);
    draw_heatmap (out, national->themes_by_year, national->n_themes_by_year, true);
    fputs ("<h2>Weaknesses by theme and overall grade</h2><p class=\"sub\">Per cent of full"
           " inspections with each overall grade that found a weakness of the theme.</p>", out);
    draw_heatmap (out, national->themes_by_grade, national->n_themes_by_grade, false);
    return render_end (&page);
}

char *
render_index (const Ofwatch__V1__National *national)
{
    render_page_t page;
    render_begin (&page, "ofwatch");
    FILE *out = page.out;
    fprintf (out, "<h1>ofwatch</h1><p class=\"sub\">Ofsted inspections of children's services,"
             " as of %s. <a href=\"/national\">England</a> &middot; <a href=\"/api/national\">"
             "JSON</a></p>\n", national->as_of);
    for (size_t r = 0; r < national->n_regions; r++) {
        const Ofwatch__V1__RegionStanding *region = national->regions [r];
        fputs ("<h2>", out);
        render_escaped (out, region->name);
        fputs ("</h2><table>", out);
        for (size_t i = 0; i < region->n_authorities; i++) {
            const Ofwatch__V1__Standing *s = region->authorities [i];
            fprintf (out, "<tr><td><a href=\"/authority/%s\">", s->authority->code);
            render_escaped (out, s->authority->name);
            fprintf (out, "</a></td><td><span class=\"badge\" style=\"background:%s\">",
                     render_grade_colour (s->overall));
            render_words (out, ow_grade_word (s->overall));
            fprintf (out, "</span></td><td>%s</td></tr>", s->inspected_on);
        }
        fputs ("</table>\n", out);
    }
    return render_end (&page);
}
