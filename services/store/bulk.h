/*  bulk — many rows in one round trip.

    A document can bring a handful of facts (a report) or a hundred
    thousand (a records feed), and store writes both in the same few round
    trips, whatever the count. Two ways, each for its case:

    - an array literal per column, passed as one parameter of a prepared
      statement that unnests them (INSERT ... SELECT ... FROM
      unnest($1::text[], ...)), for rows whose outcome store needs back
      (RETURNING, ON CONFLICT DO NOTHING);
    - COPY ... FROM STDIN, for the large row sets nothing is read back from
      (findings, events), streamed to the server in chunks so memory stays
      flat however many rows there are.

    Values are parameters or COPY data, never SQL text, so the quoting
    here is about PostgreSQL's array and COPY text syntax, not injection.
*/
#ifndef STORE_BULK_H
#define STORE_BULK_H

#include "store.h"

//  A growing array literal: "{"a","b",NULL}".
typedef struct _store_array_t store_array_t;

store_array_t *store_array_new (void);
void store_array_destroy (store_array_t **self_p);

//  Appends an element; NULL is SQL NULL.
void store_array_add (store_array_t *self, const char *value);
void store_array_add_int (store_array_t *self, int64_t value);
size_t store_array_count (const store_array_t *self);

//  The literal so far (valid until the next add or destroy).
const char *store_array_text (store_array_t *self);

//  Runs a lookup keyed by array parameters once, planned for the values
//  it is given. A prepared statement's plan is made for any values and
//  kept: made while the tables are nearly empty (a new database), it
//  joins an array of keys by scanning the whole table, and goes on doing
//  so for every document once the table holds the national record. A
//  plan made for the values at hand probes the index. Returns the result
//  (caller PQclear()s) or NULL on failure (logged).
PGresult *store_bulk_query (store_t *store, const char *sql, int count,
                            const char *const *values);

//  Rows streamed into COPY ... FROM STDIN (text format).
typedef struct _store_copy_t store_copy_t;

//  Starts `sql` ("COPY table (columns) FROM STDIN") in the current
//  transaction. NULL on failure (logged).
store_copy_t *store_copy_begin (store_t *store, const char *sql);

//  The next field of the current row; NULL is SQL NULL.
void store_copy_text (store_copy_t *self, const char *value);
void store_copy_int (store_copy_t *self, int64_t value);
void store_copy_bytea (store_copy_t *self, const uint8_t *data, size_t size);

//  Ends the current row.
void store_copy_end_row (store_copy_t *self);

//  Ends the COPY and destroys it: true when the server took every row
//  (a failure is logged, and the transaction must be rolled back).
bool store_copy_end (store_copy_t **self_p);

#endif
