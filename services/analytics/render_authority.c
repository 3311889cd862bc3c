/*  render_authority — one authority's report: where it stands, and a
    timeline of its grades per judgement area with its visits, the
    weaknesses each inspection found and its deadlines, then the tables
    behind the picture.

    The timeline has one lane per judgement area any full inspection
    graded (in the order reports print them), then a lane of visits, a
    lane of weakness counts and a lane of deadlines; time runs left to
    right over whole years, with the clock drawn as a line and spells in
    inadequate shaded behind the overall lane. Each inspection is one
    <g class="inspection"> holding every shape drawn for it.
*/

#include "render.h"
#include "state.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <stdlib.h>
#include <string.h>

#define WIDTH       1100
#define LEFT        210
#define RIGHT       20
#define TOP         28
#define LANE        28
#define MAX_AREAS   16

typedef struct {
    FILE *out;
    const Ofwatch__V1__AuthorityHistory *history;
    int from, to;                   // the days drawn, whole years
    const char *areas [MAX_AREAS];
    size_t n_areas;
    int visits_lane, findings_lane, deadlines_lane, lanes;
    size_t most_weaknesses;
} timeline_t;

static int
day_of (const Ofwatch__V1__InspectionFacts *facts)
{
    int day = ow_date_from_iso (facts->start_date);
    if (day == OW_DATE_NONE)
        day = ow_date_from_iso (facts->end_date);
    return day != OW_DATE_NONE ? day : ow_date_from_iso (facts->published_on);
}

static double
x_of (const timeline_t *t, int day)
{
    return LEFT + (double) (day - t->from) * (WIDTH - LEFT - RIGHT) / (double) (t->to - t->from);
}

static int
y_of (int lane)
{
    return TOP + lane * LANE;
}

static size_t
weaknesses (const Ofwatch__V1__InspectionFacts *facts)
{
    size_t count = 0;
    for (size_t i = 0; i < facts->n_findings; i++)
        count += state_is_weakness (facts->findings [i]->polarity);
    return count;
}

static Ofwatch__V1__Grade
grade_of (const Ofwatch__V1__InspectionFacts *facts, const char *area)
{
    for (size_t i = 0; i < facts->n_judgements; i++)
        if (strcmp (facts->judgements [i]->key, area) == 0)
            return facts->judgements [i]->value;
    return 0;
}

static void
add_area (timeline_t *t, const char *area)
{
    for (size_t i = 0; i < t->n_areas; i++)
        if (strcmp (t->areas [i], area) == 0)
            return;
    if (t->n_areas == MAX_AREAS)
        return;
    size_t at = t->n_areas++;
    while (at > 0 && state_area_order (t->areas [at - 1]) > state_area_order (area)) {
        t->areas [at] = t->areas [at - 1];
        at--;
    }
    t->areas [at] = area;
}

static void
widen (int *from, int *to, int day)
{
    if (day == OW_DATE_NONE)
        return;
    if (*from == OW_DATE_NONE || day < *from)
        *from = day;
    if (*to == OW_DATE_NONE || day > *to)
        *to = day;
}

//  Lanes and the span of years to draw.
static void
plan (timeline_t *t)
{
    const Ofwatch__V1__AuthorityHistory *h = t->history;
    int from = OW_DATE_NONE, to = OW_DATE_NONE;
    for (size_t i = 0; i < h->n_inspections; i++) {
        const Ofwatch__V1__InspectionFacts *facts = h->inspections [i];
        widen (&from, &to, day_of (facts));
        if (weaknesses (facts) > t->most_weaknesses)
            t->most_weaknesses = weaknesses (facts);
        if (!ow_kind_is_full_inspection (facts->kind))
            continue;
        for (size_t j = 0; j < facts->n_judgements; j++)
            if (ow_grade_rank (facts->judgements [j]->value))
                add_area (t, facts->judgements [j]->key);
    }
    for (size_t i = 0; i < h->n_deadlines; i++)
        widen (&from, &to, ow_date_from_iso (h->deadlines [i]->due));
    widen (&from, &to, h->state ? ow_date_from_iso (h->state->as_of) : OW_DATE_NONE);
    if (from == OW_DATE_NONE)
        from = to = ow_date_from_ymd (2018, 1, 1);      // nothing known: an empty year
    int first_year, last_year, month, day;
    ow_date_to_ymd (from, &first_year, &month, &day);
    ow_date_to_ymd (to, &last_year, &month, &day);
    t->from = ow_date_from_ymd (first_year, 1, 1);
    t->to = ow_date_from_ymd (last_year + 1, 1, 1);
    t->visits_lane = (int) t->n_areas;
    t->findings_lane = t->visits_lane + 1;
    t->deadlines_lane = t->visits_lane + 2;
    t->lanes = t->visits_lane + 3;
}

static void
draw_frame (const timeline_t *t)
{
    FILE *out = t->out;
    int bottom = y_of (t->lanes);
    for (int lane = 0; lane < t->lanes; lane++) {
        fprintf (out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
                 LEFT, y_of (lane), WIDTH - LEFT - RIGHT, LANE, lane % 2 ? "#ffffff" : "#f6f8fa");
        fprintf (out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">",
                 LEFT - 8, y_of (lane) + 18);
        if (lane < t->visits_lane)
            render_words (out, t->areas [lane]);
        else
            fputs (lane == t->visits_lane ? "visits" : lane == t->findings_lane
                   ? "weaknesses found" : "deadlines", out);
        fputs ("</text>", out);
    }
    int year, month, day;
    ow_date_to_ymd (t->from, &year, &month, &day);
    for (int d = t->from; d <= t->to; d = ow_date_from_ymd (++year, 1, 1)) {
        double x = x_of (t, d);
        fprintf (out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d0d7de\"/>",
                 x, TOP - 4, x, bottom);
        if (d < t->to)
            fprintf (out, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" style=\"fill:#57606a\">%d</text>",
                     x + 3, TOP - 8, year);
    }
}

static void
draw_spells (const timeline_t *t)
{
    const Ofwatch__V1__AuthorityState *state = t->history->state;
    int lane = -1;
    for (size_t i = 0; i < t->n_areas; i++)
        if (strcmp (t->areas [i], "overall") == 0)
            lane = (int) i;
    for (size_t i = 0; state && lane >= 0 && i < state->n_spells; i++) {
        const Ofwatch__V1__InadequateSpell *spell = state->spells [i];
        int from = ow_date_from_iso (spell->from);
        int to = spell->ongoing ? ow_date_from_iso (state->as_of) : ow_date_from_iso (spell->to);
        if (from == OW_DATE_NONE || to == OW_DATE_NONE)
            continue;
        fprintf (t->out, "<rect class=\"spell\" data-from=\"%s\" x=\"%.1f\" y=\"%d\""
                 " width=\"%.1f\" height=\"%d\" fill=\"#ffebe9\"><title>inadequate for %u"
                 " months</title></rect>", spell->from, x_of (t, from), y_of (lane),
                 x_of (t, to) - x_of (t, from), LANE, spell->months);
    }
}

//  A visit's mark: circles for monitoring visits, diamonds for focused
//  visits, squares for anything else.
static void
draw_visit_mark (const timeline_t *t, const Ofwatch__V1__InspectionFacts *facts, double x)
{
    FILE *out = t->out;
    int y = y_of (t->visits_lane) + LANE / 2;
    if (facts->kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT)
        fprintf (out, "<circle class=\"visit\" cx=\"%.1f\" cy=\"%d\" r=\"7\" fill=\"#8250df\"/>",
                 x, y);
    else if (facts->kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_FOCUSED_VISIT)
        fprintf (out, "<polygon class=\"visit\" points=\"%.1f,%d %.1f,%d %.1f,%d %.1f,%d\""
                 " fill=\"#0969da\"/>", x, y - 8, x + 8, y, x, y + 8, x - 8, y);
    else
        fprintf (out, "<rect class=\"visit\" x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\""
                 " fill=\"#57606a\"/>", x - 6, y - 6);
    if (facts->visit_number > 0)
        fprintf (out, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" style=\"fill:#ffffff\""
                 " text-anchor=\"middle\">%d</text>", x, y + 4, facts->visit_number);
}

static void
draw_inspection (const timeline_t *t, const Ofwatch__V1__InspectionFacts *facts, size_t index)
{
    FILE *out = t->out;
    int day = day_of (facts);
    if (day == OW_DATE_NONE)
        return;
    int end = ow_date_from_iso (facts->end_date);
    double x = x_of (t, day);
    double width = end != OW_DATE_NONE && end > day ? x_of (t, end) - x : 0;
    if (width < 6)
        width = 6;
    const char *kind = ow_kind_word (facts->kind);
    fprintf (out, "<g class=\"inspection\" id=\"inspection-%zu\" data-kind=\"%s\""
             " data-start=\"%s\" data-published=\"%s\"><title>", index + 1, kind ? kind : "",
             facts->start_date, facts->published_on);
    render_words (out, kind);
    fprintf (out, " %s</title>", *facts->start_date ? facts->start_date : facts->published_on);
    bool drawn = false;
    for (size_t a = 0; a < t->n_areas && ow_kind_is_full_inspection (facts->kind); a++) {
        Ofwatch__V1__Grade grade = grade_of (facts, t->areas [a]);
        if (!ow_grade_rank (grade))
            continue;
        drawn = true;
        fprintf (out, "<rect class=\"grade\" data-area=\"%s\" data-grade=\"%s\" x=\"%.1f\""
                 " y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"2\" fill=\"%s\"><title>",
                 t->areas [a], ow_grade_word (grade), x, y_of ((int) a) + 4, width, LANE - 8,
                 render_grade_colour (grade));
        render_words (out, t->areas [a]);
        fputs (": ", out);
        render_words (out, ow_grade_word (grade));
        fputs ("</title></rect>", out);
        //  The grade in letters beside its colour.
        fprintf (out, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>", x + width + 3,
                 y_of ((int) a) + 18, render_grade_short (grade));
    }
    if (!drawn)
        draw_visit_mark (t, facts, x);
    size_t found = weaknesses (facts);
    if (found && t->most_weaknesses) {
        double height = (double) (LANE - 6) * (double) found / (double) t->most_weaknesses;
        fprintf (out, "<rect class=\"findings\" data-count=\"%zu\" x=\"%.1f\" y=\"%.1f\""
                 " width=\"6\" height=\"%.1f\" fill=\"#bc4c00\"><title>%zu weaknesses"
                 "</title></rect>", found, x, y_of (t->findings_lane) + LANE - 3 - height,
                 height, found);
    }
    fputs ("</g>", out);
}

static void
draw_deadlines (const timeline_t *t)
{
    const Ofwatch__V1__AuthorityHistory *h = t->history;
    for (size_t i = 0; i < h->n_deadlines; i++) {
        int due = ow_date_from_iso (h->deadlines [i]->due);
        if (due == OW_DATE_NONE)
            continue;
        double x = x_of (t, due);
        int y = y_of (t->deadlines_lane);
        fprintf (t->out, "<g class=\"deadline\" data-due=\"%s\"><line x1=\"%.1f\" y1=\"%d\""
                 " x2=\"%.1f\" y2=\"%d\" stroke=\"#9a6700\" stroke-dasharray=\"3,3\"/>"
                 "<polygon points=\"%.1f,%d %.1f,%d %.1f,%d\" fill=\"#9a6700\"/><title>",
                 h->deadlines [i]->due, x, TOP, x, y + LANE, x - 6, y + LANE - 4, x + 6,
                 y + LANE - 4, x, y + 6);
        render_words (t->out, h->deadlines [i]->kind);
        fprintf (t->out, " due %s</title></g>", h->deadlines [i]->due);
    }
    const char *as_of = h->state ? h->state->as_of : "";
    int today = ow_date_from_iso (as_of);
    if (today != OW_DATE_NONE) {
        double x = x_of (t, today);
        fprintf (t->out, "<line class=\"clock\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
                 " stroke=\"#cf222e\" stroke-width=\"1.5\"/><text x=\"%.1f\" y=\"%d\""
                 " font-size=\"12\" style=\"fill:#a40e26\" text-anchor=\"end\">%s</text>",
                 x, TOP - 4, x, y_of (t->lanes), x - 3, y_of (t->lanes) + 12, as_of);
    }
}

static void
draw_timeline (FILE *out, const Ofwatch__V1__AuthorityHistory *history)
{
    timeline_t t = { .out = out, .history = history };
    plan (&t);
    //  The table of inspections and the deadlines below say the same in
    //  words; the picture points to them.
    fprintf (out, "<svg class=\"timeline\" width=\"%d\" height=\"%d\" role=\"img\""
             " aria-label=\"grades, visits, findings and deadlines over time\""
             " aria-describedby=\"inspections-table\">", WIDTH, y_of (t.lanes) + 18);
    draw_frame (&t);
    draw_spells (&t);
    for (size_t i = 0; i < history->n_inspections; i++)
        draw_inspection (&t, history->inspections [i], i);
    draw_deadlines (&t);
    fputs ("</svg>\n", out);
}

//  --------------------------------------------------------------------------
//  Tables

//  What each mark of the timeline means.
static void
write_timeline_legend (FILE *out)
{
    fputs ("<ul class=\"legend\" aria-label=\"timeline marks\">"
           "<li><svg width=\"22\" height=\"14\" aria-hidden=\"true\"><rect x=\"1\" y=\"2\""
           " width=\"20\" height=\"10\" rx=\"2\" fill=\"#7cc47f\"/></svg>a full inspection's"
           " grade of the area (colours below)</li>"
           "<li><svg width=\"16\" height=\"16\" aria-hidden=\"true\"><circle cx=\"8\" cy=\"8\""
           " r=\"7\" fill=\"#8250df\"/></svg>monitoring visit (with its number)</li>"
           "<li><svg width=\"18\" height=\"18\" aria-hidden=\"true\"><polygon points=\"9,1 17,9"
           " 9,17 1,9\" fill=\"#0969da\"/></svg>focused visit</li>"
           "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><rect x=\"1\" y=\"1\""
           " width=\"12\" height=\"12\" fill=\"#57606a\"/></svg>other visit or inspection</li>"
           "<li><svg width=\"10\" height=\"16\" aria-hidden=\"true\"><rect x=\"2\" y=\"2\""
           " width=\"6\" height=\"14\" fill=\"#bc4c00\"/></svg>weaknesses found (height: how"
           " many)</li>"
           "<li><svg width=\"14\" height=\"16\" aria-hidden=\"true\"><polygon points=\"1,12"
           " 13,12 7,2\" fill=\"#9a6700\"/></svg>deadline</li>"
           "<li><svg width=\"20\" height=\"14\" aria-hidden=\"true\"><rect x=\"1\" y=\"1\""
           " width=\"18\" height=\"12\" fill=\"#ffebe9\" stroke=\"#57606a\"/></svg>time in"
           " inadequate</li>"
           "<li><svg width=\"8\" height=\"16\" aria-hidden=\"true\"><line x1=\"4\" y1=\"0\""
           " x2=\"4\" y2=\"16\" stroke=\"#cf222e\" stroke-width=\"2\"/></svg>today</li>"
           "</ul>\n", out);
}

static void
write_state (FILE *out, const Ofwatch__V1__AuthorityState *s)
{
    fputs ("<h2>Where it stands</h2><dl>", out);
    fputs ("<dt>overall</dt><dd>", out);
    render_badge (out, s->overall);
    fprintf (out, " since %s (", *s->overall_since ? s->overall_since : "-");
    render_words (out, ow_kind_word (s->latest_kind));
    fprintf (out, " of %s)</dd>", *s->latest_start ? s->latest_start : "-");
    for (size_t i = 0; i < s->n_areas; i++) {
        if (strcmp (s->areas [i]->area, "overall") == 0)
            continue;
        fputs ("<dt>", out);
        render_words (out, s->areas [i]->area);
        fputs ("</dt><dd>", out);
        render_badge (out, s->areas [i]->grade);
        fprintf (out, " since %s</dd>", s->areas [i]->since);
    }
    if (s->inadequate)
        fprintf (out, "<dt>inadequate</dt><dd>since %s: %u months, %u monitoring visits"
                 " since, the last ending %s</dd>", s->inadequate_since, s->months_inadequate,
                 s->monitoring_visits, *s->last_visit ? s->last_visit : "-");
    if (s->next) {
        fputs ("<dt>expected next</dt><dd>", out);
        render_words (out, ow_kind_word (s->next->kind));
        fprintf (out, " between %s and %s%s<br><small>", s->next->earliest, s->next->latest,
                 s->next->overdue ? " <span class=\"overdue\">overdue</span>" : "");
        render_escaped (out, s->next->rule);
        fputs ("</small></dd>", out);
    }
    for (size_t i = 0; i < s->n_open_deadlines; i++) {
        fputs ("<dt>open deadline</dt><dd>", out);
        render_words (out, s->open_deadlines [i]->kind);
        fprintf (out, " due %s</dd>", s->open_deadlines [i]->due);
    }
    fprintf (out, "<dt>as of</dt><dd>%s</dd></dl>\n", s->as_of);
}

static void
write_inspections (FILE *out, const Ofwatch__V1__AuthorityHistory *h)
{
    fputs ("<h2>Inspections and visits</h2><table id=\"inspections-table\"><caption>Every"
           " inspection and visit on the timeline, oldest first</caption><thead><tr>"
           "<th scope=\"col\">#</th><th scope=\"col\">kind</th><th scope=\"col\">fieldwork"
           "</th><th scope=\"col\">published</th><th scope=\"col\">visit</th>"
           "<th scope=\"col\">grades</th><th scope=\"col\">lead inspector</th>"
           "<th scope=\"col\">weaknesses</th></tr></thead><tbody>", out);
    for (size_t i = 0; i < h->n_inspections; i++) {
        const Ofwatch__V1__InspectionFacts *e = h->inspections [i];
        fprintf (out, "<tr><td>%zu</td><td>", i + 1);
        render_words (out, ow_kind_word (e->kind));
        fprintf (out, "</td><td>%s to %s</td><td>%s</td><td>", *e->start_date ? e->start_date : "-",
                 *e->end_date ? e->end_date : "-", *e->published_on ? e->published_on : "-");
        if (e->visit_number > 0)
            fprintf (out, "%d", e->visit_number);
        fputs ("</td><td>", out);
        for (size_t j = 0; j < e->n_judgements; j++) {
            if (!ow_grade_rank (e->judgements [j]->value))
                continue;
            render_words (out, e->judgements [j]->key);
            fputs (" ", out);
            render_badge (out, e->judgements [j]->value);
            fputs ("<br>", out);
        }
        fputs ("</td><td>", out);
        render_escaped (out, e->lead_inspector);
        fprintf (out, "</td><td>%zu</td></tr>", weaknesses (e));
    }
    fputs ("</tbody></table>\n", out);
}

static void
write_recurring (FILE *out, const Ofwatch__V1__AuthorityState *s)
{
    fputs ("<h2>Weaknesses that recur</h2>", out);
    if (!s->n_recurring)
        fputs ("<p class=\"sub\">No weakness theme is found in two or more inspections or"
               " visits.</p>", out);
    for (size_t i = 0; i < s->n_recurring; i++) {
        const Ofwatch__V1__ThemeRecurring *r = s->recurring [i];
        fprintf (out, "<h3 class=\"recurring\" data-theme=\"%s\">", ow_theme_word (r->theme));
        render_words (out, ow_theme_word (r->theme));
        fprintf (out, " <small>(%zu findings)</small></h3>", r->n_occurrences);
        for (size_t j = 0; j < r->n_occurrences; j++) {
            const Ofwatch__V1__ThemeOccurrence *o = r->occurrences [j];
            fprintf (out, "<blockquote><b>%s</b> ", o->date);
            render_escaped (out, o->text);
            fprintf (out, " <small>(document %.12s)</small></blockquote>", o->source_sha256);
        }
    }
}

static void
write_deadlines (FILE *out, const Ofwatch__V1__AuthorityHistory *h)
{
    if (!h->n_deadlines)
        return;
    fputs ("<h2>Deadlines</h2><table><thead><tr><th scope=\"col\">deadline</th>"
           "<th scope=\"col\">due</th><th scope=\"col\">basis</th><th scope=\"col\">status"
           "</th></tr></thead><tbody>", out);
    for (size_t i = 0; i < h->n_deadlines; i++) {
        const Ofwatch__V1__Deadline *d = h->deadlines [i];
        bool passed = h->state && strcmp (d->due, h->state->as_of) < 0;
        fputs ("<tr><td>", out);
        render_words (out, d->kind);
        fprintf (out, "</td><td>%s</td><td>", d->due);
        render_escaped (out, d->basis);
        fprintf (out, "</td><td>%s</td></tr>", passed ? "passed" : "open");
    }
    fputs ("</tbody></table>\n", out);
}

char *
render_authority (const Ofwatch__V1__AuthorityHistory *history)
{
    const Ofwatch__V1__Authority *a = history->authority;
    char *title = ow_printf ("%s (%s): Ofsted inspections of children's services",
                             a->name, a->code);
    render_page_t page;
    render_begin (&page, title);
    free (title);
    FILE *out = page.out;
    fputs ("<h1>", out);
    render_escaped (out, a->name);
    fprintf (out, "</h1><p class=\"sub\">ONS %s, DfE %s, Ofsted URN %s</p>\n", a->code,
             a->la_code, *a->urn ? a->urn : "-");
    if (history->state)
        write_state (out, history->state);
    fputs ("<h2>Timeline</h2>", out);
    write_timeline_legend (out);
    render_grade_legend (out);
    draw_timeline (out, history);
    write_inspections (out, history);
    if (history->state)
        write_recurring (out, history->state);
    write_deadlines (out, history);
    return render_end (&page);
}
