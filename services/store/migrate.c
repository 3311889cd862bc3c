/*  migrate — brings store's schema up to date at start.

    store owns the migrations data/migrations/NNN_name.sql (notify's own
    schema has its own directory beneath it); ow_migrate applies those not
    applied yet, one transaction each, recorded in public.schema_migrations.
*/

#include "store.h"
#include "ow_migrate.h"

//  The advisory lock key: store's request port, unique among the owners.
#define STORE_MIGRATION_LOCK 7102

bool
store_migrate (store_t *self)
{
    char *directory = ow_printf ("%s/migrations", self->config.data);
    ow_migrate_plan_t plan = {
        .directory = directory,
        .table = "public.schema_migrations",
        .lock_key = STORE_MIGRATION_LOCK,
    };
    bool ok = ow_migrate (self->db, &plan);
    free (directory);
    return ok;
}
