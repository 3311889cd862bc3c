/*  render — reports as self-contained HTML pages with inline SVG.

    A page is written to a memory stream (open_memstream) and handed back
    as one string: no scripts, no external files, so it opens the same
    from disk, from analytics' HTTP server or in an e-mail. Pages draw the
    messages the queries answer (AuthorityHistory, National), never the
    model, so a page and its /api/ JSON show the same data.

    Every drawn thing carries a class and data-* attributes naming what
    it is (an inspection's kind and fieldwork start, an authority's code,
    a deadline's due date), so a browser test can find them.
*/
#ifndef RENDER_H
#define RENDER_H

#include "ow_pb.h"
#include <stdio.h>

typedef struct {
    FILE *out;
    char *html;
    size_t size;
} render_page_t;

//  Starts a page: doctype, title, the shared style sheet, <body><main>.
void render_begin (render_page_t *page, const char *title);

//  Ends the page; returns the HTML (caller frees).
char *render_end (render_page_t *page);

//  Writes text with &, <, >, " and ' escaped.
void render_escaped (FILE *out, const char *text);

//  A word of the vocabulary for people: "requires_improvement" ->
//  "requires improvement"; "-" for NULL.
void render_words (FILE *out, const char *word);

//  Fill colour of a grade (grey when not known).
const char *render_grade_colour (Ofwatch__V1__Grade grade);

//  The ink that reads on a grade's colour at 4.5:1 or better.
const char *render_grade_ink (Ofwatch__V1__Grade grade);

//  The grade as a coloured badge with its words in it.
void render_badge (FILE *out, Ofwatch__V1__Grade grade);

//  The letters a small tile shows for a grade: O, G, RI, A, I, "-".
const char *render_grade_short (Ofwatch__V1__Grade grade);

//  A legend of grade colours with their words and letters (an HTML list).
void render_grade_legend (FILE *out);

//  The pages.
char *render_authority (const Ofwatch__V1__AuthorityHistory *history);
char *render_national (const Ofwatch__V1__National *national);

//  The index of analytics' HTTP server: every authority by region, each
//  linked to its report.
char *render_index (const Ofwatch__V1__National *national);

#endif
