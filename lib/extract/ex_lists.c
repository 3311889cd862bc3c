/*  ex_lists — the items of a printed list.

    A marked list takes its kind of marker from its first item: bullets,
    numbers, letters or roman numerals. A later line with the same kind of
    marker (and, when the kind counts, the next value) starts the next
    item; a marker of another kind is a sub-item of the current one ("7.
    Improve ... by ensuring that: • the quality ..."). A line without a
    marker belongs to the current item when it starts with a small letter,
    when the line before did not end a sentence, or, in a numbered list,
    when it is a further sentence of the item (numbered items run to
    several sentences and the next announces itself by its number). A
    number alone on its line ("9.") starts an item whose words follow on
    the next line. The list ends at a heading, at a line that reads as the
    next paragraph, at numbered paragraphs after a bullet list, or at a
    "Grade 3 (Adequate)" line (2013 reports): the heading lines just before
    those are no part of the last item. A short line ending in a colon
    between items ("Immediately:", "Within three months:"), or a line
    between numbered items followed by the next number ("Looked after
    children"), is a sub-heading and is skipped.

    A list of paragraphs (the recommendations of an area SEND report,
    printed as a table of paragraphs) has an item per paragraph: a line
    starting with a capital after a line that ended a sentence.
*/

#include "ex_lists.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define MAX_PREAMBLE_LINES 10
#define MAX_HEADING_LINES 2
#define MAX_SUBHEADING 48
#define LOOKAHEAD_LINES 4       // a sub-heading is this close to the next number

typedef enum { MARK_NONE, MARK_BULLET, MARK_NUMBER, MARK_LETTER, MARK_ROMAN } mark_kind_t;

typedef struct {
    mark_kind_t kind;
    int value;                  // numbers, letters (a = 1), roman numerals
    int roman;                  // a letter that is also a roman numeral ("i"): its value
    bool punctuated;            // "1." or "(a)", not "1 Improve"
    bool alone;                 // nothing after the marker on its line
    size_t text;                // where the item's words start
} mark_t;

int
ex_list_number (const char *text, ex_span_t line, size_t *after)
{
    line = ex_trim (text, line);
    size_t i = line.start;
    int number = 0;
    while (i < line.end && isdigit ((unsigned char) text [i]) && i - line.start < 3)
        number = number * 10 + (text [i++] - '0');
    if (i == line.start)
        return -1;
    if (i == line.end) {
        *after = i;
        return -1;          //  a bare number: a page or footnote number
    }
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

static int
roman_value (const char *text, size_t start, size_t end)
{
    static const char *numerals [] = {
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", NULL
    };
    for (int i = 0; numerals [i]; i++)
        if (strlen (numerals [i]) == end - start && strncmp (text + start, numerals [i], end - start) == 0)
            return i + 1;
    return 0;
}

//  "(a)", "a)", "a.", "(iv)", "iv)", "iv.": a letter or a roman numeral,
//  followed by a space or the line's end.
static mark_t
alpha_mark (const char *text, ex_span_t line)
{
    mark_t mark = { MARK_NONE, 0, 0, true, false, line.start };
    size_t i = line.start;
    bool open = text [i] == '(';
    if (open)
        i++;
    size_t start = i;
    while (i < line.end && islower ((unsigned char) text [i]) && i - start < 5)
        i++;
    if (i == start || i >= line.end || !(text [i] == ')' || (!open && text [i] == '.')))
        return mark;
    size_t after = i + 1;
    if (after < line.end && text [after] != ' ')
        return mark;
    int roman = roman_value (text, start, i);
    if (i - start == 1) {
        mark.kind = MARK_LETTER;
        mark.value = text [start] - 'a' + 1;
        mark.roman = roman;
    }
    else
    if (roman) {
        mark.kind = MARK_ROMAN;
        mark.value = roman;
    }
    else
        return mark;
    while (after < line.end && text [after] == ' ')
        after++;
    mark.text = after;
    mark.alone = after >= line.end;
    return mark;
}

static mark_t
mark_at (const char *text, ex_span_t line)
{
    line = ex_trim (text, line);
    mark_t mark = { MARK_NONE, 0, 0, false, false, line.start };
    if (line.end == line.start)
        return mark;
    size_t bullet = ex_bullet_at (text, line.end, line.start);
    if (bullet) {
        mark.kind = MARK_BULLET;
        mark.text = line.start + bullet;
        while (mark.text < line.end && text [mark.text] == ' ')
            mark.text++;
        mark.alone = mark.text >= line.end;
        return mark;
    }
    size_t after = line.end;
    int number = ex_list_number (text, line, &after);
    if (number >= 0) {
        mark.kind = MARK_NUMBER;
        mark.value = number;
        size_t digits = line.start;
        while (digits < line.end && isdigit ((unsigned char) text [digits]))
            digits++;
        mark.punctuated = digits < line.end && (text [digits] == '.' || text [digits] == ')');
        mark.text = after;
        mark.alone = after >= line.end;
        return mark;
    }
    if (text [line.start] == '(' && line.start + 1 < line.end
    &&  isdigit ((unsigned char) text [line.start + 1])) {
        //  "(1) Improve ..."
        size_t i = line.start + 1;
        int value = 0;
        while (i < line.end && isdigit ((unsigned char) text [i]) && i - line.start < 4)
            value = value * 10 + (text [i++] - '0');
        if (i < line.end && text [i] == ')') {
            mark.kind = MARK_NUMBER;
            mark.value = value;
            mark.punctuated = true;
            mark.text = i + 1;
            while (mark.text < line.end && text [mark.text] == ' ')
                mark.text++;
            mark.alone = mark.text >= line.end;
        }
        return mark;
    }
    return alpha_mark (text, line);
}

//  True when the mark continues a list of `kind` whose next value is
//  `expected` (bullets have no values).
static bool
continues (const mark_t *mark, mark_kind_t kind, int expected)
{
    if (kind == MARK_BULLET)
        return mark->kind == MARK_BULLET;
    if (mark->kind == kind && mark->value == expected)
        return true;
    //  "i." is the ninth letter in a lettered list, the first numeral in
    //  a roman one.
    return kind == MARK_ROMAN && mark->kind == MARK_LETTER && mark->roman == expected;
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

bool
ex_list_is_heading (const char *text, ex_span_t line)
{
    //  Headings that open a line; a list item never starts this way.
    static const char *openings [] = {
        "The experiences and progress of", "The impact of leaders", "Overall effectiveness",
        "Summary for children", "Information about this", "Inspection judgements",
        "Recommendations", "What needs to improve", "The local authority’s strengths",
        "The local authority's strengths", "The local authority has the following strengths",
        "Key strengths", "Summary of", "Contents", "Local area partnership details",
        "What is the area partnership doing", "What does the area partnership need",
        "Areas for priority action", "Areas for improvement", "Inspection team",
        "Yours sincerely", "Yours faithfully", NULL
    };
    //  Short headings, recognised only as a whole line.
    static const char *whole [] = {
        "Findings", "Headline findings", "Main findings", "Overview", "Summary",
        "Next steps", "Evaluation of progress", "Areas covered by the visit", NULL
    };
    //  A heading starts with a capital: "recommendations that are ..."
    //  continues an item. Case aside, "The Local Authority's strengths".
    line = ex_trim (text, line);
    size_t length = line.end - line.start;
    if (length == 0 || !isupper ((unsigned char) text [line.start]))
        return false;
    for (size_t i = 0; openings [i]; i++)
        if (ex_at (text, line.end, line.start, openings [i]))
            return true;
    for (size_t i = 0; whole [i]; i++)
        if (strlen (whole [i]) == length && strncasecmp (text + line.start, whole [i], length) == 0)
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

//  A line that is only a number of one or two digits ("4"): a footnote's
//  or a page's number, never an item's words.
static bool
is_bare_number (const char *text, ex_span_t line)
{
    line = ex_trim (text, line);
    size_t n = line.end - line.start;
    return n >= 1 && n <= 2 && isdigit ((unsigned char) text [line.start])
        && isdigit ((unsigned char) text [line.end - 1]);
}

//  True when one of the next non-blank lines after pos starts the item
//  the list expects, before any heading.
static bool
expected_ahead (const char *text, size_t to, size_t pos, mark_kind_t kind, int expected)
{
    ex_span_t line;
    for (int seen = 0; seen < LOOKAHEAD_LINES && ex_next_line (text, to, &pos, &line);) {
        if (ex_blank (text, line))
            continue;
        if (ex_list_is_heading (text, line))
            return false;
        mark_t mark = mark_at (text, line);
        if (continues (&mark, kind, expected))
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

static void
item_start (item_t *item, ex_span_t line, size_t text_start)
{
    item->open = true;
    item->n_lines = 0;
    item->span.start = text_start;
    item_line (item, line);
}

#define MAX_HEADING_TAIL 30      // "people", the wrapped end of a heading

//  Before numbered paragraphs or a grade line, the last lines of the item
//  are the next section's heading when they start with a capital ("Help
//  and protection"), or when a short line in small letters ends a line
//  that does ("Outcomes for looked after children and young / people").
static void
drop_heading (const char *text, item_t *item)
{
    if (item->n_lines >= 3) {
        ex_span_t tail = ex_trim (text, item->lines [item->n_lines - 1]);
        ex_span_t head = ex_trim (text, item->lines [item->n_lines - 2]);
        if (tail.end > tail.start && islower ((unsigned char) text [tail.start])
        &&  tail.end - tail.start <= MAX_HEADING_TAIL
        &&  head.end > head.start && isupper ((unsigned char) text [head.start])
        &&  !ends_sentence (text, head)) {
            item->n_lines -= 2;
            item->span.end = item->lines [item->n_lines - 1].end;
            return;
        }
    }
    for (size_t k = 0; k < MAX_HEADING_LINES && item->n_lines > 1; k++) {
        ex_span_t last = item->lines [item->n_lines - 1];
        ex_span_t trimmed = ex_trim (text, last);
        if (trimmed.end == trimmed.start || !isupper ((unsigned char) text [trimmed.start]))
            break;
        item->n_lines--;
        item->span.end = item->lines [item->n_lines - 1].end;
    }
}

typedef struct {
    const char *text;
    size_t to;
    ex_list_item_fn *emit;
    void *arg;
    item_t item;
    size_t count;
} reader_t;

static void
flush (reader_t *reader)
{
    if (reader->item.open) {
        reader->emit (reader->arg, reader->item.span);
        reader->count++;
        reader->item.open = false;
    }
}

//  What a line without the list's next marker does to a marked list.
typedef enum { LINE_APPEND, LINE_SKIP, LINE_END, LINE_END_DROP } line_role_t;

#define FURTHER_SENTENCE_LINES 3

//  True when the lines from pos finish a sentence and a heading (or the
//  list's region) follows: "21. Strengthen ... feedback. / Improve the
//  analysis of complaints ... / ... issues raised. / Summary for
//  children": the last item's further sentence.
static bool
sentence_before_heading (const reader_t *reader, size_t pos)
{
    ex_span_t line;
    for (int lines = 0; lines < FURTHER_SENTENCE_LINES; lines++) {
        if (!ex_next_line (reader->text, reader->to, &pos, &line))
            return false;
        if (ex_list_is_heading (reader->text, line) || mark_at (reader->text, line).kind != MARK_NONE)
            return false;
        if (ends_sentence (reader->text, line)) {
            ex_span_t next;
            size_t after = pos;
            while (ex_next_line (reader->text, reader->to, &after, &next) && ex_blank (reader->text, next))
                ;
            return after >= reader->to || ex_list_is_heading (reader->text, next);
        }
    }
    return false;
}

static line_role_t
role_in_marked (const reader_t *reader, ex_span_t line, ex_span_t previous, const mark_t *mark,
                mark_kind_t kind, int expected, size_t next_pos)
{
    const char *text = reader->text;
    if (ex_list_is_heading (text, line))
        return LINE_END;
    if (is_grade_line (text, line))
        return LINE_END_DROP;
    if (is_bare_number (text, line))
        return LINE_SKIP;                   //  a note's or a page's number
    bool after_sentence = ends_sentence (text, previous);
    //  Numbered paragraphs of the report's body after a bullet list.
    if (kind == MARK_BULLET && mark->kind == MARK_NUMBER && mark->punctuated && !mark->alone
    &&  after_sentence)
        return LINE_END_DROP;
    if (mark->kind != MARK_NONE && mark->kind != kind)
        return LINE_APPEND;                 //  a sub-item, or "17." wrapped
    if (is_subheading (text, line) && !starts_lower (text, line))
        return LINE_SKIP;                   //  "Within three months:"
    if (starts_lower (text, line) || !after_sentence || ex_blank (text, reader->item.span))
        return LINE_APPEND;
    if (kind == MARK_BULLET)
        return LINE_END;
    if (expected_ahead (text, reader->to, next_pos, kind, expected))
        return ends_sentence (text, line) ? LINE_APPEND : LINE_SKIP;
    //  After the last item: a further sentence of it, or the end.
    if (mark->kind != MARK_NONE)
        return LINE_END;
    return ends_sentence (text, line) || sentence_before_heading (reader, next_pos)
         ? LINE_APPEND : LINE_END;
}

//  True when the open item reads as the introduction of a list ("... the
//  following action.", "... by ensuring that:"): the first numbered
//  paragraph after a heading, followed by bullets.
static bool
introduces (const reader_t *reader)
{
    ex_span_t span = ex_trim (reader->text, reader->item.span);
    if (span.end == span.start)
        return false;
    char last = reader->text [span.end - 1];
    return last == ':'
        || (last == '.' && ex_find (reader->text, span.end, span.start, "following") != EX_NONE);
}

#define SUBLIST_LINES 60

//  True when the list's next number comes after the bullets at pos (they
//  are the sub-items of "1. Improve ... by:"), before a heading or a
//  grade line.
static bool
next_number_follows (const reader_t *reader, size_t pos, mark_kind_t kind, int expected)
{
    ex_span_t line;
    for (int lines = 0; lines < SUBLIST_LINES && ex_next_line (reader->text, reader->to, &pos, &line);
         lines++) {
        if (ex_list_is_heading (reader->text, line) || is_grade_line (reader->text, line))
            return false;
        mark_t mark = mark_at (reader->text, line);
        if (continues (&mark, kind, expected))
            return true;
    }
    return false;
}

static size_t
parse_marked (reader_t *reader, size_t pos, size_t *list_end)
{
    const char *text = reader->text;
    mark_kind_t kind = MARK_NONE;
    int expected = 0;
    size_t preamble = 0;
    ex_span_t line, previous = { pos, pos };
    while (ex_next_line (text, reader->to, &pos, &line)) {
        if (ex_blank (text, line))
            continue;
        mark_t mark = mark_at (text, line);
        if (!reader->item.open) {
            bool first = mark.kind != MARK_NONE
                      && (mark.kind != MARK_NUMBER || mark.punctuated || mark.value == 1);
            if (!first) {
                if (ex_list_is_heading (text, line) || ++preamble > MAX_PREAMBLE_LINES)
                    break;
                continue;
            }
            kind = mark.kind == MARK_LETTER && mark.value != 1 && mark.roman == 1
                 ? MARK_ROMAN : mark.kind;
            expected = (kind == MARK_ROMAN ? (mark.roman ? mark.roman : mark.value) : mark.value) + 1;
            item_start (&reader->item, line, mark.text);
        }
        else
        if (continues (&mark, kind, expected)) {
            flush (reader);
            item_start (&reader->item, line, mark.text);
            expected++;
        }
        else
        if (mark.kind == MARK_BULLET && reader->count == 0 && introduces (reader)
        &&  !next_number_follows (reader, pos, kind, expected)) {
            //  "15. In order to improve ..., the local authority should take
            //  the following action." introduces the bullets: a paragraph.
            kind = MARK_BULLET;
            item_start (&reader->item, line, mark.text);
        }
        else {
            line_role_t role = role_in_marked (reader, line, previous, &mark, kind, expected, pos);
            if (role == LINE_END_DROP)
                drop_heading (text, &reader->item);
            if (role == LINE_END || role == LINE_END_DROP)
                break;
            if (role == LINE_APPEND) {
                //  "9." alone: the item's words start on this line.
                if (ex_blank (text, reader->item.span))
                    reader->item.span.start = line.start;
                item_line (&reader->item, line);
            }
            if (role == LINE_SKIP)
                continue;
        }
        previous = line;
        *list_end = line.end;
    }
    if (reader->item.open)
        *list_end = reader->item.span.end;
    flush (reader);
    return reader->count;
}

static size_t
parse_paragraphs (reader_t *reader, size_t pos, size_t *list_end)
{
    const char *text = reader->text;
    ex_span_t line, previous = { pos, pos };
    while (ex_next_line (text, reader->to, &pos, &line)) {
        if (ex_blank (text, line))
            continue;
        if (ex_list_is_heading (text, line))
            break;
        ex_span_t trimmed = ex_trim (text, line);
        bool capital = isupper ((unsigned char) text [trimmed.start])
                    || ex_bullet_at (text, trimmed.end, trimmed.start);
        if (!reader->item.open || (ends_sentence (text, previous) && capital)) {
            flush (reader);
            size_t bullet = ex_bullet_at (text, trimmed.end, trimmed.start);
            item_start (&reader->item, line, trimmed.start + bullet);
        }
        else
            item_line (&reader->item, line);
        previous = line;
        *list_end = line.end;
    }
    flush (reader);
    return reader->count;
}

size_t
ex_list_parse (const char *text, size_t from, size_t to, ex_list_style_t style,
               ex_list_item_fn *emit, void *arg, size_t *end)
{
    reader_t reader = { text, to, emit, arg, { false, { 0, 0 }, { { 0, 0 } }, 0 }, 0 };
    size_t list_end = from;
    //  Skip the rest of the heading's line.
    const char *newline = from < to ? memchr (text + from, '\n', to - from) : NULL;
    size_t pos = newline ? (size_t) (newline - text) + 1 : to;
    size_t count = style == EX_LIST_PARAGRAPHS ? parse_paragraphs (&reader, pos, &list_end)
                                               : parse_marked (&reader, pos, &list_end);
    if (end)
        *end = list_end;
    return count;
}
