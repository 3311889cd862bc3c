/*  ow_migrate — bringing a database schema up to date; see ow_migrate.h.

    Nothing here is prepared: a service that finds PostgreSQL down at
    start calls ow_migrate again later on the same connection, and a
    statement registered twice would fail to prepare.
*/

#include "ow_migrate.h"
#include "ow_log.h"
#include "ow_pb.h"

#include <czmq.h>
#include <dirent.h>
#include <inttypes.h>

static int
by_name (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

//  The migration files NNN_name.sql, sorted; NULL when there are none.
//  Caller frees each and the array.
static char **
list_migrations (const char *directory, size_t *count)
{
    *count = 0;
    DIR *dir = opendir (directory);
    if (!dir)
        return NULL;
    char **names = NULL;
    struct dirent *entry;
    while ((entry = readdir (dir)) != NULL) {
        size_t length = strlen (entry->d_name);
        if (length > 8 && strcmp (entry->d_name + length - 4, ".sql") == 0
            && entry->d_name [0] >= '0' && entry->d_name [0] <= '9')
            ow_pb_append_string (&names, count, entry->d_name);
    }
    closedir (dir);
    if (names)
        qsort (names, *count, sizeof (char *), by_name);
    return names;
}

static void
free_names (char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free (names [i]);
    free (names);
}

//  Creates the table (and its schema) when missing.
static bool
ensure_table (ow_db_t *db, const char *table)
{
    const char *dot = strchr (table, '.');
    if (dot) {
        char *schema = ow_printf ("CREATE SCHEMA IF NOT EXISTS %.*s", (int) (dot - table), table);
        bool ok = ow_db_exec (db, schema);
        free (schema);
        if (!ok)
            return false;
    }
    char *create = ow_printf ("CREATE TABLE IF NOT EXISTS %s ("
                              " version int PRIMARY KEY, name text NOT NULL,"
                              " applied_at timestamptz NOT NULL DEFAULT now())", table);
    bool ok = ow_db_exec (db, create);
    free (create);
    return ok;
}

//  The versions applied so far, in a set of "%d" strings; NULL (logged)
//  on a database error. Caller destroys.
static zhashx_t *
applied_versions (ow_db_t *db, const char *table)
{
    char *query = ow_printf ("SELECT version FROM %s", table);
    PGresult *result = PQexec (ow_db_connection (db), query);
    free (query);
    if (PQresultStatus (result) != PGRES_TUPLES_OK) {
        ow_error ("cannot read applied migrations", "table", table,
                  "reason", PQresultErrorMessage (result));
        PQclear (result);
        return NULL;
    }
    zhashx_t *versions = zhashx_new ();
    for (int row = 0; row < PQntuples (result); row++)
        zhashx_insert (versions, PQgetvalue (result, row, 0), (void *) 1);
    PQclear (result);
    return versions;
}

static bool
apply (ow_db_t *db, const ow_migrate_plan_t *plan, const char *name)
{
    char *path = ow_printf ("%s/%s", plan->directory, name);
    zchunk_t *sql = zchunk_slurp (path, 0);
    free (path);
    if (!sql) {
        ow_error ("cannot read migration", "directory", plan->directory, "file", name);
        return false;
    }
    //  The text must end where the file does; the chunk is not terminated.
    char *text = ow_strndup ((const char *) zchunk_data (sql), zchunk_size (sql));
    zchunk_destroy (&sql);
    char *quoted = PQescapeLiteral (ow_db_connection (db), name, strlen (name));
    char *record = ow_printf ("INSERT INTO %s (version, name) VALUES (%d, %s)",
                              plan->table, atoi (name), quoted ? quoted : "''");
    PQfreemem (quoted);
    bool ok = ow_db_exec (db, "BEGIN")
           && ow_db_exec (db, text)
           && ow_db_exec (db, record)
           && ow_db_exec (db, "COMMIT");
    if (!ok)
        ow_db_exec (db, "ROLLBACK");
    else
        ow_info ("applied migration", "directory", plan->directory, "file", name);
    free (record);
    free (text);
    return ok;
}

bool
ow_migrate (ow_db_t *db, const ow_migrate_plan_t *plan)
{
    size_t count = 0;
    char **names = list_migrations (plan->directory, &count);
    if (!names) {
        ow_error ("no migrations found", "directory", plan->directory);
        return false;
    }
    char lock [80], unlock [80];
    snprintf (lock, sizeof lock, "SELECT pg_advisory_lock (%" PRId64 ")", plan->lock_key);
    snprintf (unlock, sizeof unlock, "SELECT pg_advisory_unlock (%" PRId64 ")", plan->lock_key);
    bool locked = ow_db_exec (db, lock);
    zhashx_t *applied = locked && ensure_table (db, plan->table)
                      ? applied_versions (db, plan->table) : NULL;
    bool ok = applied != NULL;
    for (size_t i = 0; ok && i < count; i++) {
        char version [16];
        snprintf (version, sizeof version, "%d", atoi (names [i]));
        if (!zhashx_lookup (applied, version))
            ok = apply (db, plan, names [i]);
    }
    zhashx_destroy (&applied);
    free_names (names, count);
    //  A lost connection has released the lock already.
    if (locked)
        ow_db_exec (db, unlock);
    return ok;
}
