/*  ow_csv — reading and writing comma-separated values (RFC 4180 and what
    spreadsheets write and read). Every CSV ofwatch reads or writes goes
    through here.

    One reader walks one buffer record by record. It handles quoted fields
    with doubled quotes and line breaks inside them, CRLF or LF line ends,
    and a UTF-8 byte order mark at the start. Optionally, lines that start
    with a comment character are skipped, for the data files ofwatch ships.
    The reader copies what it returns: fields stay valid until the next
    call to ow_csv_next. Used by the register, the bank holiday and theme
    tables, and the CSV record feeds of extraction.

    The writer writes for spreadsheets, the exports' readers: a UTF-8 byte
    order mark first (without it Excel reads UTF-8 as the local code page
    and mangles "Máire"), CRLF line ends, a field quoted when it holds a
    comma, a quote or a line break, and a cell a spreadsheet would run as
    a formula (one starting with =, +, -, @, a tab or a carriage return)
    written with an apostrophe in front, which spreadsheets show as text.
*/
#ifndef OW_CSV_H
#define OW_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct _ow_csv_t ow_csv_t;

//  A reader over bytes the caller keeps alive while reading.
ow_csv_t *ow_csv_new (const char *data, size_t size);

//  A reader over a whole file, read into memory the reader owns. NULL and
//  *error (caller frees) when the file cannot be read.
ow_csv_t *ow_csv_open (const char *path, char **error);

void ow_csv_destroy (ow_csv_t **self_p);

//  Lines whose first character is `comment` (e.g. '#') are skipped.
void ow_csv_set_comment (ow_csv_t *self, char comment);

//  Advances to the next record. False at the end or on malformed input
//  (then ow_csv_error says why). Blank lines are skipped.
bool ow_csv_next (ow_csv_t *self);

size_t ow_csv_count (const ow_csv_t *self);

//  Field `index` of the current record, or "" past the last one.
const char *ow_csv_field (const ow_csv_t *self, size_t index);

//  Index of the field named `name` in the current record (usually the
//  header), or -1.
int ow_csv_find (const ow_csv_t *self, const char *name);

//  NULL, or why reading stopped early.
const char *ow_csv_error (const ow_csv_t *self);

//  Line number (from 1) where the current record starts.
size_t ow_csv_line (const ow_csv_t *self);

//  ---------------------------------------------------------------------
//  Writing

typedef struct _ow_csv_writer_t ow_csv_writer_t;

//  A writer onto out, which the caller keeps open and closes.
ow_csv_writer_t *ow_csv_writer_new (FILE *out);

//  False when a write failed (the disk is full, the pipe closed).
bool ow_csv_writer_destroy (ow_csv_writer_t **self_p);

//  The next field of the current record; NULL is written as empty.
void ow_csv_write (ow_csv_writer_t *self, const char *value);

//  Ends the current record.
void ow_csv_end_record (ow_csv_writer_t *self);

//  Whether a spreadsheet would take value as a formula to run.
bool ow_csv_is_formula (const char *value);

//  value as a spreadsheet should store it: prefixed with an apostrophe
//  when it looks like a formula, else itself. Caller frees.
char *ow_csv_cell (const char *value);

#endif
