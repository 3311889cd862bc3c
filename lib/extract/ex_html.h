/*  ex_html — the text of an HTML page.

    Tags go, their structure stays as line breaks: block elements (p, div,
    h1-h6, li, tr, br, headings, table rows) end a line, table cells are
    separated by a tab, list items start with a bullet so report parsers
    see the same shape as in a PDF. Scripts, styles and comments vanish;
    entities (named and numeric) are decoded. Works on any bytes: broken
    markup yields text, never an error.
*/
#ifndef EX_HTML_H
#define EX_HTML_H

#include <stddef.h>

//  Returns the text (caller frees) and sets *out_length.
char *ex_html_text (const char *html, size_t length, size_t *out_length);

#endif
