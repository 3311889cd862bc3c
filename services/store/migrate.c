/*  migrate — brings the schema up to date at start.

    Migrations are the files data/migrations/NNN_name.sql, applied in
    order, each in its own transaction together with its row in
    schema_migrations, so a migration is either wholly applied or not at
    all. An advisory lock keeps two stores starting at once from applying
    the same migration twice.
*/

#include "store.h"
#include "ow_log.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static int
by_name (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

//  The migration files, sorted; caller frees each and the array.
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
            ow_pb_append ((void ***) &names, count, ow_strdup (entry->d_name));
    }
    closedir (dir);
    qsort (names, *count, sizeof (char *), by_name);
    return names;
}

static bool
apply (store_t *self, const char *directory, const char *name)
{
    char *path = ow_printf ("%s/%s", directory, name);
    char *sql = NULL;
    size_t size = 0;
    FILE *file = fopen (path, "r");
    if (file) {
        fseek (file, 0, SEEK_END);
        size = (size_t) ftell (file);
        rewind (file);
        sql = ow_malloc (size + 1);
        size = fread (sql, 1, size, file);
        sql [size] = 0;
        fclose (file);
    }
    free (path);
    if (!sql) {
        ow_error ("cannot read migration", "file", name);
        return false;
    }
    char version [16];
    snprintf (version, sizeof version, "%d", atoi (name));
    const char *values [] = { version, name };
    PGresult *recorded = NULL;
    bool ok = ow_db_exec (self->db, "BEGIN")
           && ow_db_exec (self->db, sql)
           && (recorded = ow_db_run (self->db, "record_migration", 2, values)) != NULL
           && ow_db_exec (self->db, "COMMIT");
    PQclear (recorded);
    free (sql);
    if (!ok)
        ow_db_exec (self->db, "ROLLBACK");
    else
        ow_info ("applied migration", "file", name);
    return ok;
}

bool
store_migrate (store_t *self)
{
    if (!ow_db_exec (self->db, "SELECT pg_advisory_lock (7102)")
        || !ow_db_exec (self->db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                  " version int PRIMARY KEY, name text NOT NULL,"
                                  " applied_at timestamptz NOT NULL DEFAULT now())"))
        return false;
    ow_db_statement (self->db, "migration_applied",
        "SELECT 1 FROM schema_migrations WHERE version = $1");
    ow_db_statement (self->db, "record_migration",
        "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)");

    char *directory = ow_printf ("%s/migrations", self->config.data);
    size_t count = 0;
    char **names = list_migrations (directory, &count);
    bool ok = names != NULL;
    if (!ok)
        ow_error ("no migrations found", "directory", directory);
    for (size_t i = 0; ok && i < count; i++) {
        char version [16];
        snprintf (version, sizeof version, "%d", atoi (names [i]));
        const char *values [] = { version };
        PGresult *result = ow_db_run (self->db, "migration_applied", 1, values);
        ok = result != NULL;
        bool applied = ok && PQntuples (result) > 0;
        PQclear (result);
        if (ok && !applied)
            ok = apply (self, directory, names [i]);
    }
    for (size_t i = 0; i < count; i++)
        free (names [i]);
    free (names);
    free (directory);
    ow_db_exec (self->db, "SELECT pg_advisory_unlock (7102)");
    return ok;
}
