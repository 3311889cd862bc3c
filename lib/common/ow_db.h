/*  ow_db — one PostgreSQL connection with named prepared statements.

    Store, analytics and notify each hold one. Statements are registered
    once by name and prepared again after every reconnect, so callers
    never think about the connection's life: they run a statement by name
    and look at the result. A lost connection is logged once per outage
    and retried on the next use. SQL text is fixed at registration; values
    only ever travel as parameters.
*/
#ifndef OW_DB_H
#define OW_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

typedef struct _ow_db_t ow_db_t;

ow_db_t *ow_db_new (const char *conninfo, const char *who);
void ow_db_destroy (ow_db_t **self_p);

//  SQL run after every (re)connect, e.g. to make the session read-only.
void ow_db_on_connect (ow_db_t *self, const char *sql);

//  Registers a statement to prepare on every (re)connect.
void ow_db_statement (ow_db_t *self, const char *name, const char *sql);

//  Connects (or reconnects) when needed. False when PostgreSQL cannot be
//  reached; the cause is logged once per outage.
bool ow_db_ready (ow_db_t *self);

PGconn *ow_db_connection (ow_db_t *self);

//  Runs a registered statement with text parameters (NULL is SQL NULL).
//  Returns the result (caller PQclear()s) or NULL on failure, logged.
PGresult *ow_db_run (ow_db_t *self, const char *name, int count, const char *const *values);

//  The same with per-parameter lengths and formats (1 = binary, for bytea).
PGresult *ow_db_run_binary (ow_db_t *self, const char *name, int count,
                            const char *const *values, const int *lengths,
                            const int *formats);

//  Runs a fixed command without parameters (BEGIN, COMMIT, ROLLBACK, DDL).
bool ow_db_exec (ow_db_t *self, const char *sql);

//  True when the last failure was a lost connection rather than an error
//  in the statement (so the caller may retry rather than refuse).
bool ow_db_lost (ow_db_t *self);

//  Shorthands on results.
bool ow_db_ok (const PGresult *result);
const char *ow_db_value (const PGresult *result, int row, int column);   // NULL for SQL NULL

#endif
