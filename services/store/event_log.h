/*  event_log — appending events inside a store transaction.

    A batch is opened after BEGIN by locking the one-row counter; events
    added to it get the next seqs; writing the batch inserts them and moves
    the counter; after COMMIT the batch is published. Derived events carry
    a dedupe key, checked against the log before they are added
    (write_derived.c), so an event already in the log is never given a seq
    and seqs stay gapless.
*/
#ifndef EVENT_LOG_H
#define EVENT_LOG_H

#include "store.h"

typedef struct {
    Ofwatch__V1__Event **events;
    char **keys;                // dedupe key per event, or NULL
    size_t count;
    size_t capacity;            // of events and keys
    uint64_t last_seq;          // the counter's value, including this batch
    uint8_t random [256];       // for event ids: the last random_left bytes
    size_t random_left;         // are unused
    char recorded_at [40];      // RFC 3339, the time the batch was opened
} event_batch_t;

void event_log_prepare (store_t *store);

//  Locks the counter; call right after BEGIN. False on a database error.
bool event_batch_open (store_t *store, event_batch_t *batch);

//  A new event of `type` about `authority`, with seq, id and recorded_at
//  (the batch's: one transaction records its events at one time) set;
//  the caller fills the payload. Owned by the batch.
Ofwatch__V1__Event *event_batch_new (event_batch_t *batch, Ofwatch__V1__EventType type,
                                     const char *authority, const char *occurred_on);

//  Gives the batch's newest event a dedupe key (derived events).
void event_batch_set_key (event_batch_t *batch, const char *dedupe_key);

//  Inserts the batch's events (one COPY) and moves the counter.
bool event_batch_write (store_t *store, event_batch_t *batch);

//  Publishes the batch's events (after COMMIT) and empties it.
void event_batch_publish (store_t *store, event_batch_t *batch);

//  Empties the batch without publishing (after ROLLBACK).
void event_batch_discard (event_batch_t *batch);

//  The payload holder of an event, allocated on first use.
Ofwatch__V1__Payload *event_payload (Ofwatch__V1__Event *event);

#endif
