/*  ofwatch-analytics — derives events from the histories and answers
    questions about them.

    Binds OFWATCH_ANALYTICS (ROUTER: health and queries) and, unless
    OFWATCH_HTTP_PORT is 0, serves pages and /api/ JSON over HTTP (default
    port 7180); follows store's log from its committed cursor
    (OFWATCH_STORE_EVENTS, catching up through OFWATCH_STORE); reads
    PostgreSQL read-only (OFWATCH_PG). OFWATCH_CLOCK=YYYY-MM-DD fixes the
    day time-dependent events are computed against (default: today, UTC).
    Nothing on the reactor waits for store: the cursor, the catch-up and
    the commits of derived events are answered when store's replies come
    (ow_follower, ow_calls), so queries and health are answered while
    store is away, and what was derived meanwhile is committed when it
    returns.
*/

#include "analytics.h"
#include "ow_calls.h"
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
//  How long an authority's history must have stood still before an
//  overdue visit is raised from it (see derive_timed).
#define TIMED_QUIET_MS      2000
//  A commit of many derived events is one store transaction of seconds.
#define COMMIT_TIMEOUT_MS   60000
//  At stop, store is given this long for the last commit.
#define LAST_COMMIT_MS      3000

int
analytics_today (const analytics_t *self)
{
    if (self->clock != OW_DATE_NONE)
        return self->clock;
    return (int) (time (NULL) / 86400);
}

bool
analytics_known (analytics_t *self, const char *dedupe_key)
{
    return keyset_contains (self->committed_keys, dedupe_key)
        || keyset_contains (self->waiting_keys, dedupe_key);
}

void
analytics_emit (analytics_t *self, const char *dedupe_key, Ofwatch__V1__Event *event)
{
    //  A standby derives too (its model answers queries) but keeps
    //  nothing: the leader commits, and the standby hears it in the log.
    if (!ow_leader_leads (self->leader)) {
        ow_pb_free (&event);
        return;
    }
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
    status_log_note (self->status_log, event);
    Ofwatch__V1__DerivedEvent *derived = OW_PB_NEW (Ofwatch__V1__DerivedEvent,
                                                    ofwatch__v1__derived_event__init);
    derived->dedupe_key = ow_strdup (dedupe_key);
    derived->event = event;
    ow_pb_append ((void ***) &self->derived->events, &self->derived->n_events, derived);
}

bool
analytics_status_marks (analytics_t *self, const char *authority,
                        analytics_mark_t **marks, size_t *count)
{
    //  In flight to store, or derived since.
    const Ofwatch__V1__DeriveRequest *waiting [] = { self->sending, self->derived };
    return status_log_marks (self->status_log, authority, waiting, 2, marks, count);
}

//  Adds an authority to a list unless it is there; false when the list
//  is full.
static bool
note_in (char **list, size_t *count, const char *authority)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp (list [i], authority) == 0)
            return true;
    if (*count == ANALYTICS_MAX_PENDING)
        return false;
    list [(*count)++] = ow_strdup (authority);
    return true;
}

static void
free_heard (void **item)
{
    free (*item);
    *item = NULL;
}

static void
note_authority (analytics_t *self, const char *authority)
{
    if (!note_in (self->pending, &self->n_pending, authority))
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
    status_log_note (self->status_log, event);
    if (!records_a_fact (event->type) || !event->authority || !*event->authority)
        return;
    int64_t *heard = zhashx_lookup (self->heard, event->authority);
    if (!heard) {
        heard = ow_calloc (1, sizeof (int64_t));
        zhashx_insert (self->heard, event->authority, heard);
    }
    *heard = zclock_mono ();
    //  A document's facts come authority by authority: most events repeat
    //  the last one noted.
    if (self->n_pending && strcmp (self->pending [self->n_pending - 1], event->authority) == 0)
        return;
    note_authority (self, event->authority);
}

static void commit (analytics_t *self, uint64_t cursor);

//  The events of `later` appended to `earlier` (taken over, freed).
static void
append_derived (Ofwatch__V1__DeriveRequest *earlier, Ofwatch__V1__DeriveRequest **later_p)
{
    Ofwatch__V1__DeriveRequest *later = *later_p;
    for (size_t i = 0; i < later->n_events; i++)
        ow_pb_append ((void ***) &earlier->events, &earlier->n_events, later->events [i]);
    free (later->events);
    later->events = NULL;
    later->n_events = 0;
    if (later->cursor > earlier->cursor)
        earlier->cursor = later->cursor;
    ow_pb_free (later_p);
}

//  Store's answer to a commit. On success the keys sent are known to be
//  in the log; otherwise what was sent goes back in front of what was
//  derived since, to be sent again (store drops a dedupe key it has).
static void
committed (void *context, void *argument, Ofwatch__V1__Reply *reply)
{
    analytics_t *self = context;
    Ofwatch__V1__DeriveRequest *sent = self->sending;
    self->sending = NULL;
    assert (sent);
    if (reply->body_case == OFWATCH__V1__REPLY__BODY_DERIVE) {
        for (size_t i = 0; i < sent->n_events; i++)
            keyset_add (self->committed_keys, sent->events [i]->dedupe_key);
        keyset_clear (self->waiting_keys);
        for (size_t i = 0; self->derived && i < self->derived->n_events; i++)
            keyset_add (self->waiting_keys, self->derived->events [i]->dedupe_key);
        ow_metrics_count (self->metrics, "ofwatch_events_derived_total", NULL,
                          (double) sent->n_events);
        self->flushed_cursor = sent->cursor;
        if (self->commit_failing)
            ow_info ("committing derived events again");
        self->commit_failing = false;
        ow_pb_free (&sent);
        if (self->derived)
            commit (self, self->derived->cursor);
    }
    else {
        if (!self->commit_failing)
            ow_warn ("could not commit derived events and the cursor; will retry",
                     "reason", ow_client_error_message (reply));
        self->commit_failing = true;
        if (self->derived)
            append_derived (sent, &self->derived);
        self->derived = sent;
        self->commit_at = zclock_mono () + 1000;
    }
    ow_pb_free (&reply);
}

//  Sends what was derived, with the cursor, in one store transaction,
//  without waiting; while one commit is on its way the next waits for it.
static void
commit (analytics_t *self, uint64_t cursor)
{
    //  Only the leader moves the cursor: a standby's would say it had
    //  derived what it has not kept.
    if (!ow_leader_leads (self->leader))
        return;
    if (!self->derived) {
        self->derived = OW_PB_NEW (Ofwatch__V1__DeriveRequest, ofwatch__v1__derive_request__init);
        self->derived->consumer = ow_strdup (CONSUMER);
    }
    if (cursor > self->derived->cursor)
        self->derived->cursor = cursor;
    if (self->sending || zclock_mono () < self->commit_at)
        return;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_DERIVE;
    request.derive = self->derived;
    char *error = NULL;
    if (ow_calls_send (self->calls, &request, COMMIT_TIMEOUT_MS, committed, self, NULL, &error)) {
        self->sending = self->derived;
        self->derived = NULL;
    }
    else {
        ow_warn ("could not send derived events to store; will retry", "reason", error);
        self->commit_at = zclock_mono () + 1000;
    }
    free (error);
}

//  Once a second: a commit that failed is tried again.
static int
on_retry (zloop_t *loop, int timer_id, void *argument)
{
    analytics_t *self = argument;
    if (self->derived && !self->sending && zclock_mono () >= self->commit_at)
        commit (self, self->derived->cursor);
    return 0;
}

//  Every OW_LEADER_CHECK_MS: whether this replica leads. One that takes
//  over derives everything afresh from the histories, as a restarted
//  analytics does: what the old leader committed comes again under the
//  same dedupe keys and store drops it, and what it derived but never
//  committed (killed in between) is committed now. One that stops
//  leading keeps nothing it has not sent.
static void on_flush (void *context, uint64_t cursor);

static int
on_lead (zloop_t *loop, int timer_id, void *argument)
{
    analytics_t *self = argument;
    bool was = ow_leader_leads (self->leader);
    bool leads = ow_leader_check (self->leader);
    if (leads && !was) {
        self->derive_all = true;
        if (ow_follower_started (self->follower))
            on_flush (self, ow_follower_cursor (self->follower));
    }
    else
    if (was && !leads) {
        ow_pb_free (&self->derived);
        keyset_clear (self->waiting_keys);
    }
    return 0;
}

//  Whether an authority's history has stood still for TIMED_QUIET_MS.
static bool
settled (analytics_t *self, const char *code)
{
    const int64_t *heard = zhashx_lookup (self->heard, code);
    return !heard || zclock_mono () - *heard >= TIMED_QUIET_MS;
}

//  An overdue visit, from a history that has stopped moving. A history
//  arrives a document at a time, and an authority's documents may come in
//  any order: in the middle of a load, Norfolk's 2013 inadequate report
//  without the 2017 one that ended its spell would make its monitoring
//  visits overdue since 2014. Grade changes are named by their cause and
//  stay true as a history grows; an overdue visit would not. So one that
//  would be raised from a history that moved in the last TIMED_QUIET_MS
//  waits (and analytics does not say it has derived from the log until
//  it has asked again); histories with nothing overdue wait for nothing.
static void
derive_overdue (analytics_t *self, const model_history_t *history, int today)
{
    const char *code = history->authority->code;
    if (!analytics_derive_overdue (self, history, today, settled (self, code))
        && !note_in (self->timed, &self->n_timed, code))
        analytics_derive_overdue (self, history, today, true);     // no room to wait
}

//  What analytics derives from one authority's history as it stands.
static void
derive_for (analytics_t *self, const model_history_t *history, int today)
{
    analytics_derive_grades (self, history);
    analytics_derive_themes (self, history);
    analytics_derive_deadlines (self, history, today);
    derive_overdue (self, history, today);
}

//  The overdue visits that waited, of histories that have now settled.
static void
derive_timed (analytics_t *self, int today)
{
    size_t kept = 0;
    for (size_t i = 0; i < self->n_timed; i++) {
        const model_history_t *history = model_history_by_code (self->model, self->timed [i]);
        if (history && !settled (self, self->timed [i]))
            self->timed [kept++] = self->timed [i];
        else {
            if (history)
                analytics_derive_overdue (self, history, today, true);
            free (self->timed [i]);
        }
    }
    self->n_timed = kept;
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
        else {
            analytics_derive_deadlines (self, history, today);
            derive_overdue (self, history, today);
        }
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
    derive_timed (self, today);
    bool derived = self->derived && self->derived->n_events > 0;
    if (self->n_pending == 0 && !self->derive_all) {
        //  An overdue visit still waiting for its history to settle needs
        //  no hold on the cursor (a restart derives every history afresh),
        //  but analytics has not derived from the log until it is raised.
        if (self->n_timed == 0)
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
    ow_pb_set_string (&reply->health->role, ow_leader_role (self->leader));
    reply->health->database_ok = ow_db_ready (self->db);
    //  Caught up means derived from, not only read: deriving may wait
    //  for the end of a burst.
    reply->health->last_seq = self->derived_through;
    reply->health->starting = !self->loaded;
    const char *problem = ow_follower_problem (self->follower);
    if (*problem)
        reply->health->problem = ow_printf ("cannot read store's log: %s", problem);
    else
    if (self->commit_failing)
        ow_pb_set_string (&reply->health->problem, "cannot commit derived events to store");
    else
    if (!self->loaded)
        ow_pb_set_string (&reply->health->problem, "reading the histories from PostgreSQL");
    else
    if (!ow_follower_started (self->follower))
        ow_pb_set_string (&reply->health->problem, "waiting for store to say where analytics "
                                                   "left off");
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

//  After the reactor has stopped: what is still to derive is derived, and
//  committed while store is given LAST_COMMIT_MS to answer.
static void
finish (analytics_t *self)
{
    //  A commit on its way is answered (failed) and so put back in front.
    ow_calls_destroy (&self->calls);
    if (!ow_follower_started (self->follower))
        return;
    uint64_t cursor = ow_follower_cursor (self->follower);
    int today = analytics_today (self);
    if (self->loaded)
        derive_pending (self, today);
    if (self->n_pending || self->derive_all || !self->derived
        || !ow_leader_leads (self->leader))
        return;
    if (cursor > self->derived->cursor)
        self->derived->cursor = cursor;
    if (ow_cursor_commit (self->store, self->derived, LAST_COMMIT_MS))
        ow_pb_free (&self->derived);
}

static void
serve (analytics_t *self, ow_server_t *server)
{
    ow_server_set_metrics (server, self->metrics);
    self->calls = ow_calls_new (self->config.store, "store");
    self->follower = ow_follower_new_consumer (self->store, self->config.store_events, CONSUMER,
                                               on_event, on_flush, self);
    zloop_t *loop = zloop_new ();
    ow_server_attach (server, loop);
    ow_calls_attach (self->calls, loop);
    ow_follower_attach (self->follower, loop);
    zloop_timer (loop, 1000, 0, on_retry, self);
    zloop_timer (loop, OW_LEADER_CHECK_MS, 0, on_lead, self);
    ow_service_run (loop);
    zloop_destroy (&loop);
    ow_info ("stopping");
    finish (self);
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
    self.heard = zhashx_new ();
    zhashx_set_destructor (self.heard, free_heard);
    self.committed_keys = keyset_new ();
    //  Reads may go to a standby (OFWATCH_PG_READ); the lead is taken on
    //  the primary, where store writes.
    self.db = ow_db_new (self.config.pg_read, "analytics");
    self.leader = ow_leader_new (self.config.pg, OW_LEADER_ANALYTICS, "analytics");
    ow_leader_check (self.leader);
    //  Each history read is planned for its authority: a cached generic
    //  plan, made once the tables hold a national record, joins whole
    //  tables by hash to find one authority's rows.
    ow_db_on_connect (self.db, "SET default_transaction_read_only = on;"
                               " SET plan_cache_mode = force_custom_plan");
    model_prepare (self.db);
    self.store = ow_client_new (self.config.store, "store");
    self.status_log = status_log_new (self.db);
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
    for (size_t i = 0; i < self.n_timed; i++)
        free (self.timed [i]);
    ow_pb_free (&self.derived);
    ow_pb_free (&self.sending);
    keyset_destroy (&self.waiting_keys);
    zhashx_destroy (&self.heard);
    keyset_destroy (&self.committed_keys);
    ow_follower_destroy (&self.follower);
    ow_server_destroy (&server);
    status_log_destroy (&self.status_log);
    ow_client_destroy (&self.store);
    ow_db_destroy (&self.db);
    ow_leader_destroy (&self.leader);
    ow_metrics_destroy (&self.metrics);
    model_destroy (&self.model);
    free (self.states);
    sheet_register_destroy (&self.sheet);
    ow_register_destroy (&self.reg);
    return rc;
}
