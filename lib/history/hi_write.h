/*  hi_write — what a document says, written into the facts database, with
    the events it causes.

    Runs inside the caller's transaction, after the document's row is
    inserted: store owns the transaction, the document row and the event
    log; everything a document says of inspections, visits, judgements,
    improvements, findings and deadlines is mapped to SQL here, in a few
    round trips however many facts there are (a report has a few dozen, a
    records feed a hundred thousand).

    Each inspection or visit the document speaks of joins the one already
    on record that it means (hi_identity.h), or becomes a new one with the
    precision it knows. What the document says of it is kept as its
    statement; the inspection's facts are chosen fact by fact from all its
    statements by whose word counts, so the history is the same whatever
    order the documents came in. Two sources that disagree about a fact
    (a date, a kind, a grade, children in care and care leavers graded
    together or apart) raise conflict.detected naming both documents;
    the more authoritative one's word is kept, never both side by side.
*/
#ifndef HI_WRITE_H
#define HI_WRITE_H

#include "ow_db.h"
#include "ow_pb.h"

#include <stdbool.h>

//  A new event of the caller's log (seq, id and recorded_at set by the
//  caller, payload empty), about `authority`, dated `occurred_on` (NULL
//  or "" when not known). Owned by the caller; filled in here.
typedef Ofwatch__V1__Event *(hi_event_fn) (void *context, Ofwatch__V1__EventType type,
                                           const char *authority, const char *occurred_on);

typedef struct {
    //  Given
    ow_db_t *db;                                // in a transaction
    const Ofwatch__V1__Extraction *facts;
    const char *document_id;                    // its row, inserted
    const char *sha256;                         // its bytes'
    hi_event_fn *event;
    void *context;
    //  Answered: the inspection of each event the document reports (a
    //  statement naming none is left out), and warnings about what was
    //  not written.
    int64_t *inspection_ids;
    size_t n_inspection_ids;
    char **warnings;
    size_t n_warnings;
} hi_write_t;

//  Registers the statements hi_write_facts runs.
void hi_write_prepare (ow_db_t *db);

//  Writes everything the document says and makes the events it causes,
//  in the order the document says them. False on a database error
//  (logged); the caller rolls back.
bool hi_write_facts (hi_write_t *self);

//  Frees what hi_write_facts answered.
void hi_write_clear (hi_write_t *self);

#endif
