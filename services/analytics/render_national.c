/*  render_national — England's report: a grade map by region (one tile
    per current authority, coloured by its latest overall grade), the
    spread of grades, the transition matrix between consecutive full
    inspections, and heatmaps of how often each weakness theme is found,
    by year and by grade.
*/

#include "render.h"
#include "ow_vocab.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAP_COLUMNS     3
#define PANEL_WIDTH     390
#define TILE_WIDTH      46
#define TILE_HEIGHT     34
#define TILE_STEP_X     50
#define TILE_STEP_Y     38
#define TILES_PER_ROW   7
#define LABEL_SIZE      8
#define MAX_TILES       256
#define MAX_COLUMNS     64
#define MAX_THEMES      64

static const Ofwatch__V1__Grade s_grades [] = {
    OFWATCH__V1__GRADE__GRADE_OUTSTANDING, OFWATCH__V1__GRADE__GRADE_GOOD,
    OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT, OFWATCH__V1__GRADE__GRADE_ADEQUATE,
    OFWATCH__V1__GRADE__GRADE_INADEQUATE
};
#define GRADE_COUNT (sizeof s_grades / sizeof s_grades [0])

//  --------------------------------------------------------------------------
//  Tile labels: a few letters per authority, different for every tile in
//  England ("Nor" would be Norfolk, North Somerset and North Tyneside).

typedef struct {
    char text [MAX_TILES][LABEL_SIZE];
    const Ofwatch__V1__Standing *standing [MAX_TILES];
    size_t count;
} labels_t;

//  Words of a name that tell authorities apart ("Bristol, City of" ->
//  "Bristol"; "Kingston upon Hull" -> "Kingston", "Hull").
static size_t
name_words (const char *name, char words [][32], size_t most)
{
    static const char *skip [] = { "and", "of", "the", "upon", "on", "with", "city", "borough",
                                   "county", "council", NULL };
    size_t n = 0;
    for (const char *c = name; *c && n < most;) {
        while (*c && !((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')))
            c++;
        size_t length = 0;
        char word [32];
        while ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')) {
            if (length < sizeof word - 1)
                word [length++] = *c;
            c++;
        }
        word [length] = 0;
        bool skipped = !length;
        for (size_t s = 0; skip [s] && !skipped; s++)
            skipped = strcasecmp (word, skip [s]) == 0;
        if (!skipped)
            memcpy (words [n++], word, length + 1);
    }
    return n;
}

//  The label at a level of detail, at most five letters: "Ken", "NYo"
//  (North Yorkshire), "BNES" (Bath and North East Somerset); a label
//  that collides is asked for again one level up ("Here", "Hert";
//  "Notm", "Note" for Nottingham and Nottinghamshire; "NeTy", "NoTy" for
//  Newcastle upon Tyne and North Tyneside).
static void
label_at (const char *name, int level, char *out)
{
    char words [6][32];
    size_t n = name_words (name, words, 6);
    out [0] = 0;
    if (n == 0)
        return;
    char text [64] = "";
    const char *first = words [0], *last = words [n - 1];
    if (n == 1) {
        size_t length = strlen (first);
        //  "Her", then "Here" (Hertfordshire: "Hert"); names alike to
        //  their fourth letter are told apart by their last ("Notm").
        size_t take = level == 0 ? 3 : level == 1 ? 4 : level == 2 ? 3 : 4;
        snprintf (text, sizeof text, "%.*s", (int) take, first);
        if (level >= 2 && take < length)
            snprintf (text + strlen (text), sizeof text - strlen (text), "%c", first [length - 1]);
    }
    else {
        //  Initials of the words before the last, then the last's start.
        size_t lead = level == 0 || n > 2 ? 1 : (size_t) level + 1;
        for (size_t w = 0; w + 1 < n; w++)
            snprintf (text + strlen (text), sizeof text - strlen (text), "%.*s",
                      (int) (w == 0 ? lead : 1), words [w]);
        size_t tail = n == 2 ? 2 : level == 0 ? 0 : 1 + (size_t) level;
        snprintf (text + strlen (text), sizeof text - strlen (text), "%.*s", (int) tail, last);
    }
    snprintf (out, LABEL_SIZE, "%.5s", text);
    out [0] = (char) (out [0] & ~0x20);
}

static void
plan_labels (const Ofwatch__V1__National *n, labels_t *labels)
{
    int level [MAX_TILES] = { 0 };
    labels->count = 0;
    for (size_t r = 0; r < n->n_regions; r++)
        for (size_t i = 0; i < n->regions [r]->n_authorities && labels->count < MAX_TILES; i++)
            labels->standing [labels->count++] = n->regions [r]->authorities [i];
    for (int round = 0; round < 6; round++) {
        for (size_t i = 0; i < labels->count; i++)
            label_at (labels->standing [i]->authority->name, level [i], labels->text [i]);
        bool clash = false;
        for (size_t i = 0; i < labels->count; i++)
            for (size_t j = i + 1; j < labels->count; j++)
                if (strcmp (labels->text [i], labels->text [j]) == 0) {
                    level [i]++;
                    level [j]++;
                    clash = true;
                }
        if (!clash)
            return;
    }
    //  Names alike to the last letter (none in England today): numbered.
    for (size_t i = 0; i < labels->count; i++)
        for (size_t j = i + 1; j < labels->count; j++)
            if (strcmp (labels->text [i], labels->text [j]) == 0)
                snprintf (labels->text [j], LABEL_SIZE, "%.4s%zu", labels->text [i], j % 100);
}

static const char *
label_of (const labels_t *labels, const Ofwatch__V1__Standing *s)
{
    for (size_t i = 0; i < labels->count; i++)
        if (labels->standing [i] == s)
            return labels->text [i];
    return "";
}

//  --------------------------------------------------------------------------
//  The map

static int
panel_height (const Ofwatch__V1__RegionStanding *region)
{
    int rows = ((int) region->n_authorities + TILES_PER_ROW - 1) / TILES_PER_ROW;
    return 30 + (rows ? rows : 1) * TILE_STEP_Y;
}

static void
draw_tile (FILE *out, const Ofwatch__V1__Standing *s, const char *label, int x, int y)
{
    const char *grade = ow_grade_word (s->overall);
    const char *ink = render_grade_ink (s->overall);
    fprintf (out, "<g class=\"authority\" data-code=\"%s\" data-grade=\"%s\">"
             "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\"/>"
             "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"600\""
             " text-anchor=\"middle\" style=\"fill:%s\">", s->authority->code, grade ? grade : "",
             x, y, TILE_WIDTH, TILE_HEIGHT, render_grade_colour (s->overall),
             x + TILE_WIDTH / 2, y + 14, ink);
    render_escaped (out, label);
    fprintf (out, "</text><text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\""
             " style=\"fill:%s\">%s</text><title>", x + TILE_WIDTH / 2, y + 28, ink,
             render_grade_short (s->overall));
    render_escaped (out, s->authority->name);
    fputs (": ", out);
    render_words (out, grade ? grade : "no full inspection known");
    if (*s->inspected_on)
        fprintf (out, " (%s)", s->inspected_on);
    fputs ("</title></g>", out);
}

//  The map is a picture of the table after it (which screen readers get
//  instead): each tile names its authority in a few letters and its
//  grade in letters as well as colour.
static void
draw_map (FILE *out, const Ofwatch__V1__National *n, const labels_t *labels)
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
    fprintf (out, "<svg class=\"map\" width=\"%d\" height=\"%d\" aria-hidden=\"true\">",
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
                 " font-size=\"14\" font-weight=\"600\">", region->code, x, y + 18);
        render_escaped (out, region->name);
        fputs ("</text>", out);
        for (size_t i = 0; i < region->n_authorities; i++)
            draw_tile (out, region->authorities [i], label_of (labels, region->authorities [i]),
                       x + (int) (i % TILES_PER_ROW) * TILE_STEP_X,
                       y + 26 + (int) (i / TILES_PER_ROW) * TILE_STEP_Y);
        fputs ("</g>", out);
    }
    fputs ("</svg>\n", out);
}

//  The map's data: every authority, its tile's letters, its grade.
static void
write_map_table (FILE *out, const Ofwatch__V1__National *n, const labels_t *labels)
{
    fputs ("<details><summary>The map as a table</summary><table><caption>Latest overall"
           " grade of each authority, by region</caption><thead><tr><th scope=\"col\">region"
           "</th><th scope=\"col\">authority</th><th scope=\"col\">tile</th>"
           "<th scope=\"col\">latest overall grade</th><th scope=\"col\">fieldwork start</th>"
           "</tr></thead><tbody>", out);
    for (size_t r = 0; r < n->n_regions; r++)
        for (size_t i = 0; i < n->regions [r]->n_authorities; i++) {
            const Ofwatch__V1__Standing *s = n->regions [r]->authorities [i];
            fputs ("<tr><td>", out);
            render_escaped (out, n->regions [r]->name);
            fprintf (out, "</td><th scope=\"row\"><a href=\"/authority/%s\">", s->authority->code);
            render_escaped (out, s->authority->name);
            fputs ("</a></th><td>", out);
            render_escaped (out, label_of (labels, s));
            fputs ("</td><td>", out);
            render_badge (out, s->overall);
            fprintf (out, "</td><td>%s</td></tr>", *s->inspected_on ? s->inspected_on : "-");
        }
    fputs ("</tbody></table></details>\n", out);
}

static uint32_t
grade_count (const Ofwatch__V1__GradeCount *const *counts, size_t n, Ofwatch__V1__Grade grade)
{
    for (size_t i = 0; i < n; i++)
        if (counts [i]->grade == grade)
            return counts [i]->count;
    return 0;
}

//  The spread as a bar, each part with its count; the summary above says
//  the same in words, so the bar is a picture only.
static void
draw_spread (FILE *out, const Ofwatch__V1__National *n)
{
    fputs ("<svg class=\"spread\" width=\"900\" height=\"34\" aria-hidden=\"true\">", out);
    double x = 0;
    uint32_t total = 0;
    for (size_t i = 0; i < n->n_grades; i++)
        total += n->grades [i]->count;
    for (size_t i = 0; total && i < n->n_grades; i++) {
        double width = 900.0 * n->grades [i]->count / total;
        fprintf (out, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"30\" fill=\"%s\"/>",
                 x, width, render_grade_colour (n->grades [i]->grade));
        if (width > 44)
            fprintf (out, "<text x=\"%.1f\" y=\"20\" font-size=\"12\" style=\"fill:%s\">%s %u"
                     "</text>", x + 6, render_grade_ink (n->grades [i]->grade),
                     render_grade_short (n->grades [i]->grade), n->grades [i]->count);
        x += width;
    }
    fputs ("</svg>\n", out);
}

//  A cell's background: the colour at `share` (0..1) of the way from white
//  to `full`, never darker than the page's ink reads on at 4.5:1.
static void
shade (FILE *out, double share, int red, int green, int blue)
{
    double k = 0.55 * share;
    fprintf (out, "background:rgb(%d,%d,%d)", (int) (255 - k * (255 - red)),
             (int) (255 - k * (255 - green)), (int) (255 - k * (255 - blue)));
}

static void
draw_transitions (FILE *out, const Ofwatch__V1__National *n)
{
    uint32_t most = 1;
    for (size_t i = 0; i < n->n_transitions; i++)
        if (n->transitions [i]->count > most)
            most = n->transitions [i]->count;
    fputs ("<table class=\"transitions\"><caption>Authorities by overall grade at one full"
           " inspection (rows) and at the next (columns)</caption><thead><tr>"
           "<td></td>", out);
    for (size_t g = 0; g < GRADE_COUNT; g++) {
        fputs ("<th scope=\"col\">next: ", out);
        render_words (out, ow_grade_word (s_grades [g]));
        fputs ("</th>", out);
    }
    fputs ("</tr></thead><tbody>", out);
    //  The cells come from-major in the order of s_grades.
    for (size_t i = 0; i < n->n_transitions && i < GRADE_COUNT * GRADE_COUNT; i++) {
        const Ofwatch__V1__Transition *cell = n->transitions [i];
        if (i % GRADE_COUNT == 0) {
            fputs ("<tr><th scope=\"row\">", out);
            render_words (out, ow_grade_word (s_grades [i / GRADE_COUNT]));
            fputs ("</th>", out);
        }
        fprintf (out, "<td class=\"transition\" data-from=\"%s\" data-to=\"%s\""
                 " data-count=\"%u\" style=\"", ow_grade_word (cell->from),
                 ow_grade_word (cell->to), cell->count);
        shade (out, (double) cell->count / most, 9, 105, 218);
        fprintf (out, "\">%u</td>", cell->count);
        if (i % GRADE_COUNT == GRADE_COUNT - 1)
            fputs ("</tr>", out);
    }
    fputs ("</tbody></table>\n", out);
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

//  A cell: the per cent and the counts it comes from, shaded by the share.
static void
draw_heat_cell (FILE *out, const Ofwatch__V1__ThemePrevalence *p, bool by_year)
{
    double share = p->of ? (double) p->inspections / p->of : 0;
    fprintf (out, "<td class=\"heat\" data-theme=\"%s\" data-%s=\"", ow_theme_word (p->theme),
             by_year ? "year" : "grade");
    if (by_year)
        fprintf (out, "%u", p->year);
    else
        fputs (ow_grade_word (p->grade), out);
    fprintf (out, "\" data-count=\"%u\" data-of=\"%u\" style=\"", p->inspections, p->of);
    shade (out, share, 188, 76, 0);
    fprintf (out, "\">%.0f%%<br><small>%u/%u</small></td>", 100 * share, p->inspections, p->of);
}

static void
draw_heatmap (FILE *out, Ofwatch__V1__ThemePrevalence *const *cells, size_t n, bool by_year)
{
    heat_plan_t plan;
    plan_heat (cells, n, by_year, &plan);
    fprintf (out, "<table class=\"heatmap\"><caption>Per cent of %s that found a weakness of"
             " each theme (how many of how many)</caption><thead><tr><th scope=\"col\">theme"
             "</th>", by_year ? "inspections and visits with findings, by fieldwork year"
                              : "full inspections, by overall grade");
    for (size_t k = 0; k < plan.n_keys; k++) {
        fputs ("<th scope=\"col\">", out);
        if (by_year)
            fprintf (out, "%u", plan.keys [k]);
        else
            render_words (out, ow_grade_word ((int) plan.keys [k]));
        fputs ("</th>", out);
    }
    fputs ("</tr></thead><tbody>", out);
    for (size_t t = 0; t < plan.n_themes; t++) {
        fputs ("<tr><th scope=\"row\">", out);
        render_words (out, ow_theme_word (plan.themes [t]));
        fputs ("</th>", out);
        for (size_t k = 0; k < plan.n_keys; k++) {
            const Ofwatch__V1__ThemePrevalence *found = NULL;
            for (size_t i = 0; i < n && !found; i++)
                if ((int) cells [i]->theme == plan.themes [t]
                &&  key_of (cells [i], by_year) == plan.keys [k])
                    found = cells [i];
            if (found)
                draw_heat_cell (out, found, by_year);
            else
                fputs ("<td>-</td>", out);
        }
        fputs ("</tr>", out);
    }
    fputs ("</tbody></table>\n", out);
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
    fputs ("<h2>Latest overall grade, by region</h2><p class=\"sub\">Each tile is an"
           " authority: a few letters of its name, and its grade in letters as well as colour"
           " (the table below the map lists them).</p>", out);
    render_grade_legend (out);
    labels_t *labels = ow_calloc (1, sizeof (labels_t));
    plan_labels (national, labels);
    draw_map (out, national, labels);
    write_map_table (out, national, labels);
    free (labels);
    draw_spread (out, national);
    fputs ("<h2>From one full inspection to the next</h2><p class=\"sub\">Overall grades of"
           " consecutive full inspections of one authority (rows: the earlier).</p>", out);
    draw_transitions (out, national);
    fputs ("<h2>Weaknesses by theme and year</h2><p class=\"sub\">Per cent of inspections and"
           " visits with findings that found a weakness of the theme, with how many of how"
           " many.</p>", out);
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
             "England as JSON</a></p>\n", national->as_of);
    for (size_t r = 0; r < national->n_regions; r++) {
        const Ofwatch__V1__RegionStanding *region = national->regions [r];
        fputs ("<h2>", out);
        render_escaped (out, region->name);
        fputs ("</h2><table><thead><tr><th scope=\"col\">authority</th><th scope=\"col\">"
               "latest overall grade</th><th scope=\"col\">fieldwork start</th></tr></thead>"
               "<tbody>", out);
        for (size_t i = 0; i < region->n_authorities; i++) {
            const Ofwatch__V1__Standing *s = region->authorities [i];
            fprintf (out, "<tr><th scope=\"row\"><a href=\"/authority/%s\">", s->authority->code);
            render_escaped (out, s->authority->name);
            fputs ("</a></th><td>", out);
            render_badge (out, s->overall);
            fprintf (out, "</td><td>%s</td></tr>", *s->inspected_on ? s->inspected_on : "-");
        }
        fputs ("</tbody></table>\n", out);
    }
    return render_end (&page);
}
