/*  ow_migrate — bringing a database schema up to date at start.

    A schema's migrations are the files NNN_name.sql of one directory,
    applied in order of name, each in its own transaction together with
    its row in that schema's migrations table, so a migration is either
    wholly applied or not at all. An advisory lock, one key per schema
    owner, keeps two copies of a service starting at once from applying
    the same migration twice. store owns data/migrations (table
    public.schema_migrations); notify owns data/migrations/notify (table
    notify.schema_migrations).
*/
#ifndef OW_MIGRATE_H
#define OW_MIGRATE_H

#include <stdbool.h>
#include <stdint.h>
#include "ow_db.h"

typedef struct {
    const char *directory;      // holds NNN_name.sql
    const char *table;          // schema-qualified, e.g. "notify.schema_migrations";
                                // its schema is created when missing
    int64_t lock_key;           // pg_advisory_lock key, one per owner
} ow_migrate_plan_t;

//  Applies every migration of the plan not applied yet. False, logged
//  once with the cause, when the directory holds none or one fails.
bool ow_migrate (ow_db_t *db, const ow_migrate_plan_t *plan);

#endif
