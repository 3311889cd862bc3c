/*  ingest — the service that turns submitted documents into stored facts.

    A submission's way through: ow_server hands it over once the key it
    came with has passed its checks (ZAP at connection; the key's current
    state, its rate and the request's fields for every request); submit.c
    checks a declared authority, the size and room in the queue, and
    queues it; a worker process (workers.c, worker.c) extracts the facts
    in a child sandboxed for that one document (sandbox.c); submit.c then
    checks that the key may speak for the authority the document turned
    out to be about, and that only a key trusted for it submits what
    claims to be Ofsted's; refusals of that kind are audited (audit.c);
    store commits the rest; and only then is the submitter answered. The
    reactor never waits for store (ow_calls): documents, audit records and
    the health ping are all answered when store's reply comes.
*/
#ifndef INGEST_H
#define INGEST_H

#include <czmq.h>
#include "ow_calls.h"
#include "ow_client.h"
#include "ow_config.h"
#include "ow_keys.h"
#include "ow_metrics.h"
#include "ow_pb.h"
#include "ow_register.h"
#include "ow_security.h"
#include "ow_server.h"
#include "ow_throttle.h"

typedef struct _ingest_workers_t ingest_workers_t;

typedef struct {
    ow_config_t config;
    ow_security_limits_t limits;
    ow_register_t *reg;
    ow_keys_t *keys;
    ow_calls_t *store;                  // documents, audit records, health pings
    size_t at_store;                    // documents sent to store, not yet answered
    int64_t store_heard;                // monotonic ms store last answered a ping
    int64_t ping_sent;                  // monotonic ms the oldest unanswered ping went
    char *store_problem;                // why the last ping failed, or NULL
    ow_metrics_t *metrics;
    ow_server_t *server;
    ingest_workers_t *workers;
    ow_throttle_t *logged;              // refusal and audit log lines
} ingest_t;

//  The largest answer a worker may give: the text and facts of the
//  largest document, with room to spare.
#define INGEST_RESULT_MAX (256u * 1024 * 1024)

//  submit.c: takes a submission: a refusal at once, or OW_SERVER_LATER
//  with the request deferred until its facts are extracted and stored.
Ofwatch__V1__Reply *ingest_submit (ingest_t *self, const Ofwatch__V1__SubmitRequest *request,
                                   const char *peer);

//  Checks a submission before any work is done on it (ow_server has
//  checked the key, its rate and the request's fields): a declared
//  authority, the size, and room in the queue. Returns NULL when it may
//  go on, else the refusal; a refusal about who sent it also sets *audit
//  to the reason (caller frees).
Ofwatch__V1__Reply *ingest_check (ingest_t *self, const ow_key_t *key, const char *peer,
                                  const Ofwatch__V1__SubmitRequest *request, char **audit);

//  The workers' done function for submissions: answers the submitter.
void ingest_extracted (void *context, void *job, const uint8_t *answer, size_t size,
                       const char *failure);

//  verify.c: checks that the key may submit what extraction found. NULL
//  (allowed) or the reason (caller frees); *authority (may be NULL) is
//  then the ONS code of the authority refused, which for a records feed
//  covering several is the one the key may not speak for.
char *ingest_authorise (const ow_register_t *reg, const ow_key_t *key,
                        const Ofwatch__V1__Extraction *facts, const char **authority);

//  The reason a key may not submit for the authority it declared, or
//  NULL (also when nothing, or nothing the register knows, was declared:
//  extraction decides then). Caller frees.
char *ingest_declared_refusal (const ow_register_t *reg, const ow_key_t *key,
                               const char *declared);

//  Decodes and checks a worker's answer. NULL and *error (caller frees)
//  when it is not a well-formed ExtractResult.
Ofwatch__V1__ExtractResult *ingest_read_result (const uint8_t *bytes, size_t size,
                                                char **error);

//  Health, answered at once: ingest is healthy when store answered its
//  last ping (once a second), else it says why not.
Ofwatch__V1__Reply *ingest_health (ingest_t *self);

//  Pings store (health) every second, on the reactor.
int ingest_ping_attach (ingest_t *self, zloop_t *loop);

//  audit.c: records a refusal in store's audit table, without waiting
//  (logged, at most once per ten seconds, if store cannot take it).
//  `authority` (may be NULL) is the ONS code of the authority refused.
void ingest_audit (ingest_t *self, const char *key, const Ofwatch__V1__SubmitRequest *request,
                   const Ofwatch__V1__Extraction *facts, const char *authority,
                   const char *reason);

//  The ow_server hook: a submission refused for its key is audited.
void ingest_refused (void *context, const Ofwatch__V1__Request *request, const char *peer,
                     const char *reason);

//  workers.c: the pool of worker processes.
//  Called with a worker's answer (bytes, size), or failure (a sentence
//  ending "try again": no fault of the document) when there is none;
//  `job` is what was given to ingest_workers_queue.
typedef void (ingest_workers_done_fn) (void *context, void *job, const uint8_t *answer,
                                       size_t size, const char *failure);

ingest_workers_t *ingest_workers_new (const ow_security_limits_t *limits,
                                      ingest_workers_done_fn *done, void *context);
//  Ends the workers; jobs still waiting or in hand are failed.
void ingest_workers_destroy (ingest_workers_t **self_p);
int ingest_workers_attach (ingest_workers_t *self, zloop_t *loop);
//  Queues a job (bytes: a packed SubmitRequest, taken over). False when
//  the queue is full.
bool ingest_workers_queue (ingest_workers_t *self, uint8_t *bytes, size_t size, void *job);
size_t ingest_workers_waiting (ingest_workers_t *self);

//  worker.c: the worker process (ofwatch-ingest --worker), reading jobs
//  on descriptor 3.
int ingest_worker_main (void);

//  sandbox.c
void ingest_sandbox_prepare (void);
void ingest_sandbox_enter (const ow_security_limits_t *limits);

#endif
