/*  ofwatch-notify — the edge where downstream systems hear events.

    Binds OFWATCH_NOTIFY_PUB (PUB: [topic][Event], topic
    type.authority[.theme], so a SUB prefix picks a type, a type and an
    authority, or narrower) and OFWATCH_NOTIFY_REPLAY (ROUTER: events
    after a seq with a filter, webhook admin, health), both CURVE. It
    follows store's log from its committed cursor, so events that arrived
    while notify was down are published when it returns, in seq order,
    and it runs the webhook deliveries (notify.h). Webhooks start once
    PostgreSQL (OFWATCH_PG, schema notify) answers; publishing does not
    wait for it, and nothing waits for store: while store is away notify
    goes on answering health, webhook admin and (with UNAVAILABLE)
    replays, and catches up when store returns.

    OFWATCH_WEBHOOK_BACKOFF_MS and OFWATCH_WEBHOOK_BACKOFF_MAX_MS set the
    first and the longest wait before a webhook is retried (500 and
    30000 ms); OFWATCH_WEBHOOK_MAX how many subscriptions may exist
    (1000).
*/

#include "notify.h"
#include "ow_client.h"
#include "ow_config.h"
#include "ow_follower.h"
#include "ow_leader.h"
#include "ow_log.h"
#include "ow_publisher.h"
#include "ow_service.h"
#include "ow_wire.h"

#define CONSUMER "notify"
//  A PUB socket drops what it sends before a subscriber has joined:
//  after a restart, what was missed is published only once subscribers
//  have had time to reconnect (ZeroMQ retries every 100 ms).
#define JOIN_GRACE_MS      500

typedef struct {
    ow_config_t config;
    ow_register_t *reg;
    ow_client_t *store;
    ow_follower_t *follower;
    ow_publisher_t *publisher;
    ow_metrics_t *metrics;
    ow_server_t *server;
    webhooks_t *webhooks;
    replay_t *replay;
    publish_cursor_t *cursor;        // committed to store off the reactor
    ow_leader_t *leader;             // whether this replica delivers webhooks
} notify_t;

static void
on_event (void *context, const Ofwatch__V1__Event *event)
{
    notify_t *self = context;
    if (ow_publisher_send (self->publisher, event) != 0)
        ow_warn ("could not publish an event");
    else
        ow_metrics_count (self->metrics, "ofwatch_events_published_total", NULL, 1);
}

static void
on_flush (void *context, uint64_t cursor)
{
    notify_t *self = context;
    uint64_t last = ow_follower_log_last (self->follower);
    ow_metrics_set (self->metrics, "ofwatch_catchup_lag", NULL,
                    last > cursor ? (double) (last - cursor) : 0);
    webhooks_wake (self->webhooks);
    //  After a crash, what was published after the last commit is
    //  published again: a subscriber that lost it in the crash needs it,
    //  others drop it by seq.
    publish_cursor_set (self->cursor, cursor);
}

static Ofwatch__V1__Reply *
health (notify_t *self)
{
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_HEALTH;
    reply->health = OW_PB_NEW (Ofwatch__V1__HealthReply, ofwatch__v1__health_reply__init);
    ow_pb_set_string (&reply->health->service, "notify");
    ow_pb_set_string (&reply->health->role, ow_leader_role (self->leader));
    reply->health->database_ok = webhooks_database_ok (self->webhooks);
    reply->health->last_seq = ow_follower_cursor (self->follower);
    const char *problem = ow_follower_problem (self->follower);
    if (*problem)
        reply->health->problem = ow_printf ("cannot read store's log: %s", problem);
    else
    if (!ow_follower_started (self->follower))
        ow_pb_set_string (&reply->health->problem, "waiting for store to say where notify "
                                                   "left off");
    return reply;
}

static Ofwatch__V1__Reply *
handle (void *context, const Ofwatch__V1__Request *request)
{
    notify_t *self = context;
    switch (request->body_case) {
        case OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER:
            return replay_forward (self->replay, request->events_after);
        case OFWATCH__V1__REQUEST__BODY_HEALTH:
            return health (self);
        //  A webhook sends the whole log to a URL of its maker's choosing,
        //  and the listing shows everyone's: ow_server let through only
        //  inspectorate keys (and the services' own), as ow_rights says.
        case OFWATCH__V1__REQUEST__BODY_WEBHOOK_ADD:
        case OFWATCH__V1__REQUEST__BODY_WEBHOOK_LIST:
        case OFWATCH__V1__REQUEST__BODY_WEBHOOK_REMOVE:
        case OFWATCH__V1__REQUEST__BODY_WEBHOOK_ENABLE:
            return webhooks_handle (self->webhooks, request, ow_follower_cursor (self->follower));
        default:
            return NULL;
    }
}

//  Every OW_LEADER_CHECK_MS: the replica that leads delivers the
//  webhooks (each from its saved cursor, so one that takes over resumes
//  where the last leader's delivery was acknowledged); every replica
//  publishes and replays.
static int
on_lead (zloop_t *loop, int timer_id, void *argument)
{
    notify_t *self = argument;
    webhooks_start (self->webhooks);
    webhooks_lead (self->webhooks, ow_leader_check (self->leader));
    return 0;
}

//  Half a second after binding: subscribers that were connected before a
//  restart have reconnected, so what is published from the cursor on
//  reaches them.
static int
on_joined (zloop_t *loop, int timer_id, void *argument)
{
    notify_t *self = argument;
    ow_follower_attach (self->follower, loop);
    return 0;
}

//  The port of each item of a comma-separated list.
static void
add_listed (webhook_ports_t *ports, const char *list, int (*port_of) (const char *))
{
    char *copy = ow_strdup (list), *saved = NULL;
    for (char *item = strtok_r (copy, ",", &saved); item; item = strtok_r (NULL, ",", &saved))
        webhook_ports_add (ports, port_of (item));
    free (copy);
}

//  ofwatch's own ports, which no webhook may name: every endpoint's (each
//  replica's, when a variable lists several), every PostgreSQL server's
//  and notify's metrics.
static void
own_ports (const ow_config_t *config, webhook_ports_t *ports)
{
    const char *endpoints [] = { config->ingest, config->store, config->store_events,
                                 config->analytics, config->notify_pub, config->notify_replay };
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints [0]; i++)
        add_listed (ports, endpoints [i], webhook_endpoint_port);
    const char *pg_ports = "5432";
    PQconninfoOption *options = PQconninfoParse (config->pg, NULL);
    for (PQconninfoOption *option = options; option && option->keyword; option++)
        if (streq (option->keyword, "port") && option->val && *option->val)
            pg_ports = option->val;
    //  A multi-host string lists a port per host: "5432,5433".
    add_listed (ports, pg_ports, atoi);
    PQconninfoFree (options);
    webhook_ports_add (ports, config->metrics_port);
}

static void
serve (notify_t *self, ow_server_t *server)
{
    zloop_t *loop = zloop_new ();
    ow_server_attach (server, loop);
    replay_attach (self->replay, loop);
    zloop_timer (loop, JOIN_GRACE_MS, 1, on_joined, self);
    on_lead (loop, 0, self);
    zloop_timer (loop, OW_LEADER_CHECK_MS, 0, on_lead, self);
    ow_service_run (loop);
    zloop_destroy (&loop);
    ow_info ("stopping");
}

int
main (void)
{
    notify_t self = { 0 };
    ow_service_init (&self.config, "notify");
    self.reg = ow_service_register (&self.config);
    if (!self.reg)
        return 1;
    //  Before any delivery thread exists: libcurl's global set-up is not
    //  thread-safe.
    curl_global_init (CURL_GLOBAL_DEFAULT);
    self.store = ow_client_new (self.config.store, "store");
    self.metrics = ow_metrics_new ("notify", self.config.metrics_port);
    webhook_settings_t settings = {
        .store = self.config.store,
        .pg = self.config.pg,
        .backoff_ms = (int) ow_config_number ("OFWATCH_WEBHOOK_BACKOFF_MS", 500, 1, 3600000),
        .backoff_max_ms = (int) ow_config_number ("OFWATCH_WEBHOOK_BACKOFF_MAX_MS", 30000, 1,
                                                  3600000),
        .max_subscriptions = (int) ow_config_number ("OFWATCH_WEBHOOK_MAX", 1000, 1, 100000),
        .metrics = self.metrics,
    };
    own_ports (&self.config, &settings.ports);
    self.webhooks = webhooks_new (&settings, self.config.data, self.reg);
    self.leader = ow_leader_new (self.config.pg, OW_LEADER_NOTIFY, "notify");
    int rc = 1;
    ow_server_t *server = NULL;
    self.publisher = ow_publisher_new (self.config.notify_pub, "notify");
    if (self.publisher)
        server = self.server = ow_server_new (self.config.notify_replay, "notify", handle, &self);
    if (server) {
        ow_server_set_metrics (server, self.metrics);
        //  The cursor is committed off the reactor from the one store
        //  keeps, which the follower asks for first.
        self.cursor = publish_cursor_new (self.config.store, CONSUMER);
        self.replay = replay_new (self.config.store, server);
        self.follower = ow_follower_new_consumer (self.store, self.config.store_events, CONSUMER,
                                                  on_event, on_flush, &self);
        serve (&self, server);
        if (ow_follower_started (self.follower))
            publish_cursor_set (self.cursor, ow_follower_cursor (self.follower));
        rc = 0;
    }
    replay_destroy (&self.replay);
    publish_cursor_destroy (&self.cursor);
    webhooks_destroy (&self.webhooks);
    ow_leader_destroy (&self.leader);
    ow_follower_destroy (&self.follower);
    ow_server_destroy (&server);
    ow_publisher_destroy (&self.publisher);
    ow_client_destroy (&self.store);
    ow_metrics_destroy (&self.metrics);
    ow_register_destroy (&self.reg);
    curl_global_cleanup ();
    return rc;
}
