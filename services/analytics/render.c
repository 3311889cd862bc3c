/*  render — what every page shares: the frame, escaping, colours.

    Pages are meant to pass WCAG 2.2 AA: a <main> landmark, text that
    keeps a contrast of at least 4.5:1 (grade colours come with the ink
    that reads on them), grades always written as words beside their
    colour, and every chart followed by a table or text that says the
    same.
*/

#include "render.h"
#include "ow_vocab.h"

#include <stdlib.h>

static const char s_style [] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;"
    "color:#1f2328;max-width:1200px}"
    "h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px;"
    "border-bottom:1px solid #d0d7de;padding-bottom:4px}"
    ".sub{color:#57606a;margin:0 0 16px}"
    "table{border-collapse:collapse;font-size:.9em}"
    "td,th{border-bottom:1px solid #eaeef2;padding:4px 10px;text-align:left;"
    "vertical-align:top}th{background:#f6f8fa}"
    ".badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.85em}"
    "caption{text-align:left;color:#57606a;padding:4px 0}"
    "ul.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px 18px;"
    "font-size:.85em}ul.legend svg{vertical-align:middle;margin-right:4px}"
    ".swatch{display:inline-block;width:12px;height:12px;vertical-align:middle;"
    "margin-right:4px;border:1px solid #57606a}"
    "td.heat,td.transition{text-align:right;white-space:nowrap}"
    "table.heatmap{font-size:.8em}"
    "details{margin:8px 0}summary{cursor:pointer;color:#0550ae}"
    ".overdue{color:#cf222e;font-weight:600}"
    "svg text{font-family:inherit;fill:#1f2328}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px;margin:0}"
    "dt{color:#57606a}dd{margin:0}"
    "blockquote{margin:4px 0 8px;padding-left:10px;border-left:3px solid #d0d7de;"
    "color:#424a53;font-size:.9em}";

void
render_begin (render_page_t *page, const char *title)
{
    page->html = NULL;
    page->size = 0;
    page->out = open_memstream (&page->html, &page->size);
    if (!page->out)
        abort ();
    fputs ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width\"><title>", page->out);
    render_escaped (page->out, title);
    fprintf (page->out, "</title><style>%s</style></head>\n<body>\n<main>\n", s_style);
}

char *
render_end (render_page_t *page)
{
    fputs ("</main>\n<footer><p class=\"sub\">ofwatch: Ofsted inspections of children's"
           " services. Reports are Crown copyright, used under the Open Government Licence"
           " v3.0.</p></footer>\n</body></html>\n", page->out);
    fclose (page->out);
    page->out = NULL;
    return page->html;
}

void
render_escaped (FILE *out, const char *text)
{
    for (const char *c = text ? text : ""; *c; c++) {
        switch (*c) {
            case '&':  fputs ("&amp;", out);  break;
            case '<':  fputs ("&lt;", out);   break;
            case '>':  fputs ("&gt;", out);   break;
            case '"':  fputs ("&quot;", out); break;
            case '\'': fputs ("&#39;", out);  break;
            default:   fputc (*c, out);
        }
    }
}

void
render_words (FILE *out, const char *word)
{
    if (!word || !*word) {
        fputc ('-', out);
        return;
    }
    for (const char *c = word; *c; c++)
        if (*c == '_')
            fputc (' ', out);
        else if (*c == '&' || *c == '<' || *c == '>' || *c == '"')
            render_escaped (out, (char [2]) { *c, 0 });
        else
            fputc (*c, out);
}

const char *
render_grade_colour (Ofwatch__V1__Grade grade)
{
    switch (grade) {
        case OFWATCH__V1__GRADE__GRADE_OUTSTANDING:          return "#1a7f37";
        case OFWATCH__V1__GRADE__GRADE_GOOD:                 return "#7cc47f";
        case OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT: return "#f0a63a";
        case OFWATCH__V1__GRADE__GRADE_ADEQUATE:             return "#f5cf6b";
        case OFWATCH__V1__GRADE__GRADE_INADEQUATE:           return "#cf222e";
        default:                                             return "#c6ccd2";
    }
}

const char *
render_grade_ink (Ofwatch__V1__Grade grade)
{
    //  White reads on the dark greens and reds, the page's ink on the rest.
    return grade == OFWATCH__V1__GRADE__GRADE_OUTSTANDING
        || grade == OFWATCH__V1__GRADE__GRADE_INADEQUATE ? "#ffffff" : "#1f2328";
}

void
render_badge (FILE *out, Ofwatch__V1__Grade grade)
{
    fprintf (out, "<span class=\"badge\" style=\"background:%s;color:%s\">",
             render_grade_colour (grade), render_grade_ink (grade));
    render_words (out, grade ? ow_grade_word (grade) : "not known");
    fputs ("</span>", out);
}

void
render_grade_legend (FILE *out)
{
    static const Ofwatch__V1__Grade grades [] = {
        OFWATCH__V1__GRADE__GRADE_OUTSTANDING, OFWATCH__V1__GRADE__GRADE_GOOD,
        OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT, OFWATCH__V1__GRADE__GRADE_ADEQUATE,
        OFWATCH__V1__GRADE__GRADE_INADEQUATE, 0
    };
    fputs ("<ul class=\"legend\" aria-label=\"grade colours\">", out);
    for (int i = 0; i < 6; i++) {
        fprintf (out, "<li><span class=\"swatch\" style=\"background:%s\"></span>",
                 render_grade_colour (grades [i]));
        render_words (out, grades [i] ? ow_grade_word (grades [i]) : "not known");
        fprintf (out, " (%s)</li>", render_grade_short (grades [i]));
    }
    fputs ("</ul>\n", out);
}

const char *
render_grade_short (Ofwatch__V1__Grade grade)
{
    switch (grade) {
        case OFWATCH__V1__GRADE__GRADE_OUTSTANDING:          return "O";
        case OFWATCH__V1__GRADE__GRADE_GOOD:                 return "G";
        case OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT: return "RI";
        case OFWATCH__V1__GRADE__GRADE_ADEQUATE:             return "A";
        case OFWATCH__V1__GRADE__GRADE_INADEQUATE:           return "I";
        default:                                             return "-";
    }
}
