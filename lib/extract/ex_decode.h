/*  ex_decode — from a document's bytes to UTF-8 text.

    Decides what a file is by its content, never its name alone (a web
    page saved as ".pdf" is a web page), then turns it into the plain
    UTF-8 text the parsers read: PDF through poppler, HTML through
    libxml2's HTML parser, Markdown without markup, text checked as UTF-8
    or converted by iconv from UTF-16, Windows-1252 or ISO-8859-1. Input that is none of these is refused with a sentence
    saying why.
*/
#ifndef EX_DECODE_H
#define EX_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    EX_MEDIA_PDF, EX_MEDIA_HTML, EX_MEDIA_JSON, EX_MEDIA_CSV,
    EX_MEDIA_MARKDOWN, EX_MEDIA_TEXT
} ex_media_t;

//  What the bytes are; the file name only breaks ties between text forms
//  (a ".md" file whose content could be plain text).
ex_media_t ex_sniff (const uint8_t *bytes, size_t size, const char *file_name);

//  The media type for section 4: "application/pdf", "text/html", ...
const char *ex_media_type (ex_media_t media);

//  True when the bytes are valid UTF-8 (no overlong forms, surrogates or
//  code points past U+10FFFF).
bool ex_is_utf8 (const uint8_t *bytes, size_t size);

//  Text as UTF-8 (dropping a byte order mark, turning CRLF and CR into
//  LF): UTF-16 with its byte order mark, UTF-8, or else Windows-1252 or
//  ISO-8859-1, converted by iconv. NULL and *error (caller frees) for
//  binary data and for a mixture of UTF-8 and other bytes. Caller frees
//  the result.
char *ex_decode_utf8 (const uint8_t *bytes, size_t size, size_t *length, char **error);

//  Decodes any medium to text (JSON and CSV stay as their UTF-8 source).
//  Caller frees the result.
char *ex_decode (ex_media_t media, const uint8_t *bytes, size_t size,
                 size_t *length, char **error);

#endif
