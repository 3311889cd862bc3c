/*  ofwatch-ingest — documents in, facts to store, answer after commit.

    Binds OFWATCH_INGEST (ROUTER: SubmitRequest, health) and asks store at
    OFWATCH_STORE. A submission is decoded and extracted here with the same
    code as `ofwatch extract`, then sent to store; the submitter's answer
    waits for store's, so an acknowledgement always means "committed".
*/

#include "ingest.h"
#include "ow_log.h"
#include "ow_service.h"

static Ofwatch__V1__Reply *
handle (void *context, const Ofwatch__V1__Request *request)
{
    ingest_t *self = context;
    switch (request->body_case) {
        case OFWATCH__V1__REQUEST__BODY_SUBMIT:
            return ingest_submit (self, request->submit, "unauthenticated");
        case OFWATCH__V1__REQUEST__BODY_HEALTH:
            return ingest_health (self);
        default:
            return NULL;
    }
}

int
main (void)
{
    ingest_t self = { 0 };
    ow_service_init (&self.config, "ingest");
    self.reg = ow_service_register (&self.config);
    if (!self.reg)
        return 1;
    self.store = ow_client_new (self.config.store, "store");
    self.metrics = ow_metrics_new ("ingest", self.config.metrics_port);
    ow_server_t *server = ow_server_new (self.config.ingest, "ingest", handle, &self);
    int rc = 1;
    if (server) {
        ow_server_set_metrics (server, self.metrics);
        ow_service_serve (server, NULL);
        rc = 0;
    }
    ow_server_destroy (&server);
    ow_client_destroy (&self.store);
    ow_register_destroy (&self.reg);
    ow_metrics_destroy (&self.metrics);
    return rc;
}
