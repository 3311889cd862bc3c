/*  render — what every page shares: the frame, escaping, colours.  */

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
    ".badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;"
    "font-size:.85em}"
    ".overdue{color:#cf222e;font-weight:600}"
    "svg text{font-family:inherit}"
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
    fprintf (page->out, "</title><style>%s</style></head>\n<body>\n", s_style);
}

char *
render_end (render_page_t *page)
{
    fputs ("<p class=\"sub\">ofwatch: Ofsted inspections of children's services."
           " Reports are Crown copyright, used under the Open Government Licence"
           " v3.0.</p>\n</body></html>\n", page->out);
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

void
render_grade_legend (FILE *out)
{
    static const Ofwatch__V1__Grade grades [] = {
        OFWATCH__V1__GRADE__GRADE_OUTSTANDING, OFWATCH__V1__GRADE__GRADE_GOOD,
        OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT, OFWATCH__V1__GRADE__GRADE_ADEQUATE,
        OFWATCH__V1__GRADE__GRADE_INADEQUATE, 0
    };
    fputs ("<svg class=\"legend\" width=\"1020\" height=\"22\" role=\"img\""
           " aria-label=\"grade colours\">", out);
    for (int i = 0; i < 6; i++) {
        fprintf (out, "<rect x=\"%d\" y=\"5\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                      "<text x=\"%d\" y=\"15\" font-size=\"12\">", i * 170,
                 render_grade_colour (grades [i]), i * 170 + 16);
        render_words (out, grades [i] ? ow_grade_word (grades [i]) : "not known");
        fputs ("</text>", out);
    }
    fputs ("</svg>\n", out);
}
