/*  ofwatch-analytics — derives events from the histories and answers
    questions about them.

    Binds OFWATCH_ANALYTICS (ROUTER: health and queries) and, unless
    OFWATCH_HTTP_PORT is 0, serves pages and /api/ JSON over HTTP (default
    port 7180); follows store's log from its committed cursor
    (OFWATCH_STORE_EVENTS, catching up through OFWATCH_STORE); reads
    PostgreSQL read-only (OFWATCH_PG). OFWATCH_CLOCK=YYYY-MM-DD fixes the
    day time-dependent events are computed against (default: today, UTC).
*/

#include "analytics.h"
#include "ow_cursor.h"
#include "ow_date.h"
#include "ow_log.h"
#include "ow_service.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#include <time.h>

#define CONSUMER            "analytics"
//  How far the cursor may run ahead of the committed one when nothing is
//  derived: a restart re-reads at most this many events.
#define CURSOR_SAVE_EVERY   1000
//  The longest deriving waits for the end of a burst of events.
#define DERIVE_WAIT_MS      1000

int
analytics_today (const analytics_t *self)
{
    if (self->clock != OW_DATE_NONE)
        return self->clock;
    return (int) (time (NULL) / 86400);
}

Ofwatch__V1__Event *
analytics_event_new (Ofwatch__V1__EventType type, const char *authority, const char *occurred_on)
{
    Ofwatch__V1__Event *event = OW_PB_NEW (Ofwatch__V1__Event, ofwatch__v1__event__init);
    event->type = type;
    ow_pb_set_string (&event->authority, authority);
    ow_pb_set_string (&event->occurred_on, occurred_on);
    event->payload = OW_PB_NEW (Ofwatch__V1__Payload, ofwatch__v1__payload__init);
    return event;
}

void
analytics_emit (analytics_t *self, const char *dedupe_key, Ofwatch__V1__Event *event)
{
    if (!self->derived) {
        self->derived = OW_PB_NEW (Ofwatch__V1__DeriveRequest, ofwatch__v1__derive_request__init);
        self->derived->consumer = ow_strdup (CONSUMER);
    }
    //  store refuses a batch holding one key twice; a cause derived again
    //  before the batch was committed is the same event, and one already
    //  committed is in the log.
    if (keyset_contains (self->committed_keys, dedupe_key)
        || !keyset_add (self->waiting_keys, dedupe_key)) {
        ow_pb_free (&event);
        return;
    }
    Ofwatch__V1__DerivedEvent *derived = OW_PB_NEW (Ofwatch__V1__DerivedEvent,
                                                    ofwatch__v1__derived_event__init);
    derived->dedupe_key = ow_strdup (dedupe_key);
    derived->event = event;
    ow_pb_append ((void ***) &self->derived->events, &self->derived->n_events, derived);
}

static void
note_authority (analytics_t *self, const char *authority)
{
    for (size_t i = 0; i < self->n_pending; i++)
        if (strcmp (self->pending [i], authority) == 0)
            return;
    if (self->n_pending < ANALYTICS_MAX_PENDING)
        self->pending [self->n_pending++] = ow_strdup (authority);
    else
        self->derive_all = true;        // more changed than we track: reload them all
}

//  Every change to a history is a stored document, and store commits a
//  document with all it causes in one transaction: reloading an authority
//  once the burst is flushed sees the whole batch. A records feed can
//  speak of many authorities, so each fact's authority is noted, not only
//  the document's; derived events (analytics' own) change no history.
//  (After a restart the whole model is read afresh, so a batch split by
//  the cursor is covered.)
static bool
records_a_fact (Ofwatch__V1__EventType type)
{
    switch (type) {
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DOCUMENT_RECEIVED:
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_INSPECTION_RECORDED:
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_RECORDED:
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_FINDING_RECORDED:
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_CONFLICT_DETECTED:
        case OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_DEADLINE_SET:
            return true;
        default:
            return false;
    }
}

static void
on_event (void *context, const Ofwatch__V1__Event *event)
{
    analytics_t *self = context;
    if (!records_a_fact (event->type) || !event->authority || !*event->authority)
        return;
    //  A document's facts come authority by authority: most events repeat
    //  the last one noted.
    if (self->n_pending && strcmp (self->pending [self->n_pending - 1], event->authority) == 0)
        return;
    note_authority (self, event->authority);
}

//  Sends what was derived, with the cursor, in one store transaction.
static bool
commit (analytics_t *self, uint64_t cursor)
{
    if (!self->derived) {
        self->derived = OW_PB_NEW (Ofwatch__V1__DeriveRequest, ofwatch__v1__derive_request__init);
        self->derived->consumer = ow_strdup (CONSUMER);
    }
    self->derived->cursor = cursor;
    size_t derived = self->derived->n_events;
    if (!ow_cursor_commit (self->store, self->derived))
        return false;
    for (size_t i = 0; i < self->derived->n_events; i++)
        keyset_add (self->committed_keys, self->derived->events [i]->dedupe_key);
    keyset_clear (self->waiting_keys);
    ow_metrics_count (self->metrics, "ofwatch_events_derived_total", NULL, (double) derived);
    ow_pb_free (&self->derived);
    self->flushed_cursor = cursor;
    return true;
}

//  Everything analytics derives for one authority whose history is
//  current in the model.
static void
derive_for (analytics_t *self, const model_history_t *history, int today)
{
    analytics_derive_grades (self, history);
    analytics_derive_themes (self, history);
    analytics_derive_time (self, history, today);
}

//  Reloads and derives for the authorities the log named. Those that
//  could not be done (database down) stay pending for the next flush.
static void
derive_pending (analytics_t *self, int today)
{
    size_t kept = 0;
    for (size_t i = 0; i < self->n_pending; i++) {
        const model_history_t *history = model_history_by_code (self->model, self->pending [i]);
        bool done = !history || model_load (self->model, self->db, self->pending [i]);
        if (history && done)
            derive_for (self, history, today);
        if (done)
            free (self->pending [i]);
        else
            self->pending [kept++] = self->pending [i];
    }
    self->n_pending = kept;
}

//  At start, on a new day, or when too much changed to track: everything.
static void
derive_everything (analytics_t *self, int today)
{
    bool reload = self->derive_all || !self->loaded;
    if (reload && !model_load (self->model, self->db, NULL))
        return;
    model_lock (self->model);
    self->loaded = true;
    model_unlock (self->model);
    for (size_t i = 0; i < model_size (self->model); i++) {
        const model_history_t *history = model_at (self->model, i);
        if (reload)
            derive_for (self, history, today);
        else
            analytics_derive_time (self, history, today);
    }
    self->derive_all = false;
    self->derived_day = today;
}

//  Whether more of a burst is already waiting (on the socket, or pages of
//  a catch-up), so deriving can wait for its end: an authority a records
//  feed speaks of in every thousand events is then reloaded once, not a
//  hundred times. Never for longer than DERIVE_WAIT_MS.
static bool
burst_continues (analytics_t *self, uint64_t cursor)
{
    if (zclock_mono () - self->derived_at >= DERIVE_WAIT_MS)
        return false;
    return (zsock_events (ow_follower_socket (self->follower)) & ZMQ_POLLIN)
        || ow_follower_log_last (self->follower) > cursor;
}

static void
on_flush (void *context, uint64_t cursor)
{
    analytics_t *self = context;
    uint64_t last = ow_follower_log_last (self->follower);
    ow_metrics_set (self->metrics, "ofwatch_catchup_lag", NULL,
                    last > cursor ? (double) (last - cursor) : 0);
    if (burst_continues (self, cursor))
        return;
    self->derived_at = zclock_mono ();
    int today = analytics_today (self);
    if (self->derive_all || !self->loaded || today != self->derived_day)
        derive_everything (self, today);
    if (self->loaded)
        derive_pending (self, today);
    bool derived = self->derived && self->derived->n_events > 0;
    if (self->n_pending == 0 && !self->derive_all) {
        self->derived_through = cursor;
        if (derived || cursor >= self->flushed_cursor + CURSOR_SAVE_EVERY)
            commit (self, cursor);
    }
}

static Ofwatch__V1__Reply *
health (analytics_t *self)
{
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_HEALTH;
    reply->health = OW_PB_NEW (Ofwatch__V1__HealthReply, ofwatch__v1__health_reply__init);
    ow_pb_set_string (&reply->health->service, "analytics");
    reply->health->database_ok = ow_db_ready (self->db);
    //  Caught up means derived from, not only read: deriving may wait
    //  for the end of a burst.
    reply->health->last_seq = self->derived_through;
    return reply;
}

static Ofwatch__V1__Reply *
handle (void *context, const Ofwatch__V1__Request *request)
{
    analytics_t *self = context;
    if (request->body_case == OFWATCH__V1__REQUEST__BODY_HEALTH)
        return health (self);
    return analytics_answer (self, request);
}

//  OFWATCH_CLOCK and OFWATCH_HTTP_PORT, which only analytics reads.
static bool
read_settings (analytics_t *self)
{
    const char *clock = getenv ("OFWATCH_CLOCK");
    self->clock = OW_DATE_NONE;
    if (clock && *clock) {
        self->clock = ow_date_from_iso (clock);
        if (self->clock == OW_DATE_NONE) {
            ow_error ("OFWATCH_CLOCK must be a date YYYY-MM-DD", "value", clock);
            return false;
        }
        ow_info ("the clock is fixed", "day", clock);
    }
    const char *port = getenv ("OFWATCH_HTTP_PORT");
    char *end = NULL;
    long value = port && *port ? strtol (port, &end, 10) : ANALYTICS_HTTP_PORT_DEFAULT;
    if ((end && *end) || value < 0 || value > 65535) {
        ow_error ("OFWATCH_HTTP_PORT must be a port number (0: no HTTP server)", "value", port);
        return false;
    }
    self->http_port = (int) value;
    return true;
}

static void
serve (analytics_t *self, ow_server_t *server)
{
    uint64_t cursor = 0;
    if (!ow_cursor_load (self->store, CONSUMER, &cursor))
        return;
    ow_server_set_metrics (server, self->metrics);
    self->flushed_cursor = cursor;
    self->follower = ow_follower_new (self->store, self->config.store_events, cursor, NULL,
                                      on_event, on_flush, self);
    on_flush (self, cursor);
    ow_follower_catch_up (self->follower);
    ow_service_serve (server, self->follower);
    on_flush (self, ow_follower_cursor (self->follower));
}

int
main (void)
{
    analytics_t self = { 0 };
    ow_service_init (&self.config, "analytics");
    self.reg = ow_service_register (&self.config);
    if (!self.reg || !read_settings (&self)) {
        ow_register_destroy (&self.reg);
        return 1;
    }
    char *error = NULL;
    self.sheet = sheet_register_load (self.config.data, &error);
    if (!self.sheet) {
        ow_error ("cannot read the register's columns the summary export writes",
                  "reason", error);
        free (error);
        ow_register_destroy (&self.reg);
        return 1;
    }
    self.model = model_new (self.reg);
    self.derive_all = true;
    self.derived_day = OW_DATE_NONE;
    self.waiting_keys = keyset_new ();
    self.committed_keys = keyset_new ();
    self.db = ow_db_new (self.config.pg, "analytics");
    //  Each history read is planned for its authority: a cached generic
    //  plan, made once the tables hold a national record, joins whole
    //  tables by hash to find one authority's rows.
    ow_db_on_connect (self.db, "SET default_transaction_read_only = on;"
                               " SET plan_cache_mode = force_custom_plan");
    model_prepare (self.db);
    self.store = ow_client_new (self.config.store, "store");
    self.metrics = ow_metrics_new ("analytics", self.config.metrics_port);
    ow_server_t *server = ow_server_new (self.config.analytics, "analytics", handle, &self);
    int rc = 1;
    if (server) {
        self.http = analytics_http_new (&self, self.http_port);
        serve (&self, server);
        rc = 0;
    }
    analytics_http_destroy (&self.http);
    for (size_t i = 0; i < self.n_pending; i++)
        free (self.pending [i]);
    ow_pb_free (&self.derived);
    keyset_destroy (&self.waiting_keys);
    keyset_destroy (&self.committed_keys);
    ow_follower_destroy (&self.follower);
    ow_server_destroy (&server);
    ow_client_destroy (&self.store);
    ow_db_destroy (&self.db);
    ow_metrics_destroy (&self.metrics);
    model_destroy (&self.model);
    free (self.states);
    sheet_register_destroy (&self.sheet);
    ow_register_destroy (&self.reg);
    return rc;
}
