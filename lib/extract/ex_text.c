/*  ex_text — small tools over a document's text.

    Everything here is linear in what it looks at; parsers bound their
    searches to a region (a section, the first page) so that a whole
    extraction stays a few passes over the text.
*/

#include "ex_text.h"
#include "ow_pb.h"

#include <ctype.h>
#include <string.h>

bool
ex_next_line (const char *text, size_t length, size_t *pos, ex_span_t *line)
{
    if (*pos >= length)
        return false;
    const char *newline = memchr (text + *pos, '\n', length - *pos);
    line->start = *pos;
    line->end = newline ? (size_t) (newline - text) : length;
    *pos = newline ? line->end + 1 : length;
    return true;
}

ex_span_t
ex_line_at (const char *text, size_t length, size_t pos)
{
    ex_span_t line = { pos, pos };
    while (line.start > 0 && text [line.start - 1] != '\n')
        line.start--;
    while (line.end < length && text [line.end] != '\n')
        line.end++;
    return line;
}

size_t
ex_find (const char *text, size_t to, size_t from, const char *needle)
{
    size_t n = strlen (needle);
    if (n == 0 || from >= to || to - from < n)
        return EX_NONE;
    unsigned char first_lower = (unsigned char) tolower ((unsigned char) needle [0]);
    unsigned char first_upper = (unsigned char) toupper ((unsigned char) needle [0]);
    for (size_t i = from; i + n <= to; i++) {
        unsigned char c = (unsigned char) text [i];
        if ((c == first_lower || c == first_upper) && strncasecmp (text + i, needle, n) == 0)
            return i;
    }
    return EX_NONE;
}

//  Length of the match of phrase at text [i], 0 when none.
static size_t
phrase_at (const char *text, size_t to, size_t i, const char *phrase)
{
    size_t k = i;
    for (const char *p = phrase; *p; p++) {
        if (*p == ' ') {
            if (k >= to || !isspace ((unsigned char) text [k]))
                return 0;
            while (k < to && isspace ((unsigned char) text [k]))
                k++;
        }
        else
        if (k < to && tolower ((unsigned char) text [k]) == tolower ((unsigned char) *p))
            k++;
        else
            return 0;
    }
    return k - i;
}

size_t
ex_find_phrase (const char *text, size_t to, size_t from, const char *phrase, size_t *end)
{
    const char *space = strchr (phrase, ' ');
    size_t head = space ? (size_t) (space - phrase) : strlen (phrase);
    char first [64];
    if (head >= sizeof first)
        head = sizeof first - 1;
    memcpy (first, phrase, head);
    first [head] = '\0';
    //  Find the first word quickly, then check the rest.
    for (size_t at = ex_find (text, to, from, first); at != EX_NONE;
         at = ex_find (text, to, at + 1, first)) {
        size_t n = phrase_at (text, to, at, phrase);
        if (n) {
            if (end)
                *end = at + n;
            return at;
        }
    }
    return EX_NONE;
}

size_t
ex_find_line_start (const char *text, size_t to, size_t from, const char *label)
{
    for (size_t at = ex_find (text, to, from, label); at != EX_NONE;
         at = ex_find (text, to, at + 1, label))
        if (at == 0 || text [at - 1] == '\n')
            return at;
    return EX_NONE;
}

bool
ex_at (const char *text, size_t length, size_t pos, const char *prefix)
{
    size_t n = strlen (prefix);
    return pos <= length && length - pos >= n && strncasecmp (text + pos, prefix, n) == 0;
}

static size_t
space_at (const char *text, size_t pos, size_t end)
{
    unsigned char c = (unsigned char) text [pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c == 0xC2 && pos + 1 < end && (unsigned char) text [pos + 1] == 0xA0)
        return 2;
    return 0;
}

ex_span_t
ex_trim (const char *text, ex_span_t span)
{
    size_t n;
    while (span.start < span.end && (n = space_at (text, span.start, span.end)) != 0)
        span.start += n;
    while (span.end > span.start) {
        unsigned char c = (unsigned char) text [span.end - 1];
        if (isspace (c))
            span.end--;
        else
        if (c == 0xA0 && span.end - 1 > span.start && (unsigned char) text [span.end - 2] == 0xC2)
            span.end -= 2;
        else
            break;
    }
    return span;
}

bool
ex_blank (const char *text, ex_span_t span)
{
    ex_span_t trimmed = ex_trim (text, span);
    return trimmed.start == trimmed.end;
}

char *
ex_join (const char *text, ex_span_t span)
{
    span = ex_trim (text, span);
    char *out = ow_malloc (span.end - span.start + 1);
    size_t used = 0;
    for (size_t i = span.start; i < span.end;) {
        size_t n = space_at (text, i, span.end);
        if (!n) {
            out [used++] = text [i++];
            continue;
        }
        bool line_break = false;
        while (i < span.end && (n = space_at (text, i, span.end)) != 0) {
            if (text [i] == '\n' || text [i] == '\f')
                line_break = true;
            i += n;
            //  A bullet opening a wrapped line is list layout, not words.
            size_t bullet = line_break ? ex_bullet_at (text, span.end, i) : 0;
            if (bullet)
                i += bullet;
        }
        //  "multi-\nagency" was one word before the line was wrapped;
        //  "16- and 17-year-olds" keeps its space, whether it was printed
        //  on one line or wrapped after the hyphen ("16-\nand").
        bool joined = line_break && used > 1 && out [used - 1] == '-' && out [used - 2] != ' '
                   && !ex_at (text, span.end, i, "and ") && !ex_at (text, span.end, i, "or ")
                   && !ex_at (text, span.end, i, "to ");
        if (!joined)
            out [used++] = ' ';
    }
    out [used] = '\0';
    return out;
}

size_t
ex_bullet_at (const char *text, size_t length, size_t pos)
{
    static const char *bullets [] = {
        "\xE2\x80\xA2",     // • U+2022
        "\xE2\x97\xBC",     // ◼ U+25FC
        "\xE2\x96\xAA",     // ▪ U+25AA
        "\xE2\x96\xA0",     // ■ U+25A0
        "\xE2\x97\x8F",     // ● U+25CF
        "\xE2\x80\x93 ",    // – U+2013 followed by a space
        "\xEF\x82\xA7",     //  U+F0A7 (Wingdings square)
        "\xEF\x82\xB7",     //  U+F0B7 (Symbol bullet)
        "\xEF\x81\xAE",     //  U+F06E
        "\xEF\x83\x98",     //  U+F0D8
        "\xC2\xB7",         // · U+00B7
        "\xE2\x9D\x96",     // ❖ U+2756
        "- ", "* ",
        NULL
    };
    for (size_t i = 0; bullets [i]; i++) {
        size_t n = strlen (bullets [i]);
        if (pos + n <= length && memcmp (text + pos, bullets [i], n) == 0)
            return n;
    }
    //  Any other Symbol or Wingdings glyph (U+F000-U+F0FF, as poppler
    //  maps those fonts) before a space or a word: a list marker, never
    //  part of a word.
    if (pos + 4 <= length && (unsigned char) text [pos] == 0xEF
    &&  ((unsigned char) text [pos + 1] == 0x80 || (unsigned char) text [pos + 1] == 0x81
      || (unsigned char) text [pos + 1] == 0x82 || (unsigned char) text [pos + 1] == 0x83)
    &&  (text [pos + 3] == ' ' || isalpha ((unsigned char) text [pos + 3])))
        return 3;
    return 0;
}

bool
ex_word_start (const char *text, size_t pos)
{
    return pos == 0 || !isalnum ((unsigned char) text [pos - 1]);
}

size_t
ex_put_utf8 (char *out, unsigned long code)
{
    if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        code = 0xFFFD;
    if (code < 0x80) {
        out [0] = (char) code;
        return 1;
    }
    if (code < 0x800) {
        out [0] = (char) (0xC0 | (code >> 6));
        out [1] = (char) (0x80 | (code & 0x3F));
        return 2;
    }
    if (code < 0x10000) {
        out [0] = (char) (0xE0 | (code >> 12));
        out [1] = (char) (0x80 | ((code >> 6) & 0x3F));
        out [2] = (char) (0x80 | (code & 0x3F));
        return 3;
    }
    out [0] = (char) (0xF0 | (code >> 18));
    out [1] = (char) (0x80 | ((code >> 12) & 0x3F));
    out [2] = (char) (0x80 | ((code >> 6) & 0x3F));
    out [3] = (char) (0x80 | (code & 0x3F));
    return 4;
}
