/*  ex_lists — the items of a printed list.

    A line belongs to the current item when it starts with a small letter,
    or when the line before did not end a sentence; in a numbered list,
    also when it is a whole sentence (items run to several sentences, and
    the next item announces itself by its number). Otherwise it ends the
    list, and so does a numbered paragraph or a "Grade 3 (Adequate)" line
    (2013 reports): the heading lines just before those are no part of the
    last item. A short line ending in a colon between items ("Immediately:",
    "Within three months:") is a sub-heading and is skipped.
*/

#include "ex_lists.h"

#include <ctype.h>
#include <string.h>

#define MAX_PREAMBLE_LINES 6
#define MAX_HEADING_LINES 2
#define MAX_SUBHEADING 48

int
ex_list_number (const char *text, ex_span_t line, size_t *after)
{
    line = ex_trim (text, line);
    size_t i = line.start;
    int number = 0;
    while (i < line.end && isdigit ((unsigned char) text [i]) && i - line.start < 3)
        number = number * 10 + (text [i++] - '0');
    if (i == line.start || i >= line.end)
        return -1;
    if (text [i] == '.' || text [i] == ')')
        i++;
    else
    if (text [i] != ' ')
        return -1;
    while (i < line.end && text [i] == ' ')
        i++;
    if (i < line.end && isdigit ((unsigned char) text [i]))
        return -1;          //  "2.1 Adoption", "10 12"
    *after = i;
    return number;
}

static bool
ends_sentence (const char *text, ex_span_t line)
{
    line = ex_trim (text, line);
    if (line.end == line.start)
        return true;
    char last = text [line.end - 1];
    if (last == ')' && line.end - line.start >= 2)
        last = text [line.end - 2] == '.' ? '.' : ')';
    return last == '.' || last == '?' || last == '!'
        || (line.end - line.start >= 3 && memcmp (text + line.end - 3, "\xE2\x80\x9D", 3) == 0);
}

static bool
starts_lower (const char *text, ex_span_t line)
{
    line = ex_trim (text, line);
    return line.end > line.start && (islower ((unsigned char) text [line.start])
                                      || text [line.start] == '(');
}

static bool
is_subheading (const char *text, ex_span_t line)
{
    line = ex_trim (text, line);
    return line.end > line.start && line.end - line.start <= MAX_SUBHEADING
        && text [line.end - 1] == ':';
}

//  Section headings of reports that follow a list directly: never part
//  of an item, whatever the item's last line looked like.
static bool
is_section_heading (const char *text, ex_span_t line)
{
    static const char *headings [] = {
        "The experiences and progress of", "The impact of leaders", "Overall effectiveness",
        "Summary for children", "Information about this", "Inspection judgements",
        "Recommendations", "What needs to improve", "The local authority’s strengths",
        "The local authority's strengths", "The local authority has the following strengths",
        "Key strengths", "Summary of", "Contents", NULL
    };
    line = ex_trim (text, line);
    for (size_t i = 0; headings [i]; i++)
        if (ex_at (text, line.end, line.start, headings [i]))
            return true;
    return false;
}

static bool
is_grade_line (const char *text, ex_span_t line)
{
    line = ex_trim (text, line);
    return ex_at (text, line.end, line.start, "Grade ")
        && line.start + 6 < line.end && isdigit ((unsigned char) text [line.start + 6]);
}

//  True when one of the next two non-blank lines after pos starts with
//  the number `expected`.
static bool
next_is_number (const char *text, size_t to, size_t pos, int expected)
{
    ex_span_t line;
    for (int seen = 0; seen < 2 && ex_next_line (text, to, &pos, &line);) {
        if (ex_blank (text, line))
            continue;
        size_t after;
        if (ex_list_number (text, line, &after) == expected)
            return true;
        seen++;
    }
    return false;
}

typedef struct {
    bool open;
    ex_span_t span;
    ex_span_t lines [MAX_HEADING_LINES + 1];    // its most recent lines
    size_t n_lines;
} item_t;

static void
item_line (item_t *item, ex_span_t line)
{
    if (item->n_lines == MAX_HEADING_LINES + 1) {
        memmove (item->lines, item->lines + 1, MAX_HEADING_LINES * sizeof (ex_span_t));
        item->n_lines--;
    }
    item->lines [item->n_lines++] = line;
    item->span.end = line.end;
}

//  Before a numbered paragraph or grade line, lines that start with a
//  capital after the item's first line are the next section's heading.
static void
drop_heading (const char *text, item_t *item)
{
    for (size_t k = 0; k < MAX_HEADING_LINES && item->n_lines > 1; k++) {
        ex_span_t last = item->lines [item->n_lines - 1];
        ex_span_t trimmed = ex_trim (text, last);
        if (trimmed.end == trimmed.start || !isupper ((unsigned char) text [trimmed.start]))
            break;
        item->n_lines--;
        item->span.end = item->lines [item->n_lines - 1].end;
    }
}

size_t
ex_list_parse (const char *text, size_t from, size_t to, ex_list_style_t style,
               ex_list_item_fn *emit, void *arg, size_t *end)
{
    size_t count = 0, pos = from, preamble = 0, list_end = from;
    int expected = -1;
    item_t item = { false, { 0, 0 }, { { 0, 0 } }, 0 };
    ex_span_t line, previous = { from, from };
    //  Skip the rest of the heading's line.
    const char *newline = memchr (text + pos, '\n', to > pos ? to - pos : 0);
    pos = newline ? (size_t) (newline - text) + 1 : to;
    while (ex_next_line (text, to, &pos, &line)) {
        if (ex_blank (text, line))
            continue;
        ex_span_t trimmed = ex_trim (text, line);
        size_t bullet = ex_bullet_at (text, to, trimmed.start), after = 0;
        int number = ex_list_number (text, line, &after);
        bool starts_item = style == EX_LIST_BULLETS
            ? bullet > 0
            : number >= 0 && (expected < 0 || number == expected);
        if (starts_item) {
            if (item.open) {
                emit (arg, item.span);
                count++;
            }
            item.open = true;
            item.n_lines = 0;
            item.span.start = style == EX_LIST_BULLETS ? trimmed.start + bullet : after;
            item_line (&item, line);
            expected = number + 1;
        }
        else
        if (!item.open) {
            if (++preamble > MAX_PREAMBLE_LINES)
                break;
        }
        else
        if (is_subheading (text, line) && !starts_lower (text, line))
            ;   //  "Within three months:"
        else
        if (is_section_heading (text, line))
            break;
        else
        if (is_grade_line (text, line) || (number >= 0 && style == EX_LIST_BULLETS)) {
            drop_heading (text, &item);
            break;
        }
        else
        if (bullet || starts_lower (text, line) || !ends_sentence (text, previous)
        ||  ex_blank (text, item.span)       //  "9." alone, its text below
        ||  (style == EX_LIST_NUMBERED && number < 0 && ends_sentence (text, line)))
            item_line (&item, line);
        else
        if (style == EX_LIST_NUMBERED && next_is_number (text, to, pos, expected))
            ;   //  a sub-heading inside the list ("Looked after children")
        else
            break;
        previous = line;
        list_end = line.end;
    }
    if (item.open) {
        emit (arg, item.span);
        count++;
        list_end = item.span.end;
    }
    if (end)
        *end = list_end;
    return count;
}
