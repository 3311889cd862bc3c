/*  ex_html — the text of an HTML page.

    A single pass with a small state machine: outside a tag, copy text
    (collapsing white space as a browser would); at a tag, read its name
    and decide what it means for line structure; inside script, style and
    comments, skip to the matching end. Output is never longer than the
    input plus the line breaks and bullets added, which the buffer size
    accounts for.
*/

#include "ex_text.h"
#include "ex_html.h"
#include "ow_pb.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    char *out;
    size_t used, size;
    bool space;                 // a white space run is pending
} sink_t;

static void
put (sink_t *sink, const char *bytes, size_t n)
{
    if (sink->used + n + 8 > sink->size) {
        sink->size = (sink->used + n + 8) * 2;
        sink->out = realloc (sink->out, sink->size);
        if (!sink->out)
            abort ();
    }
    memcpy (sink->out + sink->used, bytes, n);
    sink->used += n;
}

static bool
at_line_start (const sink_t *sink)
{
    return sink->used == 0 || sink->out [sink->used - 1] == '\n';
}

static void
put_text (sink_t *sink, const char *bytes, size_t n)
{
    if (sink->space && !at_line_start (sink) && sink->out [sink->used - 1] != '\t')
        put (sink, " ", 1);
    sink->space = false;
    put (sink, bytes, n);
}

static void
put_break (sink_t *sink)
{
    sink->space = false;
    while (sink->used && sink->out [sink->used - 1] == ' ')
        sink->used--;
    if (!at_line_start (sink))
        put (sink, "\n", 1);
}

//  Decodes the entity at html [i] ('&'); returns its length, 0 if none.
static size_t
entity (const char *html, size_t length, size_t i, char *out, size_t *out_n)
{
    static const struct { const char *name; unsigned code; } named [] = {
        { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
        { "apos", '\'' }, { "nbsp", ' ' }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
        { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C },
        { "rdquo", 0x201D }, { "hellip", 0x2026 }, { "bull", 0x2022 },
        { "pound", 0xA3 }, { "copy", 0xA9 }, { "eacute", 0xE9 }, { "middot", 0xB7 },
        { NULL, 0 }
    };
    size_t end = i + 1;
    while (end < length && end - i < 12 && (isalnum ((unsigned char) html [end]) || html [end] == '#'))
        end++;
    if (end >= length || html [end] != ';' || end == i + 1)
        return 0;
    unsigned long code = 0;
    if (html [i + 1] == '#') {
        bool hex = i + 2 < end && (html [i + 2] == 'x' || html [i + 2] == 'X');
        char *stop;
        code = strtoul (html + i + (hex ? 3 : 2), &stop, hex ? 16 : 10);
        if (stop != html + end)
            return 0;
    }
    else {
        for (size_t k = 0; named [k].name; k++)
            if (strlen (named [k].name) == end - i - 1
            &&  strncmp (html + i + 1, named [k].name, end - i - 1) == 0)
                code = named [k].code;
        if (!code)
            return 0;
    }
    *out_n = ex_put_utf8 (out, code);
    return end - i + 1;
}

static bool
name_is (const char *name, const char *what)
{
    return strcasecmp (name, what) == 0;
}

static bool
is_block (const char *name)
{
    static const char *blocks [] = {
        "p", "div", "br", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4",
        "h5", "h6", "section", "article", "header", "footer", "title",
        "blockquote", "dt", "dd", "hr", "caption", "thead", "tbody", "main",
        "nav", "aside", "pre", "dl", "form", "li", NULL
    };
    for (size_t i = 0; blocks [i]; i++)
        if (name_is (name, blocks [i]))
            return true;
    return false;
}

//  Skips to the end of a raw text element (</script>, </style>).
static size_t
skip_raw (const char *html, size_t length, size_t i, const char *name)
{
    size_t n = strlen (name);
    for (; i + n + 2 < length; i++)
        if (html [i] == '<' && html [i + 1] == '/' && strncasecmp (html + i + 2, name, n) == 0)
            break;
    const char *close = memchr (html + (i < length ? i : length), '>', length - (i < length ? i : length));
    return close ? (size_t) (close - html) + 1 : length;
}

//  Handles the tag at html [i] ('<'); returns where text resumes.
static size_t
tag (sink_t *sink, const char *html, size_t length, size_t i)
{
    if (i + 3 < length && strncmp (html + i, "<!--", 4) == 0) {
        const char *end = NULL;
        for (size_t k = i + 4; k + 2 < length && !end; k++)
            if (html [k] == '-' && html [k + 1] == '-' && html [k + 2] == '>')
                end = html + k + 3;
        return end ? (size_t) (end - html) : length;
    }
    size_t k = i + 1;
    bool closing = k < length && html [k] == '/';
    if (closing)
        k++;
    char name [16];
    size_t n = 0;
    while (k < length && (isalnum ((unsigned char) html [k])) && n + 1 < sizeof name)
        name [n++] = html [k++];
    name [n] = '\0';
    if (n == 0 && !closing && (k >= length || (html [k] != '!' && html [k] != '?'))) {
        put_text (sink, "<", 1);    //  a lone '<' in text
        return i + 1;
    }
    const char *close = memchr (html + k, '>', length - k);
    size_t after = close ? (size_t) (close - html) + 1 : length;
    if (!closing && (name_is (name, "script") || name_is (name, "style")
                  || name_is (name, "noscript") || name_is (name, "template")))
        return skip_raw (html, length, after, name);
    if (name_is (name, "td") || name_is (name, "th")) {
        if (!closing && !at_line_start (sink))
            put (sink, "\t", 1);
        sink->space = false;
    }
    else
    if (is_block (name)) {
        put_break (sink);
        if (!closing && name_is (name, "li"))
            put (sink, "\xE2\x80\xA2 ", 4);
    }
    return after;
}

char *
ex_html_text (const char *html, size_t length, size_t *out_length)
{
    sink_t sink = { NULL, 0, 0, false };
    put (&sink, "", 0);
    for (size_t i = 0; i < length;) {
        char c = html [i];
        if (c == '<')
            i = tag (&sink, html, length, i);
        else
        if (isspace ((unsigned char) c)) {
            sink.space = true;
            i++;
        }
        else
        if (c == '&') {
            char decoded [4];
            size_t n = 0, used = entity (html, length, i, decoded, &n);
            if (used) {
                if (n == 1 && decoded [0] == ' ')
                    sink.space = true;
                else
                    put_text (&sink, decoded, n);
                i += used;
            }
            else {
                put_text (&sink, "&", 1);
                i++;
            }
        }
        else {
            size_t start = i;
            while (i < length && html [i] != '<' && html [i] != '&'
                   && !isspace ((unsigned char) html [i]))
                i++;
            put_text (&sink, html + start, i - start);
        }
    }
    put_break (&sink);
    sink.out [sink.used] = '\0';
    *out_length = sink.used;
    return sink.out;
}
