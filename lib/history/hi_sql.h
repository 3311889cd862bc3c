/*  hi_sql — many rows in one round trip, and the one way arrays travel
    to PostgreSQL.

    A document can bring a handful of facts (a report) or a hundred
    thousand (a records feed), and they are written in the same few round
    trips, whatever the count. Two ways, each for its case:

    - an array literal per column, passed as one parameter of a prepared
      statement that unnests them (INSERT ... SELECT ... FROM
      unnest($1::text[], ...)), for rows whose outcome the writer needs back
      (RETURNING, ON CONFLICT DO NOTHING);
    - COPY ... FROM STDIN, for the large row sets nothing is read back from
      (findings, events), streamed to the server in chunks so memory stays
      flat however many rows there are.

    Values are parameters or COPY data, never SQL text, so the quoting
    here is about PostgreSQL's array and COPY text syntax, not injection.
    Every array parameter anywhere (facts, event keys, query filters, the
    register's neighbours) is built here; arrays are read back as rows
    (unnest), never parsed from their text form.
*/
#ifndef HI_SQL_H
#define HI_SQL_H

#include "ow_db.h"
#include "ow_pb.h"

#include <stdbool.h>
#include <stdint.h>

//  A text parameter: NULL (SQL NULL) for "" or NULL, "not known".
static inline const char *
hi_param (const char *text)
{
    return (text && *text) ? text : NULL;
}

//  A growing array literal: "{"a","b",NULL}".
typedef struct _hi_array_t hi_array_t;

hi_array_t *hi_array_new (void);
void hi_array_destroy (hi_array_t **self_p);

//  Appends an element; NULL is SQL NULL.
void hi_array_add (hi_array_t *self, const char *value);
void hi_array_add_int (hi_array_t *self, int64_t value);
size_t hi_array_count (const hi_array_t *self);

//  The literal so far (valid until the next add or destroy).
const char *hi_array_text (hi_array_t *self);

//  A text[] literal of count strings (NULL items are ""); caller frees.
char *hi_text_array (const char *const *items, size_t count);

//  Runs a lookup keyed by array parameters once, planned for the values
//  it is given. A prepared statement's plan is made for any values and
//  kept: made while the tables are nearly empty (a new database), it
//  joins an array of keys by scanning the whole table, and goes on doing
//  so for every document once the table holds the national record. A
//  plan made for the values at hand probes the index. Returns the result
//  (caller PQclear()s) or NULL on failure (logged).
PGresult *hi_query (ow_db_t *db, const char *sql, int count, const char *const *values);

//  Rows streamed into COPY ... FROM STDIN (text format).
typedef struct _hi_copy_t hi_copy_t;

//  Starts `sql` ("COPY table (columns) FROM STDIN") in the current
//  transaction. NULL on failure (logged).
hi_copy_t *hi_copy_begin (ow_db_t *db, const char *sql);

//  The next field of the current row; NULL is SQL NULL.
void hi_copy_text (hi_copy_t *self, const char *value);
void hi_copy_int (hi_copy_t *self, int64_t value);
void hi_copy_bytea (hi_copy_t *self, const uint8_t *data, size_t size);

//  Ends the current row.
void hi_copy_end_row (hi_copy_t *self);

//  Ends the COPY and destroys it: true when the server took every row
//  (a failure is logged, and the transaction must be rolled back).
bool hi_copy_end (hi_copy_t **self_p);

#endif
