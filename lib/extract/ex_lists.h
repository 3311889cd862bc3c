/*  ex_lists — the items of a printed list: "what needs to improve"
    bullets, numbered and lettered recommendations, areas for priority
    action, a table of recommendations printed as paragraphs.

    Lists in PDF text have no markup: an item starts at its marker (a
    bullet, "1.", "(a)", "ii)") and runs over wrapped lines until the next
    item of the same kind; markers of another kind inside it are its
    sub-items. The list ends where a line reads as a new heading or
    paragraph. The rules are the same for every document kind and era, so
    they live here once.
*/
#ifndef EX_LISTS_H
#define EX_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include "ex_text.h"

typedef enum {
    EX_LIST_MARKED,             // items start at a marker: the first item's
                                // kind of marker (bullet, number, letter,
                                // roman numeral) is the list's
    EX_LIST_PARAGRAPHS          // items are paragraphs: a line that starts
                                // with a capital after a sentence's end
} ex_list_style_t;

typedef void (ex_list_item_fn) (void *arg, ex_span_t item);

//  Reads the list that starts after `from` (the heading's end), looking
//  no further than `to`, and calls `item` with each item's span (without
//  its marker). Returns the number of items and sets *end (when not NULL)
//  where the list ended.
size_t ex_list_parse (const char *text, size_t from, size_t to, ex_list_style_t style,
                      ex_list_item_fn *item, void *arg, size_t *end);

//  The number at a line start ("12. Improve", "12 Improve", "12." alone),
//  and *after where the item's text starts; -1 when the line does not
//  start with one.
int ex_list_number (const char *text, ex_span_t line, size_t *after);

//  True when the line is a heading that no list item continues into
//  ("Summary for children and young people", "Findings").
bool ex_list_is_heading (const char *text, ex_span_t line);

#endif
