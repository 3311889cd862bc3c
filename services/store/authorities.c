/*  authorities — the register, from data/la_lookup.csv, into the authority
    table, so every fact can reference the body it is about. Run at each
    start; rows are upserted, so a corrected register file takes effect on
    the next start.
*/

#include "store.h"
#include "ow_log.h"

bool
store_load_authorities (store_t *self)
{
    ow_db_statement (self->db, "upsert_authority",
        "INSERT INTO authority VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (code) DO UPDATE SET la_code = excluded.la_code, urn = excluded.urn,"
        " name = excluded.name, region_code = excluded.region_code,"
        " region_name = excluded.region_name, neighbours = excluded.neighbours,"
        " ended = excluded.ended, successors = excluded.successors");
    bool ok = ow_db_exec (self->db, "BEGIN");
    for (size_t i = 0; ok && i < ow_register_size (self->reg); i++) {
        const ow_authority_t *a = ow_register_at (self->reg, i);
        char *neighbours = hi_text_array ((const char *const *) a->neighbours,
                                          a->n_neighbours);
        char *successors = hi_text_array ((const char *const *) a->successors,
                                          a->n_successors);
        const char *values [] = {
            a->code, a->la_code, a->urn, a->name, a->region_code, a->region_name,
            neighbours, hi_param (a->ended), successors
        };
        PGresult *result = ow_db_run (self->db, "upsert_authority", 9, values);
        ok = result != NULL;
        PQclear (result);
        free (neighbours);
        free (successors);
    }
    ok = ok && ow_db_exec (self->db, "COMMIT");
    if (!ok)
        ow_db_exec (self->db, "ROLLBACK");
    return ok;
}
