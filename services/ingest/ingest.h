/*  ingest — the service that turns submitted documents into stored facts.

    A submission's way through: ow_server hands it over with the name of
    the key it came with (ZAP checked the key at connection); submit.c
    checks the key's rights, its rate and the size, and queues it; a
    worker process (workers.c, worker.c) extracts the facts in a child
    sandboxed for that one document (sandbox.c); submit.c then checks that
    the key may speak for the authority the document turned out to be
    about, and that only a key trusted for it submits what claims to be
    Ofsted's; refusals of that kind are audited (audit.c); store commits
    the rest (store_calls.c: the reactor never waits for it); and only
    then is the submitter answered.
*/
#ifndef INGEST_H
#define INGEST_H

#include <czmq.h>
#include "ow_client.h"
#include "ow_config.h"
#include "ow_keys.h"
#include "ow_metrics.h"
#include "ow_pb.h"
#include "ow_register.h"
#include "ow_security.h"
#include "ow_server.h"

typedef struct _ingest_workers_t ingest_workers_t;
typedef struct _ingest_rates_t ingest_rates_t;
typedef struct _ingest_store_calls_t ingest_store_calls_t;

typedef struct {
    ow_config_t config;
    ow_security_limits_t limits;
    ow_register_t *reg;
    ow_keys_t *keys;
    ow_client_t *store;                 // health and audit: asked and waited for
    ingest_store_calls_t *store_calls;  // documents: answered when store replies
    ow_metrics_t *metrics;
    ow_server_t *server;
    ingest_workers_t *workers;
    ingest_rates_t *rates;
} ingest_t;

//  The largest answer a worker may give: the text and facts of the
//  largest document, with room to spare.
#define INGEST_RESULT_MAX (256u * 1024 * 1024)

//  submit.c: takes a submission: a refusal at once, or OW_SERVER_LATER
//  with the request deferred until its facts are extracted and stored.
Ofwatch__V1__Reply *ingest_submit (ingest_t *self, const Ofwatch__V1__SubmitRequest *request,
                                   const char *peer);

//  Checks a submission before any work is done on it: the key (NULL when
//  unknown), a declared authority, its rate and size, and room in the
//  queue. Returns NULL when it may go on, else the refusal; a refusal
//  about who sent it also sets *audit to the reason (caller frees).
Ofwatch__V1__Reply *ingest_check (ingest_t *self, const ow_key_t *key, const char *peer,
                                  const Ofwatch__V1__SubmitRequest *request, char **audit);

//  The workers' done function for submissions: answers the submitter.
void ingest_extracted (void *context, void *job, const uint8_t *answer, size_t size,
                       const char *failure);

//  verify.c: checks that the key may submit what extraction found. NULL
//  (allowed) or the reason (caller frees).
char *ingest_authorise (const ow_register_t *reg, const ow_key_t *key,
                        const Ofwatch__V1__Extraction *facts);

//  The reason a key may not submit for the authority it declared, or
//  NULL (also when nothing, or nothing the register knows, was declared:
//  extraction decides then). Caller frees.
char *ingest_declared_refusal (const ow_register_t *reg, const ow_key_t *key,
                               const char *declared);

//  Decodes and checks a worker's answer. NULL and *error (caller frees)
//  when it is not a well-formed ExtractResult.
Ofwatch__V1__ExtractResult *ingest_read_result (const uint8_t *bytes, size_t size,
                                                char **error);

//  Health: ingest is healthy when store answers.
Ofwatch__V1__Reply *ingest_health (ingest_t *self);

//  audit.c: records a refusal in store's audit table (logged if store
//  cannot take it).
void ingest_audit (ingest_t *self, const char *key, const Ofwatch__V1__SubmitRequest *request,
                   const Ofwatch__V1__Extraction *facts, const char *reason);

//  store_calls.c: documents sent to store without waiting for it. `done`
//  gets the job and store's reply (or a "try again" Error when store did
//  not answer in time, or ingest is stopping), which it takes over.
typedef void (ingest_store_done_fn) (void *context, void *job, Ofwatch__V1__Reply *reply);
ingest_store_calls_t *ingest_store_calls_new (const char *endpoint, ingest_store_done_fn *done,
                                              void *context);
//  Answers every document still waiting ("try again").
void ingest_store_calls_destroy (ingest_store_calls_t **self_p);
int ingest_store_calls_attach (ingest_store_calls_t *self, zloop_t *loop);
//  Sends a document for `job`; false with *error (caller frees) when it
//  cannot be sent (then done is not called for it).
bool ingest_store_calls_send (ingest_store_calls_t *self, Ofwatch__V1__StoreDocument *document,
                              void *job, char **error);
size_t ingest_store_calls_waiting (ingest_store_calls_t *self);

//  submit.c: store's answer for a document: answers its submitter.
void ingest_stored (void *context, void *job, Ofwatch__V1__Reply *reply);

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

//  rate.c: 0 when the key may submit now, else the seconds to wait.
ingest_rates_t *ingest_rates_new (void);
void ingest_rates_destroy (ingest_rates_t **self_p);
int ingest_rates_take (ingest_rates_t *self, const char *key, int per_minute, int burst,
                       int64_t now);

#endif
