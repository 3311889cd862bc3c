/*  it_log — what tests that count events share: generated documents
    submitted until acknowledged, the event log read straight from
    PostgreSQL (the truth the streams are compared with), and waiting
    until the stack has handled all of it.
*/
#ifndef IT_LOG_H
#define IT_LOG_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include "it_support.h"
#include "ow_client.h"

//  Submits generated document n (it_documents) to ingest, sending the
//  same bytes again after no answer or any error but a refusal (an
//  error other than UNAVAILABLE is said on stderr), for up to 150 s.
//  True with *sha256 set (caller frees) when acknowledged; false with
//  *problem set (caller frees) when refused or never acknowledged.
//  *retries (may be NULL) counts the repeats.
bool it_submit_document (ow_client_t *ingest, unsigned n, unsigned report_every,
                         const char *nonce, char **sha256, char **problem, size_t *retries);

//  Submits documents first .. first + count - 1; NULL, or why one was
//  not acknowledged (caller frees).
char *it_submit_documents (unsigned first, unsigned count, unsigned report_every,
                          const char *nonce);

//  A client of ingest for this test's stack.
ow_client_t *it_ingest_client (void);

//  Runs a query on OFWATCH_PG; NULL (said on stderr) on an error. Caller
//  PQclear()s.
PGresult *it_pg_query (const char *sql);

//  The log as PostgreSQL has it, in seq order.
typedef struct {
    uint64_t *seqs;
    char **ids;
    size_t count;
} it_log_t;

bool it_log_read (it_log_t *log);
void it_log_free (it_log_t *log);

//  Every event of the log, replayed through notify as `ofwatch events
//  --from 1` reads it. False when notify did not answer.
bool it_log_events (it_events_t *list);

//  What caused a derived event, as the event itself says it (e.g. the two
//  inspections whose grades differ): a derived event must be unique by
//  cause. NULL for events that are not derived. Caller frees.
char *it_event_cause (const Ofwatch__V1__Event *event);

//  The last seq "store", "analytics" or "notify" reports in its health
//  answer (0 when it does not answer).
uint64_t it_service_seq (const char *service);

//  Waits until store's log has stopped growing for 3 s and analytics and
//  notify have handled all of it; returns the last seq, or 0 (said on
//  stderr) when that did not happen within timeout_ms.
uint64_t it_wait_settled (int timeout_ms);

#endif
