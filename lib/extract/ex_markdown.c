/*  ex_markdown — the text of a Markdown document.

    Line by line: the start of a line says whether it is a heading, a list
    item or a quote; inside a line only emphasis markers and link syntax
    are rewritten. Output is never longer than the input plus two bytes a
    line (bullets are three bytes where the marker was one).
*/

#include "ex_markdown.h"
#include "ex_text.h"
#include "ow_pb.h"

#include <ctype.h>
#include <string.h>

//  Copies one line's inline content, dropping emphasis and link targets.
static size_t
copy_inline (const char *line, size_t n, char *out)
{
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        char c = line [i];
        if (c == '*' || (c == '_' && (i + 1 < n && line [i + 1] == '_')))
            continue;
        if (c == '_' && (i == 0 || !isalnum ((unsigned char) line [i - 1])
                         || i + 1 == n || !isalnum ((unsigned char) line [i + 1])))
            continue;
        if (c == '`')
            continue;
        //  Inline HTML that converters leave in ("<sup>th</sup>", "<b>").
        if (c == '<' && i + 1 < n && (isalpha ((unsigned char) line [i + 1]) || line [i + 1] == '/')) {
            const char *close = memchr (line + i, '>', n - i);
            if (close) {
                i = (size_t) (close - line);
                continue;
            }
        }
        if (c == ']' && i + 1 < n && line [i + 1] == '(') {
            const char *close = memchr (line + i, ')', n - i);
            if (close) {
                i = (size_t) (close - line);
                continue;
            }
        }
        if (c == '[' && memchr (line + i, ']', n - i))
            continue;
        out [used++] = c;
    }
    return used;
}

char *
ex_markdown_text (const char *markdown, size_t length, size_t *out_length)
{
    char *out = ow_malloc (length * 2 + 16);
    size_t used = 0, pos = 0;
    ex_span_t line;
    while (ex_next_line (markdown, length, &pos, &line)) {
        size_t i = line.start;
        while (i < line.end && (markdown [i] == ' ' || markdown [i] == '\t'))
            i++;
        while (i < line.end && (markdown [i] == '#' || markdown [i] == '>'))
            i++;
        if (i + 1 < line.end && (markdown [i] == '-' || markdown [i] == '*' || markdown [i] == '+')
        &&  markdown [i + 1] == ' ') {
            memcpy (out + used, "\xE2\x80\xA2", 3);
            used += 3;
            i++;
        }
        else
        if (i + 2 < line.end && strncmp (markdown + i, "---", 3) == 0
        &&  ex_blank (markdown, (ex_span_t) { i + 3, line.end })) {
            out [used++] = '\n';
            continue;
        }
        while (i < line.end && markdown [i] == ' ' && used && out [used - 1] != '\n'
               && (used < 3 || memcmp (out + used - 3, "\xE2\x80\xA2", 3) != 0))
            i++;
        used += copy_inline (markdown + i, line.end - i, out + used);
        out [used++] = '\n';
    }
    out [used] = '\0';
    *out_length = used;
    return out;
}
