/*  ex_lists — the items of a printed list: "what needs to improve"
    bullets, numbered recommendations, areas for priority action.

    Lists in PDF text have no markup: an item starts at a bullet or its
    number and runs over wrapped lines until the next item; the list ends
    where a line reads as a new heading or paragraph. The rules are the
    same for every report era, so they live here once.
*/
#ifndef EX_LISTS_H
#define EX_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include "ex_text.h"

typedef enum {
    EX_LIST_BULLETS,            // items start at a bullet glyph
    EX_LIST_NUMBERED            // items start "1.", "2." ... in order
} ex_list_style_t;

typedef void (ex_list_item_fn) (void *arg, ex_span_t item);

//  Reads the list that starts after `from` (the heading's end), looking
//  no further than `to`, and calls `item` with each item's span (without
//  its bullet or number). Returns the number of items and sets *end (when
//  not NULL) where the list ended.
size_t ex_list_parse (const char *text, size_t from, size_t to, ex_list_style_t style,
                      ex_list_item_fn *item, void *arg, size_t *end);

//  The number at a line start ("12. Improve", "12 Improve"), and *after
//  where the item's text starts; -1 when the line does not start with one.
int ex_list_number (const char *text, ex_span_t line, size_t *after);

#endif
