/*  hi_sql — many rows in one round trip; see hi_sql.h.  */

#include "hi_sql.h"
#include "ow_log.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

//  COPY data goes to the server whenever this much has built up.
#define COPY_CHUNK (256 * 1024)

//  A growing byte buffer, always NUL-terminated.
typedef struct {
    char *data;
    size_t size;
    size_t capacity;
} buffer_t;

static void
buffer_reserve (buffer_t *self, size_t more)
{
    if (self->size + more + 1 <= self->capacity)
        return;
    size_t capacity = self->capacity ? self->capacity : 256;
    while (capacity < self->size + more + 1)
        capacity *= 2;
    char *grown = realloc (self->data, capacity);
    assert (grown);
    self->data = grown;
    self->capacity = capacity;
}

static void
buffer_add (buffer_t *self, const char *bytes, size_t size)
{
    buffer_reserve (self, size);
    memcpy (self->data + self->size, bytes, size);
    self->size += size;
    self->data [self->size] = 0;
}

static void
buffer_add_char (buffer_t *self, char c)
{
    buffer_add (self, &c, 1);
}

static void
buffer_add_int (buffer_t *self, int64_t value)
{
    char digits [24];
    int length = snprintf (digits, sizeof digits, "%" PRId64, value);
    buffer_add (self, digits, (size_t) length);
}

//  Appends text with each byte in `special` preceded by a backslash, or
//  replaced by the letter `replacements` gives at the same position.
static void
buffer_add_escaped (buffer_t *self, const char *text, const char *special,
                    const char *replacements)
{
    //  strcspn skips each clean run at once: a finding's text is one long
    //  run with nothing to escape.
    const char *run = text;
    for (;;) {
        size_t clean = strcspn (run, special);
        buffer_add (self, run, clean);
        if (!run [clean])
            break;
        const char *hit = strchr (special, run [clean]);
        buffer_add_char (self, '\\');
        buffer_add_char (self, replacements [hit - special]);
        run += clean + 1;
    }
}

// ---------------------------------------------------------------------------
//  Array literals

struct _hi_array_t {
    buffer_t text;              // "{" and the elements so far
    size_t count;
};

hi_array_t *
hi_array_new (void)
{
    hi_array_t *self = ow_calloc (1, sizeof *self);
    buffer_add_char (&self->text, '{');
    return self;
}

void
hi_array_destroy (hi_array_t **self_p)
{
    hi_array_t *self = *self_p;
    if (!self)
        return;
    free (self->text.data);
    free (self);
    *self_p = NULL;
}

static void
array_separate (hi_array_t *self)
{
    if (self->count++)
        buffer_add_char (&self->text, ',');
}

void
hi_array_add (hi_array_t *self, const char *value)
{
    array_separate (self);
    if (!value) {
        buffer_add (&self->text, "NULL", 4);
        return;
    }
    //  Every element quoted, so empty strings, spaces, commas and the word
    //  NULL stay text.
    buffer_add_char (&self->text, '"');
    buffer_add_escaped (&self->text, value, "\"\\", "\"\\");
    buffer_add_char (&self->text, '"');
}

void
hi_array_add_int (hi_array_t *self, int64_t value)
{
    array_separate (self);
    buffer_add_int (&self->text, value);
}

size_t
hi_array_count (const hi_array_t *self)
{
    return self->count;
}

const char *
hi_array_text (hi_array_t *self)
{
    //  The closing brace is added for the reader and taken off again, so
    //  adding can go on.
    buffer_add_char (&self->text, '}');
    self->text.size--;
    return self->text.data;
}

char *
hi_text_array (const char *const *items, size_t count)
{
    hi_array_t *array = hi_array_new ();
    for (size_t i = 0; i < count; i++)
        hi_array_add (array, items [i] ? items [i] : "");
    char *literal = ow_strdup (hi_array_text (array));
    hi_array_destroy (&array);
    return literal;
}

// ---------------------------------------------------------------------------
//  Lookups planned for their values

//  The connection of the transaction in hand, never a new one: a new one
//  would be outside the transaction. NULL (logged) when there is none.
static PGconn *
connection_of (ow_db_t *db, const char *sql)
{
    PGconn *connection = ow_db_connection (db);
    if (!connection || PQstatus (connection) != CONNECTION_OK) {
        ow_error ("statement failed", "statement", sql, "reason", "no connection");
        return NULL;
    }
    return connection;
}

static void
log_failure (const char *sql, const char *reason)
{
    char *line = ow_strdup (reason && *reason ? reason : "unknown");
    line [strcspn (line, "\n")] = 0;
    ow_error ("statement failed", "statement", sql, "reason", line);
    free (line);
}

PGresult *
hi_query (ow_db_t *db, const char *sql, int count, const char *const *values)
{
    PGconn *connection = connection_of (db, sql);
    if (!connection)
        return NULL;
    PGresult *result = PQexecParams (connection, sql, count, NULL, values, NULL, NULL, 0);
    if (PQresultStatus (result) != PGRES_TUPLES_OK) {
        log_failure (sql, PQresultErrorMessage (result));
        PQclear (result);
        return NULL;
    }
    return result;
}

// ---------------------------------------------------------------------------
//  COPY FROM STDIN

struct _hi_copy_t {
    char *sql;                  // for error messages
    PGconn *connection;
    buffer_t pending;           // rows not sent yet
    size_t fields;              // in the current row
    bool failed;
};

static void
copy_failed (hi_copy_t *self, const char *reason)
{
    if (!self->failed)
        log_failure (self->sql, reason);
    self->failed = true;
}

hi_copy_t *
hi_copy_begin (ow_db_t *db, const char *sql)
{
    PGconn *connection = connection_of (db, sql);
    if (!connection)
        return NULL;
    hi_copy_t *self = ow_calloc (1, sizeof *self);
    self->sql = ow_strdup (sql);
    self->connection = connection;
    PGresult *result = PQexec (self->connection, sql);
    if (PQresultStatus (result) != PGRES_COPY_IN) {
        copy_failed (self, PQresultErrorMessage (result));
        PQclear (result);
        free (self->sql);
        free (self);
        return NULL;
    }
    PQclear (result);
    return self;
}

static void
copy_flush (hi_copy_t *self)
{
    if (self->pending.size && !self->failed
    &&  PQputCopyData (self->connection, self->pending.data, (int) self->pending.size) != 1)
        copy_failed (self, PQerrorMessage (self->connection));
    self->pending.size = 0;
}

static void
copy_separate (hi_copy_t *self)
{
    if (self->fields++)
        buffer_add_char (&self->pending, '\t');
}

void
hi_copy_text (hi_copy_t *self, const char *value)
{
    copy_separate (self);
    if (value)
        buffer_add_escaped (&self->pending, value, "\\\t\n\r", "\\tnr");
    else
        buffer_add (&self->pending, "\\N", 2);
}

void
hi_copy_int (hi_copy_t *self, int64_t value)
{
    copy_separate (self);
    buffer_add_int (&self->pending, value);
}

void
hi_copy_bytea (hi_copy_t *self, const uint8_t *data, size_t size)
{
    static const char hex [] = "0123456789abcdef";
    copy_separate (self);
    //  bytea's hex input form, \x..., with its backslash escaped for COPY.
    buffer_reserve (&self->pending, 3 + 2 * size);
    char *out = self->pending.data + self->pending.size;
    *out++ = '\\';
    *out++ = '\\';
    *out++ = 'x';
    for (size_t i = 0; i < size; i++) {
        *out++ = hex [data [i] >> 4];
        *out++ = hex [data [i] & 15];
    }
    self->pending.size += 3 + 2 * size;
    self->pending.data [self->pending.size] = 0;
}

void
hi_copy_end_row (hi_copy_t *self)
{
    buffer_add_char (&self->pending, '\n');
    self->fields = 0;
    if (self->pending.size >= COPY_CHUNK)
        copy_flush (self);
}

bool
hi_copy_end (hi_copy_t **self_p)
{
    hi_copy_t *self = *self_p;
    if (!self)
        return false;
    copy_flush (self);
    //  A failed COPY is ended with an error, so the server stops it.
    if (PQputCopyEnd (self->connection, self->failed ? "the rows could not be sent" : NULL) != 1)
        copy_failed (self, PQerrorMessage (self->connection));
    PGresult *result;
    while ((result = PQgetResult (self->connection)) != NULL) {
        if (PQresultStatus (result) != PGRES_COMMAND_OK)
            copy_failed (self, PQresultErrorMessage (result));
        PQclear (result);
    }
    bool ok = !self->failed;
    free (self->pending.data);
    free (self->sql);
    free (self);
    *self_p = NULL;
    return ok;
}
