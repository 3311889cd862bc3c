/*  ex_markdown — the text of a Markdown document.

    Headings lose their '#', emphasis its asterisks and underscores, links
    keep their words and lose their addresses, inline HTML tags
    ("<sup>th</sup>") go, list markers become the
    bullet the report parsers know. Line structure is kept.
*/
#ifndef EX_MARKDOWN_H
#define EX_MARKDOWN_H

#include <stddef.h>

//  Returns the text (caller frees) and sets *out_length.
char *ex_markdown_text (const char *markdown, size_t length, size_t *out_length);

#endif
