/*  ow_csv — reading comma-separated values.

    The current record is kept as one buffer of NUL-terminated fields plus
    an array of offsets into it; both grow as needed and are reused from
    record to record, so reading a file costs a few allocations in all.
*/

#include "ow_csv.h"
#include "ow_pb.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _ow_csv_t {
    const char *data;
    size_t size;
    size_t pos;
    char *owned;                // file contents, when opened from a path
    char comment;
    char *buffer;               // fields of the current record, NUL-separated
    size_t buffer_used, buffer_size;
    size_t *offsets;            // start of each field in buffer
    size_t count, offsets_size;
    size_t line, record_line;
    const char *error;
};

ow_csv_t *
ow_csv_new (const char *data, size_t size)
{
    ow_csv_t *self = ow_calloc (1, sizeof (ow_csv_t));
    self->data = data;
    self->size = size;
    self->line = 1;
    if (size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
        self->pos = 3;
    return self;
}

ow_csv_t *
ow_csv_open (const char *path, char **error)
{
    FILE *file = fopen (path, "rb");
    if (!file) {
        *error = ow_printf ("cannot open %s: %s", path, strerror (errno));
        return NULL;
    }
    size_t size = 0, capacity = 64 * 1024;
    char *data = ow_malloc (capacity);
    size_t got;
    while ((got = fread (data + size, 1, capacity - size, file)) > 0) {
        size += got;
        if (size == capacity)
            data = realloc (data, capacity *= 2);
        if (!data)
            abort ();
    }
    bool failed = ferror (file);
    fclose (file);
    if (failed) {
        free (data);
        *error = ow_printf ("cannot read %s", path);
        return NULL;
    }
    ow_csv_t *self = ow_csv_new (data, size);
    self->owned = data;
    return self;
}

void
ow_csv_destroy (ow_csv_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ow_csv_t *self = *self_p;
    free (self->owned);
    free (self->buffer);
    free (self->offsets);
    free (self);
    *self_p = NULL;
}

void
ow_csv_set_comment (ow_csv_t *self, char comment)
{
    self->comment = comment;
}

static void
put_char (ow_csv_t *self, char c)
{
    if (self->buffer_used == self->buffer_size) {
        self->buffer_size = self->buffer_size ? self->buffer_size * 2 : 256;
        self->buffer = realloc (self->buffer, self->buffer_size);
        if (!self->buffer)
            abort ();
    }
    self->buffer [self->buffer_used++] = c;
}

static void
start_field (ow_csv_t *self)
{
    if (self->count == self->offsets_size) {
        self->offsets_size = self->offsets_size ? self->offsets_size * 2 : 16;
        self->offsets = realloc (self->offsets, self->offsets_size * sizeof (size_t));
        if (!self->offsets)
            abort ();
    }
    self->offsets [self->count++] = self->buffer_used;
}

//  Skips blank lines and comment lines; true when a record follows.
static bool
skip_to_record (ow_csv_t *self)
{
    while (self->pos < self->size) {
        char c = self->data [self->pos];
        if (c == '\r' || c == '\n') {
            if (c == '\n')
                self->line++;
            self->pos++;
        }
        else
        if (self->comment && c == self->comment) {
            const char *eol = memchr (self->data + self->pos, '\n', self->size - self->pos);
            self->pos = eol ? (size_t) (eol - self->data) : self->size;
        }
        else
            return true;
    }
    return false;
}

bool
ow_csv_next (ow_csv_t *self)
{
    self->count = 0;
    self->buffer_used = 0;
    if (self->error || !skip_to_record (self))
        return false;
    self->record_line = self->line;
    start_field (self);
    bool quoted = false;
    while (self->pos < self->size) {
        char c = self->data [self->pos++];
        if (quoted) {
            if (c == '"') {
                if (self->pos < self->size && self->data [self->pos] == '"') {
                    put_char (self, '"');
                    self->pos++;
                }
                else
                    quoted = false;
            }
            else {
                if (c == '\n')
                    self->line++;
                put_char (self, c);
            }
        }
        else
        if (c == '"')
            quoted = true;
        else
        if (c == ',') {
            put_char (self, '\0');
            start_field (self);
        }
        else
        if (c == '\n') {
            self->line++;
            break;
        }
        else
        if (c == '\r' && self->pos < self->size && self->data [self->pos] == '\n')
            ;   //  the \n ends the record
        else
            put_char (self, c);
    }
    put_char (self, '\0');
    if (quoted) {
        self->error = "a quoted field is not closed";
        return false;
    }
    return true;
}

size_t
ow_csv_count (const ow_csv_t *self)
{
    return self->count;
}

const char *
ow_csv_field (const ow_csv_t *self, size_t index)
{
    return index < self->count ? self->buffer + self->offsets [index] : "";
}

int
ow_csv_find (const ow_csv_t *self, const char *name)
{
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (ow_csv_field (self, i), name) == 0)
            return (int) i;
    return -1;
}

const char *
ow_csv_error (const ow_csv_t *self)
{
    return self->error;
}

size_t
ow_csv_line (const ow_csv_t *self)
{
    return self->record_line;
}

//  ---------------------------------------------------------------------
//  Writing

struct _ow_csv_writer_t {
    FILE *out;
    bool started;               // the byte order mark is written
    bool in_record;             // a field of the current record is written
    bool failed;
};

ow_csv_writer_t *
ow_csv_writer_new (FILE *out)
{
    assert (out);
    ow_csv_writer_t *self = ow_calloc (1, sizeof *self);
    self->out = out;
    return self;
}

bool
ow_csv_writer_destroy (ow_csv_writer_t **self_p)
{
    ow_csv_writer_t *self = *self_p;
    if (!self)
        return true;
    bool ok = !self->failed && fflush (self->out) == 0 && !ferror (self->out);
    free (self);
    *self_p = NULL;
    return ok;
}

static void
put (ow_csv_writer_t *self, const char *bytes, size_t length)
{
    if (length && fwrite (bytes, 1, length, self->out) != length)
        self->failed = true;
}

bool
ow_csv_is_formula (const char *value)
{
    return value && *value && strchr ("=+-@\t\r", *value);
}

char *
ow_csv_cell (const char *value)
{
    value = value ? value : "";
    return ow_csv_is_formula (value) ? ow_printf ("'%s", value) : ow_strdup (value);
}

//  The byte order mark goes before anything else.
static void
start (ow_csv_writer_t *self)
{
    if (!self->started) {
        put (self, "\xEF\xBB\xBF", 3);
        self->started = true;
    }
}

void
ow_csv_write (ow_csv_writer_t *self, const char *value)
{
    start (self);
    if (self->in_record)
        put (self, ",", 1);
    self->in_record = true;
    char *cell = ow_csv_cell (value);
    if (!strpbrk (cell, ",\"\r\n"))
        put (self, cell, strlen (cell));
    else {
        put (self, "\"", 1);
        for (const char *run = cell; *run;) {
            //  Up to and with the next quote, which is then doubled.
            const char *quote = strchr (run, '"');
            size_t length = quote ? (size_t) (quote - run) + 1 : strlen (run);
            put (self, run, length);
            if (quote)
                put (self, "\"", 1);
            run += length;
        }
        put (self, "\"", 1);
    }
    free (cell);
}

void
ow_csv_end_record (ow_csv_writer_t *self)
{
    start (self);
    put (self, "\r\n", 2);
    self->in_record = false;
}
