/*  ofwatch-watch — reads Ofsted's reports site on a timer and feeds every
    new publication to ingest, so ofwatch learns of an inspection without
    anyone submitting it.

    Binds OFWATCH_WATCH (ROUTER: health, with when the last pass over the
    site completed and, while passes fail, why). A zactor runs the passes (lib/watch, the same code as
    `ofwatch watch`): the first as soon as one is due, then one every
    OFWATCH_WATCH_INTERVAL seconds counted from the last pass's start, as
    the ledger in PostgreSQL (schema `watch`) records them, so a restarted
    or rescheduled service neither reads the site again too soon nor
    forgets a pass that was cut short. With an interval of 0 it reads
    nothing. A site that cannot be reached is said once, and said again
    only when that changes; the other services never depend on it.
*/

#include "ow_client.h"
#include "ow_config.h"
#include "ow_log.h"
#include "ow_metrics.h"
#include "ow_service.h"
#include "ow_wire.h"
#include "wt_identity.h"
#include "wt_ledger.h"
#include "wt_pass.h"
#include "wt_schedule.h"
#include "wt_settings.h"
#include "wt_site.h"
#include "wt_stop.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <pthread.h>

typedef struct {
    ow_config_t config;
    wt_settings_t settings;
    ow_register_t *reg;
    ow_metrics_t *metrics;
    wt_ledger_t *ledger;            // the reactor's own connection, for health
    char *cert_path;                // the key presented to ingest
    pthread_mutex_t lock;           // guards problem: the passes write, health reads
    char *problem;                  // why the last pass failed; NULL since one completed
} watch_t;

//  Keeps what health says the watch cannot do now (NULL: nothing).
static void
set_problem (watch_t *self, const char *problem)
{
    pthread_mutex_lock (&self->lock);
    free (self->problem);
    self->problem = problem ? ow_strdup (problem) : NULL;
    pthread_mutex_unlock (&self->lock);
}

//  ---------------------------------------------------------------------------
//  The passes, in their own thread

//  What the passes remember between them: the last failure said, so an
//  outage is said once.
typedef struct {
    watch_t *watch;
    wt_stop_t *stop;
    wt_ledger_t *ledger;
    ow_client_t *ingest;
    wt_http_t *http;
    char *failing;                  // the problem said last; NULL while passes succeed
} watcher_t;

static void
report (watcher_t *self, const wt_pass_result_t *result)
{
    char requests [24], bytes [24], seconds [24], files [24], fresh [24], errors [24];
    snprintf (requests, sizeof requests, "%zu", result->requests);
    snprintf (bytes, sizeof bytes, "%" PRIu64, result->bytes);
    snprintf (seconds, sizeof seconds, "%.1f", result->seconds);
    snprintf (files, sizeof files, "%zu", result->files);
    snprintf (fresh, sizeof fresh, "%zu", result->new_documents);
    snprintf (errors, sizeof errors, "%zu", result->errors);
    int interval = self->watch->settings.interval;
    if (result->outcome == WT_PASS_FAILED)
        set_problem (self->watch, result->problem);
    else
    if (result->outcome == WT_PASS_COMPLETE)
        set_problem (self->watch, NULL);
    if (result->outcome == WT_PASS_FAILED) {
        if (!self->failing || !streq (self->failing, result->problem)) {
            char *sentence = ow_printf ("%s; the watch tries again in %d s (the other "
                                        "services do not depend on it)", result->problem,
                                        interval);
            ow_error (sentence, "site", self->watch->settings.site);
            free (sentence);
            free (self->failing);
            self->failing = ow_strdup (result->problem);
        }
        else
            ow_debug ("the pass failed again", "reason", result->problem);
        return;
    }
    if (result->outcome == WT_PASS_COMPLETE && self->failing) {
        ow_info ("Ofsted's site can be read again", "site", self->watch->settings.site);
        free (self->failing);
        self->failing = NULL;
    }
    if (result->outcome == WT_PASS_BUSY)
        ow_info (result->problem);
    else
        ow_info (result->outcome == WT_PASS_COMPLETE ? "pass complete" : "pass stopped",
                 "new_documents", fresh, "files", files, "errors", errors,
                 "requests", requests, "bytes", bytes, "seconds", seconds);
}

static void
run_pass (watcher_t *self)
{
    watch_t *watch = self->watch;
    wt_pass_input_t input = {
        .settings = &watch->settings, .reg = watch->reg, .ledger = self->ledger,
        .ingest = self->ingest, .stop = self->stop, .http = self->http,
        .cert_path = watch->cert_path, .metrics = watch->metrics,
    };
    wt_pass_result_t result;
    wt_pass_run (&input, &result);
    report (self, &result);
    bool busy = result.outcome == WT_PASS_BUSY;
    wt_pass_result_free (&result);
    if (busy)
        wt_schedule_wait_busy (self->stop);
}

static void
watch_passes (zsock_t *pipe, void *argument)
{
    watch_t *watch = argument;
    zsock_signal (pipe, 0);
    watcher_t self = { .watch = watch, .stop = wt_stop_new (pipe) };
    self.ledger = wt_ledger_new (watch->config.pg, watch->config.data);
    char *ingest = ow_config_connectable (watch->config.ingest);
    self.ingest = ow_client_new (ingest, "ingest");
    free (ingest);
    self.http = wt_http_new (&watch->settings, self.stop, watch->metrics);
    if (watch->settings.interval == 0)
        ow_info ("not reading Ofsted's site: OFWATCH_WATCH_INTERVAL is 0");
    while (wt_schedule_wait (self.ledger, watch->settings.interval, self.stop))
        run_pass (&self);
    free (self.failing);
    wt_http_destroy (&self.http);
    ow_client_destroy (&self.ingest);
    wt_ledger_destroy (&self.ledger);
    wt_stop_destroy (&self.stop);
}

//  ---------------------------------------------------------------------------
//  Health, on the reactor

static Ofwatch__V1__Reply *
health (watch_t *self)
{
    char when [40];
    double epoch = 0;
    bool ok = wt_ledger_last_success (self->ledger, when, sizeof when, &epoch);
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_HEALTH;
    reply->health = OW_PB_NEW (Ofwatch__V1__HealthReply, ofwatch__v1__health_reply__init);
    ow_pb_set_string (&reply->health->service, "watch");
    reply->health->database_ok = ok;
    ow_pb_set_string (&reply->health->last_pass_ok, ok ? when : "");
    //  A site that cannot be read is not ill health of ofwatch: the watch
    //  answers, and says what it cannot do.
    pthread_mutex_lock (&self->lock);
    if (self->problem)
        ow_pb_set_string (&reply->health->problem, self->problem);
    pthread_mutex_unlock (&self->lock);
    if (ok && epoch > 0)
        ow_metrics_set (self->metrics, "ofwatch_watch_last_success_timestamp_seconds", NULL,
                        epoch);
    return reply;
}

static Ofwatch__V1__Reply *
handle (void *context, const Ofwatch__V1__Request *request)
{
    return request->body_case == OFWATCH__V1__REQUEST__BODY_HEALTH ? health (context) : NULL;
}

//  Whether the site is this machine (tests, a local stand-in).
static bool
is_loopback (const char *site)
{
    return strstr (site, "://127.") || strstr (site, "://localhost") || strstr (site, "://[::1]");
}

int
main (void)
{
    watch_t self = { .lock = PTHREAD_MUTEX_INITIALIZER };
    ow_service_init (&self.config, "watch");
    self.reg = ow_service_register (&self.config);
    if (!self.reg)
        return 1;
    wt_settings_load (&self.settings, &self.config);
    //  Before any thread: neither libcurl's nor libxml2's set-up is
    //  thread-safe, nor is changing the environment.
    curl_global_init (CURL_GLOBAL_DEFAULT);
    wt_site_init ();
    self.cert_path = wt_identity_present (&self.config);
    self.metrics = ow_metrics_new ("watch", self.config.metrics_port);
    self.ledger = wt_ledger_new (self.config.pg, self.config.data);
    int rc = 1;
    ow_server_t *server = ow_server_new (self.config.watch, "watch", handle, &self);
    if (server) {
        ow_server_set_metrics (server, self.metrics);
        char interval [16], rate [16];
        snprintf (interval, sizeof interval, "%d", self.settings.interval);
        snprintf (rate, sizeof rate, "%g", self.settings.rate);
        ow_info ("watching Ofsted's site", "site", self.settings.site, "interval_s", interval,
                 "requests_per_s", rate, "user_agent", self.settings.user_agent,
                 "key", self.cert_path);
        if (!*self.settings.contact && !is_loopback (self.settings.site))
            ow_warn ("OFWATCH_WATCH_CONTACT is not set: the User-Agent gives Ofsted no one to "
                     "contact; set it to an email address or a URL");
        zactor_t *watcher = zactor_new (watch_passes, &self);
        ow_service_serve (server);
        zactor_destroy (&watcher);
        rc = 0;
    }
    ow_server_destroy (&server);
    wt_ledger_destroy (&self.ledger);
    ow_metrics_destroy (&self.metrics);
    ow_register_destroy (&self.reg);
    free (self.cert_path);
    free (self.problem);
    curl_global_cleanup ();
    return rc;
}
