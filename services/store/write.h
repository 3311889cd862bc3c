/*  write — one document's write, shared by write_document.c (the
    transaction, the document row, the answer) and write_facts.c (what
    the document says: inspections, judgements, improvements, findings,
    deadlines, and the events they cause).
*/
#ifndef STORE_WRITE_H
#define STORE_WRITE_H

#include "event_log.h"

//  What one write has learnt so far; freed by write_document.c.
typedef struct {
    store_t *store;
    const Ofwatch__V1__StoreDocument *request;
    const Ofwatch__V1__Extraction *facts;
    event_batch_t batch;
    char document_id [24];
    Ofwatch__V1__SubmitReply *reply;
    bool failed;
} write_t;

//  Runs a prepared statement; on failure sets w->failed and returns false.
//  The result goes to *out (caller PQclear()s) or, when out is NULL, is
//  cleared.
bool write_run (write_t *w, const char *statement, int count, const char *const *values,
                PGresult **out);

//  write_facts.c: prepares its statements.
void write_facts_prepare (store_t *store);

//  Writes everything the document says, after its row is inserted, and
//  adds the events that causes to the batch, in the order the document
//  says them. A handful of round trips however many facts there are.
//  Sets w->failed on a database error.
void write_facts (write_t *w);

#endif
