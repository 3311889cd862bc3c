/*  ow_json — writing JSON text; see ow_json.h.

    Invariant: `need_comma [depth]` says whether a value already stands at
    the current nesting level, so the next one needs a comma first; after
    a key, `after_key` suppresses it for the value.
*/

#include "ow_json.h"
#include "ow_pb.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct _ow_json_t {
    char *buffer;
    size_t length;
    size_t capacity;
    int depth;
    bool need_comma [MAX_DEPTH];
    bool after_key;
};

ow_json_t *
ow_json_new (void)
{
    ow_json_t *self = ow_calloc (1, sizeof *self);
    self->capacity = 256;
    self->buffer = ow_malloc (self->capacity);
    self->buffer [0] = 0;
    return self;
}

void
ow_json_destroy (ow_json_t **self_p)
{
    if (*self_p) {
        free ((*self_p)->buffer);
        free (*self_p);
        *self_p = NULL;
    }
}

void
ow_json_reset (ow_json_t *self)
{
    self->length = 0;
    self->buffer [0] = 0;
    self->depth = 0;
    self->need_comma [0] = false;
    self->after_key = false;
}

static void
append (ow_json_t *self, const char *bytes, size_t count)
{
    if (self->length + count + 1 > self->capacity) {
        while (self->length + count + 1 > self->capacity)
            self->capacity *= 2;
        char *grown = realloc (self->buffer, self->capacity);
        if (!grown)
            abort ();
        self->buffer = grown;
    }
    memcpy (self->buffer + self->length, bytes, count);
    self->length += count;
    self->buffer [self->length] = 0;
}

static void
append_text (ow_json_t *self, const char *text)
{
    append (self, text, strlen (text));
}

//  Called before every value and key: writes the separating comma.
static void
separate (ow_json_t *self)
{
    if (self->after_key) {
        self->after_key = false;
        return;
    }
    if (self->need_comma [self->depth])
        append (self, ",", 1);
    self->need_comma [self->depth] = true;
}

static void
open_level (ow_json_t *self, char bracket)
{
    separate (self);
    append (self, &bracket, 1);
    if (self->depth < MAX_DEPTH - 1)
        self->depth++;
    self->need_comma [self->depth] = false;
}

static void
close_level (ow_json_t *self, char bracket)
{
    if (self->depth > 0)
        self->depth--;
    append (self, &bracket, 1);
}

void ow_json_object_begin (ow_json_t *self) { open_level (self, '{'); }
void ow_json_object_end (ow_json_t *self)   { close_level (self, '}'); }
void ow_json_array_begin (ow_json_t *self)  { open_level (self, '['); }
void ow_json_array_end (ow_json_t *self)    { close_level (self, ']'); }

//  Length of the valid UTF-8 sequence at s (at most `left` bytes), or 0.
static size_t
utf8_sequence (const unsigned char *s, size_t left)
{
    size_t length;
    uint32_t min;
    if (s [0] < 0x80)                return 1;
    else if ((s [0] & 0xE0) == 0xC0) { length = 2; min = 0x80; }
    else if ((s [0] & 0xF0) == 0xE0) { length = 3; min = 0x800; }
    else if ((s [0] & 0xF8) == 0xF0) { length = 4; min = 0x10000; }
    else                             return 0;
    if (length > left)
        return 0;
    uint32_t code = s [0] & (0x7F >> length);
    for (size_t i = 1; i < length; i++) {
        if ((s [i] & 0xC0) != 0x80)
            return 0;
        code = (code << 6) | (s [i] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    return length;
}

static void
append_escaped (ow_json_t *self, const char *value, size_t length)
{
    const unsigned char *s = (const unsigned char *) value;
    append (self, "\"", 1);
    size_t i = 0;
    while (i < length) {
        size_t run = i;
        //  Copy plain runs in one go: this is the hot path.
        while (run < length && s [run] >= 0x20 && s [run] < 0x80
               && s [run] != '"' && s [run] != '\\')
            run++;
        append (self, value + i, run - i);
        i = run;
        if (i >= length)
            break;
        unsigned char c = s [i];
        if (c == '"')       { append (self, "\\\"", 2); i++; }
        else if (c == '\\') { append (self, "\\\\", 2); i++; }
        else if (c == '\n') { append (self, "\\n", 2); i++; }
        else if (c == '\r') { append (self, "\\r", 2); i++; }
        else if (c == '\t') { append (self, "\\t", 2); i++; }
        else if (c < 0x20) {
            char escape [8];
            snprintf (escape, sizeof escape, "\\u%04x", c);
            append_text (self, escape);
            i++;
        }
        else {
            size_t sequence = utf8_sequence (s + i, length - i);
            if (sequence) {
                append (self, value + i, sequence);
                i += sequence;
            }
            else {
                append_text (self, "\xEF\xBF\xBD");
                i++;
            }
        }
    }
    append (self, "\"", 1);
}

void
ow_json_key (ow_json_t *self, const char *key)
{
    separate (self);
    append_escaped (self, key, strlen (key));
    append (self, ":", 1);
    self->after_key = true;
}

void
ow_json_string_n (ow_json_t *self, const char *value, size_t length)
{
    separate (self);
    if (value)
        append_escaped (self, value, length);
    else
        append_text (self, "null");
}

void
ow_json_string (ow_json_t *self, const char *value)
{
    ow_json_string_n (self, value, value ? strlen (value) : 0);
}

void
ow_json_int (ow_json_t *self, int64_t value)
{
    char text [24];
    snprintf (text, sizeof text, "%" PRId64, value);
    separate (self);
    append_text (self, text);
}

void
ow_json_uint (ow_json_t *self, uint64_t value)
{
    char text [24];
    snprintf (text, sizeof text, "%" PRIu64, value);
    separate (self);
    append_text (self, text);
}

void
ow_json_bool (ow_json_t *self, bool value)
{
    separate (self);
    append_text (self, value ? "true" : "false");
}

void
ow_json_null (ow_json_t *self)
{
    separate (self);
    append_text (self, "null");
}

void
ow_json_key_string (ow_json_t *self, const char *key, const char *value)
{
    ow_json_key (self, key);
    ow_json_string (self, value);
}

const char *
ow_json_text (ow_json_t *self)
{
    return self->buffer;
}

size_t
ow_json_length (ow_json_t *self)
{
    return self->length;
}
