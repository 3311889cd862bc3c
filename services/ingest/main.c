/*  ofwatch-ingest — documents in, facts to store, answer after commit.

    Binds OFWATCH_INGEST (ROUTER, CURVE: SubmitRequest, health) and asks
    store at OFWATCH_STORE, never waiting for it. Documents are extracted by worker
    processes (`ofwatch-ingest --worker`, started here), with the same
    code as `ofwatch extract`; the submitter's answer waits for store's,
    so an acknowledgement always means "committed".
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
            return ingest_submit (self, request->submit, ow_server_peer (self->server));
        case OFWATCH__V1__REQUEST__BODY_HEALTH:
            return ingest_health (self);
        default:
            return NULL;
    }
}

static void
serve (ingest_t *self)
{
    zloop_t *loop = zloop_new ();
    ow_server_attach (self->server, loop);
    ingest_workers_attach (self->workers, loop);
    ow_calls_attach (self->store, loop);
    ingest_ping_attach (self, loop);
    ow_service_run (loop);
    zloop_destroy (&loop);
    ow_info ("stopping");
}

int
main (int argc, char **argv)
{
    if (argc == 2 && streq (argv [1], "--worker"))
        return ingest_worker_main ();
    ingest_t self = { 0 };
    ow_service_init (&self.config, "ingest");
    ow_security_limits_load (&self.limits);
    self.reg = ow_service_register (&self.config);
    if (!self.reg)
        return 1;
    self.keys = ow_keys_new (self.config.keys);
    self.store = ow_calls_new (self.config.store, "store");
    //  Refusals and failed audit records are logged at most once per ten
    //  seconds per key.
    self.logged = ow_throttle_new (10000);
    self.metrics = ow_metrics_new ("ingest", self.config.metrics_port);
    self.workers = ingest_workers_new (&self.limits, ingest_extracted, &self);
    self.server = ow_server_new (self.config.ingest, "ingest", handle, &self);
    int rc = 1;
    if (self.server) {
        ow_server_set_metrics (self.server, self.metrics);
        ow_server_set_refused (self.server, ingest_refused);
        serve (&self);
        rc = 0;
    }
    //  Workers first: submissions still in hand are answered through the
    //  server.
    ingest_workers_destroy (&self.workers);
    ow_calls_destroy (&self.store);
    ow_server_destroy (&self.server);
    free (self.store_problem);
    ow_throttle_destroy (&self.logged);
    ow_keys_destroy (&self.keys);
    ow_register_destroy (&self.reg);
    ow_metrics_destroy (&self.metrics);
    return rc;
}
