/*  ow_db — one PostgreSQL connection with named prepared statements.  */

#include "ow_db.h"
#include "ow_log.h"
#include "ow_pb.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *name;
    char *sql;
} statement_t;

struct _ow_db_t {
    char *conninfo;
    char *who;
    PGconn *connection;
    statement_t *statements;
    size_t n_statements;
    char *on_connect;
    bool outage_logged;
    bool lost;
};

ow_db_t *
ow_db_new (const char *conninfo, const char *who)
{
    ow_db_t *self = ow_calloc (1, sizeof *self);
    self->conninfo = ow_strdup (conninfo);
    self->who = ow_strdup (who);
    return self;
}

void
ow_db_destroy (ow_db_t **self_p)
{
    ow_db_t *self = *self_p;
    if (!self)
        return;
    if (self->connection)
        PQfinish (self->connection);
    for (size_t i = 0; i < self->n_statements; i++) {
        free (self->statements [i].name);
        free (self->statements [i].sql);
    }
    free (self->statements);
    free (self->on_connect);
    free (self->conninfo);
    free (self->who);
    free (self);
    *self_p = NULL;
}

void
ow_db_on_connect (ow_db_t *self, const char *sql)
{
    free (self->on_connect);
    self->on_connect = ow_strdup (sql);
}

//  A statement that cannot be prepared. A table not there yet is the
//  normal start of a service beside a new database, before store has
//  migrated it (the statements are prepared again on the next try), so
//  it is told as waiting, not as an error.
static void
log_unprepared (const char *name, const PGresult *result)
{
    const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
    if (state && (strcmp (state, "42P01") == 0 || strcmp (state, "3F000") == 0))
        ow_info ("waiting for store to create the tables", "statement", name);
    else
        ow_error ("cannot prepare statement", "statement", name,
                  "reason", PQresultErrorMessage (result));
}

void
ow_db_statement (ow_db_t *self, const char *name, const char *sql)
{
    statement_t *grown = realloc (self->statements, (self->n_statements + 1) * sizeof *grown);
    if (!grown)
        abort ();
    self->statements = grown;
    self->statements [self->n_statements].name = ow_strdup (name);
    self->statements [self->n_statements].sql = ow_strdup (sql);
    self->n_statements++;
    //  Registered after connecting: prepare now as well.
    if (self->connection && PQstatus (self->connection) == CONNECTION_OK) {
        PGresult *result = PQprepare (self->connection, name, sql, 0, NULL);
        if (PQresultStatus (result) != PGRES_COMMAND_OK)
            log_unprepared (name, result);
        PQclear (result);
    }
}

static bool
prepare_all (ow_db_t *self)
{
    for (size_t i = 0; i < self->n_statements; i++) {
        PGresult *result = PQprepare (self->connection, self->statements [i].name,
                                      self->statements [i].sql, 0, NULL);
        bool ok = PQresultStatus (result) == PGRES_COMMAND_OK;
        if (!ok)
            log_unprepared (self->statements [i].name, result);
        PQclear (result);
        if (!ok)
            return false;
    }
    return true;
}

bool
ow_db_ready (ow_db_t *self)
{
    if (self->connection && PQstatus (self->connection) == CONNECTION_OK)
        return true;
    if (self->connection) {
        PQfinish (self->connection);
        self->connection = NULL;
    }
    self->connection = PQconnectdb (self->conninfo);
    if (PQstatus (self->connection) != CONNECTION_OK) {
        if (!self->outage_logged) {
            char *reason = ow_strdup (PQerrorMessage (self->connection));
            reason [strcspn (reason, "\n")] = 0;
            ow_error ("cannot reach PostgreSQL; retrying", "who", self->who,
                      "reason", reason);
            free (reason);
            self->outage_logged = true;
        }
        PQfinish (self->connection);
        self->connection = NULL;
        return false;
    }
    PQsetNoticeProcessor (self->connection, NULL, NULL);
    PGresult *quiet = PQexec (self->connection, "SET client_min_messages = warning");
    PQclear (quiet);
    if (self->on_connect) {
        PGresult *setup = PQexec (self->connection, self->on_connect);
        PQclear (setup);
    }
    if (!prepare_all (self)) {
        PQfinish (self->connection);
        self->connection = NULL;
        return false;
    }
    if (self->outage_logged)
        ow_info ("connected to PostgreSQL", "who", self->who);
    self->outage_logged = false;
    return true;
}

PGconn *
ow_db_connection (ow_db_t *self)
{
    return self->connection;
}

static PGresult *
checked (ow_db_t *self, PGresult *result, const char *what)
{
    ExecStatusType status = PQresultStatus (result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        self->lost = false;
        return result;
    }
    self->lost = PQstatus (self->connection) != CONNECTION_OK;
    char *reason = ow_strdup (PQresultErrorMessage (result));
    reason [strcspn (reason, "\n")] = 0;
    ow_error ("statement failed", "statement", what, "reason", reason);
    free (reason);
    PQclear (result);
    return NULL;
}

PGresult *
ow_db_run_binary (ow_db_t *self, const char *name, int count, const char *const *values,
                  const int *lengths, const int *formats)
{
    if (!ow_db_ready (self)) {
        self->lost = true;
        return NULL;
    }
    PGresult *result = PQexecPrepared (self->connection, name, count, values, lengths,
                                       formats, 0);
    return checked (self, result, name);
}

PGresult *
ow_db_run (ow_db_t *self, const char *name, int count, const char *const *values)
{
    return ow_db_run_binary (self, name, count, values, NULL, NULL);
}

bool
ow_db_exec (ow_db_t *self, const char *sql)
{
    if (!ow_db_ready (self)) {
        self->lost = true;
        return false;
    }
    PGresult *result = checked (self, PQexec (self->connection, sql), sql);
    PQclear (result);
    return result != NULL;
}

bool
ow_db_lost (ow_db_t *self)
{
    return self->lost;
}

bool
ow_db_ok (const PGresult *result)
{
    return result != NULL;
}

const char *
ow_db_value (const PGresult *result, int row, int column)
{
    if (!result || row >= PQntuples (result) || PQgetisnull (result, row, column))
        return NULL;
    return PQgetvalue (result, row, column);
}
