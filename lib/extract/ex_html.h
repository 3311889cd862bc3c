/*  ex_html — the text of an HTML page, through libxml2's HTML parser.

    The parser builds the tree any browser would from real-world markup
    (unclosed paragraphs, stray tags, entities named and numeric), in the
    page's own encoding: a byte order mark or a declared charset
    (<meta charset="windows-1252">) wins, else UTF-8 when the bytes are
    UTF-8, else Windows-1252, the usual encoding of old council pages.
    The tree is then written as text with its structure kept as line
    breaks: block elements (p, div, headings, li, tr, br ...) end a line,
    table cells are separated by a tab, list items start with a bullet so
    report parsers see the same shape as in a PDF. Scripts, styles,
    comments and the site's navigation menus (<nav>) vanish. Works on any bytes: broken markup yields text, never
    an error.
*/
#ifndef EX_HTML_H
#define EX_HTML_H

#include <stddef.h>
#include <stdint.h>

//  Returns the UTF-8 text (caller frees) and sets *out_length; NULL and
//  *error (caller frees) only when the page cannot be read at all.
char *ex_html_text (const uint8_t *html, size_t size, size_t *out_length, char **error);

#endif
