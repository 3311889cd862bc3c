/*  ingest — the service that turns submitted documents into stored facts.  */
#ifndef INGEST_H
#define INGEST_H

#include "ow_client.h"
#include "ow_config.h"
#include "ow_metrics.h"
#include "ow_pb.h"
#include "ow_register.h"

typedef struct {
    ow_config_t config;
    ow_register_t *reg;
    ow_client_t *store;
    ow_metrics_t *metrics;
} ingest_t;

//  submit.c: extracts, stores, answers. `submitter` names the key the
//  document came with.
Ofwatch__V1__Reply *ingest_submit (ingest_t *self, const Ofwatch__V1__SubmitRequest *request,
                                   const char *submitter);

//  Health: ingest is healthy when store answers.
Ofwatch__V1__Reply *ingest_health (ingest_t *self);

#endif
