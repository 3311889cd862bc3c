/*  ex_decode — from a document's bytes to UTF-8 text.

    Sniffing looks at the first kilobytes only. Text is converted by
    iconv: UTF-16 when a byte order mark says so, else UTF-8 when the
    bytes are, else Windows-1252 (ISO-8859-1 for the five bytes it leaves
    undefined) when the bytes hold no valid multi-byte UTF-8 sequence at
    all: text from old council systems is either all one or all the other,
    while a mixture means a damaged file. HTML pages go to libxml2 as
    bytes, since a page declares its own charset.
*/

#include "ex_decode.h"
#include "ex_html.h"
#include "ex_markdown.h"
#include "ex_pdf.h"
#include "ow_pb.h"

#include <ctype.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SNIFF_WINDOW 4096

static bool
has_suffix (const char *name, const char *suffix)
{
    size_t n = name ? strlen (name) : 0, s = strlen (suffix);
    return n >= s && strcasecmp (name + n - s, suffix) == 0;
}

static size_t
skip_space_and_bom (const uint8_t *bytes, size_t size)
{
    size_t i = size >= 3 && memcmp (bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < size && isspace (bytes [i]))
        i++;
    return i;
}

static bool
window_has (const uint8_t *bytes, size_t size, const char *needle)
{
    size_t window = size < SNIFF_WINDOW ? size : SNIFF_WINDOW;
    size_t n = strlen (needle);
    for (size_t i = 0; i + n <= window; i++)
        if (strncasecmp ((const char *) bytes + i, needle, n) == 0)
            return true;
    return false;
}

//  A CSV file: its first line has three or more commas and the next line
//  as many (quotes aside), or it names section 6 columns.
static bool
looks_like_csv (const uint8_t *bytes, size_t size, size_t start)
{
    size_t commas [2] = { 0, 0 }, line = 0;
    bool quoted = false;
    size_t window = size < SNIFF_WINDOW ? size : SNIFF_WINDOW;
    for (size_t i = start; i < window && line < 2; i++) {
        if (bytes [i] == '"')
            quoted = !quoted;
        else
        if (!quoted && bytes [i] == ',')
            commas [line]++;
        else
        if (!quoted && bytes [i] == '\n')
            line++;
    }
    if (commas [0] >= 3 && window_has (bytes, size, "local_authority"))
        return true;
    return commas [0] >= 3 && commas [0] == commas [1];
}

static bool
looks_like_markdown (const uint8_t *bytes, size_t size, size_t start)
{
    if (start < size && bytes [start] == '#'
    &&  start + 1 < size && (bytes [start + 1] == ' ' || bytes [start + 1] == '#'))
        return true;
    return window_has (bytes, size, "\n## ") || window_has (bytes, size, "\n# ");
}

ex_media_t
ex_sniff (const uint8_t *bytes, size_t size, const char *file_name)
{
    size_t start = skip_space_and_bom (bytes, size);
    //  PDF readers accept the header anywhere in the first kilobyte.
    size_t window = size < 1024 ? size : 1024;
    for (size_t i = 0; i + 5 <= window; i++)
        if (memcmp (bytes + i, "%PDF-", 5) == 0)
            return EX_MEDIA_PDF;
    if (start < size && bytes [start] == '<'
    &&  (window_has (bytes, size, "<html") || window_has (bytes, size, "<!doctype html")
      || window_has (bytes, size, "<body") || window_has (bytes, size, "<head")
      || window_has (bytes, size, "<p>") || window_has (bytes, size, "<div")))
        return EX_MEDIA_HTML;
    if (start < size && (bytes [start] == '{' || bytes [start] == '['))
        return EX_MEDIA_JSON;
    if (looks_like_csv (bytes, size, start))
        return EX_MEDIA_CSV;
    if (has_suffix (file_name, ".md") || has_suffix (file_name, ".markdown")
    ||  looks_like_markdown (bytes, size, start))
        return EX_MEDIA_MARKDOWN;
    return EX_MEDIA_TEXT;
}

const char *
ex_media_type (ex_media_t media)
{
    switch (media) {
        case EX_MEDIA_PDF:      return "application/pdf";
        case EX_MEDIA_HTML:     return "text/html";
        case EX_MEDIA_JSON:     return "application/json";
        case EX_MEDIA_CSV:      return "text/csv";
        case EX_MEDIA_MARKDOWN: return "text/markdown";
        case EX_MEDIA_TEXT:     return "text/plain";
    }
    return "application/octet-stream";
}

//  Length of the valid UTF-8 sequence at bytes [i], 0 when invalid.
static size_t
utf8_length (const uint8_t *b, size_t size, size_t i)
{
    uint8_t c = b [i];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
             : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > size)
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((b [i + k] & 0xC0) != 0x80)
            return 0;
    //  Overlong forms, surrogates and code points past U+10FFFF.
    if ((n == 2 && c < 0xC2)
    ||  (n == 3 && c == 0xE0 && b [i + 1] < 0xA0)
    ||  (n == 3 && c == 0xED && b [i + 1] >= 0xA0)
    ||  (n == 4 && c == 0xF0 && b [i + 1] < 0x90)
    ||  (n == 4 && (c > 0xF4 || (c == 0xF4 && b [i + 1] >= 0x90))))
        return 0;
    return n;
}

bool
ex_is_utf8 (const uint8_t *bytes, size_t size)
{
    for (size_t i = 0; i < size;) {
        size_t n = utf8_length (bytes, size, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

//  Converts bytes in `charset` to UTF-8 through iconv; NULL when iconv
//  does not know the charset or the bytes are not in it. Caller frees.
static char *
convert (const uint8_t *bytes, size_t size, const char *charset, size_t *length)
{
    iconv_t cd = iconv_open ("UTF-8", charset);
    if (cd == (iconv_t) -1)
        return NULL;
    //  Four bytes out at most per byte in (UTF-16 and 8-bit sets alike).
    size_t room = size * 4 + 4;
    char *out = ow_malloc (room);
    char *in = (char *) bytes, *to = out;
    size_t in_left = size, out_left = room - 1;
    size_t done = iconv (cd, &in, &in_left, &to, &out_left);
    if (done != (size_t) -1)
        done = iconv (cd, NULL, NULL, &to, &out_left);      //  flush any shift state
    iconv_close (cd);
    if (done == (size_t) -1) {
        free (out);
        return NULL;
    }
    *to = '\0';
    *length = (size_t) (to - out);
    return out;
}

//  Line ends as LF (CRLF and CR from old systems), in place.
static size_t
normalise_line_ends (char *text, size_t length)
{
    size_t used = 0;
    for (size_t i = 0; i < length; i++) {
        if (text [i] == '\r') {
            text [used++] = '\n';
            if (i + 1 < length && text [i + 1] == '\n')
                i++;
        }
        else
            text [used++] = text [i];
    }
    text [used] = '\0';
    return used;
}

//  Control bytes other than tab, line feed, form feed and carriage
//  return: more than a few means this is no text.
static bool
is_binary (const uint8_t *bytes, size_t size)
{
    size_t controls = 0;
    for (size_t i = 0; i < size; i++) {
        uint8_t c = bytes [i];
        if (c == 0)
            return true;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            controls++;
    }
    return controls > 8 && controls * 100 > size;
}

//  The byte order marks of UTF-16, which iconv reads (and drops) itself.
static const char *
utf16_charset (const uint8_t *bytes, size_t size)
{
    if (size >= 2 && bytes [0] == 0xFF && bytes [1] == 0xFE)
        return "UTF-16";
    if (size >= 2 && bytes [0] == 0xFE && bytes [1] == 0xFF)
        return "UTF-16";
    return NULL;
}

char *
ex_decode_utf8 (const uint8_t *bytes, size_t size, size_t *length, char **error)
{
    char *text = NULL;
    const char *utf16 = utf16_charset (bytes, size);
    if (utf16) {
        text = convert (bytes, size, utf16, length);
        if (!text) {
            *error = ow_strdup ("the text starts with a UTF-16 byte order mark but is not UTF-16");
            return NULL;
        }
        *length = normalise_line_ends (text, *length);
        return text;
    }
    if (size >= 3 && memcmp (bytes, "\xEF\xBB\xBF", 3) == 0) {
        bytes += 3;
        size -= 3;
    }
    if (is_binary (bytes, size)) {
        *error = ow_strdup ("the file is binary data, not a document");
        return NULL;
    }
    size_t multibyte = 0, invalid = 0, first_invalid = 0;
    for (size_t i = 0; i < size;) {
        size_t n = utf8_length (bytes, size, i);
        if (n == 0) {
            if (invalid++ == 0)
                first_invalid = i;
            i++;
        }
        else {
            multibyte += n > 1;
            i += n;
        }
    }
    //  Text from old council systems is all UTF-8 or all a legacy 8-bit
    //  set; a mixture is a damaged file.
    if (invalid && multibyte) {
        *error = ow_printf ("the text is not valid UTF-8 (byte %zu) nor Windows-1252",
                            first_invalid);
        return NULL;
    }
    if (!invalid) {
        text = ow_malloc (size + 1);
        memcpy (text, bytes, size);
        *length = size;
    }
    else {
        //  Windows-1252, else ISO-8859-1 (which has every byte): the five
        //  bytes Windows-1252 leaves undefined are ISO-8859-1's controls.
        text = convert (bytes, size, "WINDOWS-1252", length);
        if (!text)
            text = convert (bytes, size, "ISO-8859-1", length);
        if (!text) {
            *error = ow_printf ("the text is neither UTF-8 nor Windows-1252 (byte 0x%02X at %zu)",
                                bytes [first_invalid], first_invalid);
            return NULL;
        }
    }
    *length = normalise_line_ends (text, *length);
    return text;
}

char *
ex_decode (ex_media_t media, const uint8_t *bytes, size_t size,
           size_t *length, char **error)
{
    if (media == EX_MEDIA_PDF)
        return ex_pdf_text (bytes, size, length, error);
    if (media == EX_MEDIA_HTML)
        return ex_html_text (bytes, size, length, error);
    char *text = ex_decode_utf8 (bytes, size, length, error);
    if (!text)
        return NULL;
    char *plain = NULL;
    if (media == EX_MEDIA_MARKDOWN)
        plain = ex_markdown_text (text, *length, length);
    if (plain) {
        free (text);
        text = plain;
    }
    return text;
}
