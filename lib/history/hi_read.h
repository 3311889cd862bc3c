/*  hi_read — histories read from the facts database.

    The one reader of inspections, judgements, improvements, findings and
    deadlines: analytics loads every authority with it (and one authority
    again when the log says something about it was stored), store answers
    its History query with it. One consistent snapshot (a read-only
    REPEATABLE READ transaction) per read, so an authority is never seen
    half written by a document that committed between two statements.
*/
#ifndef HI_READ_H
#define HI_READ_H

#include "hi_history.h"
#include "ow_db.h"

//  The history that rows of authority `code` go to, or NULL to skip them
//  (an authority the reader does not hold).
typedef hi_history_t *(hi_slot_fn) (void *context, const char *code);

//  Registers the statements hi_read runs.
void hi_read_prepare (ow_db_t *db);

//  Reads the histories of one authority (ONS code), or of all when code is
//  NULL, appending to the histories `slot` names (which start empty).
//  False when the database could not be read; what was appended is then
//  incomplete and the caller clears it.
bool hi_read (ow_db_t *db, const char *code, hi_slot_fn *slot, void *context);

#endif
