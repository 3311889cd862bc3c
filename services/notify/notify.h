/*  notify — the edge where downstream systems hear events.

    Three ways out, all fed from store's log: a PUB socket (topics
    type.authority[.theme]), a replay ROUTER (events after a seq, with a
    filter, answered from store's log), and webhooks. A webhook
    subscription lives in notify's own schema (`notify`, migrations in
    data/migrations/notify) with its own cursor; all of them are
    delivered by one engine thread with one PostgreSQL connection, one
    socket to store and many POSTs in flight at once, so a slow or dead
    endpoint holds up nothing but itself, and no number of subscriptions
    can take store's or PostgreSQL's connections. At most
    OFWATCH_WEBHOOK_MAX subscriptions may exist.

    Files: main.c (start, the PUB, health), replay.c (replays passed on to
    store without waiting), publish_cursor.c (how far it has published,
    committed off the reactor), webhooks.c (the subscriptions and their
    admin requests), webhook_table.c (their rows), webhook_url.c (where a
    webhook may point), delivery.c (the delivery engine), http_post.c (one
    POST's options and outcome), cloudevent.c (the signed body).
*/
#ifndef NOTIFY_H
#define NOTIFY_H

#include <czmq.h>
#include <curl/curl.h>
#include "ow_db.h"
#include "ow_metrics.h"
#include "ow_pb.h"
#include "ow_register.h"
#include "ow_server.h"
#include "webhook_url.h"

//  After this many consecutive failed attempts a subscription shows as
//  failing; it keeps being retried at the capped interval.
#define WEBHOOK_FAILING_AFTER 5

//  What every delivery thread is given; borrowed strings outlive them.
typedef struct {
    const char *store;              // store's ROUTER endpoint (the log)
    const char *pg;                 // libpq connection string
    int backoff_ms;                 // first retry after this (jittered)
    int backoff_max_ms;             // retries never wait longer
    int max_subscriptions;          // OFWATCH_WEBHOOK_MAX
    webhook_ports_t ports;          // ofwatch's own, which no webhook may name
    ow_metrics_t *metrics;          // thread-safe; may be NULL
} webhook_settings_t;

//  ---- webhook_table.c: notify.webhook rows -------------------------------

//  One subscription as a delivery thread needs it: everything, secret too.
typedef struct {
    uint64_t id;
    char *url;
    char *secret;
    Ofwatch__V1__EventFilter *filter;   // NULL: every event
    uint64_t cursor;
    uint32_t failures;
} webhook_spec_t;

void webhook_table_prepare (ow_db_t *db);

//  Row `row` of a result of the "webhook_*" statements as the admin view
//  (never the secret) or as a spec (caller frees with webhook_spec_free).
Ofwatch__V1__Webhook *webhook_table_view (const PGresult *result, int row);
webhook_spec_t *webhook_table_spec (const PGresult *result, int row);
void webhook_spec_free (webhook_spec_t **spec_p);

//  Persists the delivery progress of `count` subscriptions in one
//  statement: each one's cursor, `delivered` more events, failures back
//  to 0. False (logged) on a database error.
bool webhook_table_save_progress (ow_db_t *db, const uint64_t *ids, const uint64_t *cursors,
                                  const uint64_t *delivered, size_t count);

//  Persists a failed attempt.
bool webhook_table_save_failure (ow_db_t *db, uint64_t id, uint32_t failures,
                                 const char *error);

//  ---- cloudevent.c -------------------------------------------------------

//  The event as CloudEvents 1.0 structured-mode JSON; caller frees.
char *cloudevent_body (const Ofwatch__V1__Event *event);

//  The X-Ofwatch-Signature header line for body, signed with secret;
//  caller frees.
char *cloudevent_signature_header (const char *secret, const char *body, size_t size);

//  ---- http_post.c --------------------------------------------------------

//  Sets easy up to POST body to url with the headers; `detail`
//  (CURL_ERROR_SIZE bytes) gets libcurl's words on a failure, *refusal
//  why a connection's address was refused (webhook_url.h).
void http_post_prepare (CURL *easy, const char *url, struct curl_slist *headers, const char *body,
                        size_t size, char *detail, const char **refusal);

//  After the transfer ended with code: true for a 2xx answer; otherwise
//  false with a sentence in error (size bytes).
bool http_post_outcome (CURL *easy, CURLcode code, const char *detail, const char *refusal,
                        char *error, size_t size);

//  ---- delivery.c: the delivery engine -------------------------------------

typedef struct _deliveries_t deliveries_t;

//  Starts the engine's thread.
deliveries_t *deliveries_new (const webhook_settings_t *settings);

//  Stops it: POSTs in flight are cut short, progress is saved.
void deliveries_destroy (deliveries_t **self_p);

//  Starts delivering spec (copied) after its cursor.
void deliveries_start (deliveries_t *self, const webhook_spec_t *spec);

//  Stops delivering subscription id; returns once no POST of it is in
//  flight and its progress is saved.
void deliveries_stop (deliveries_t *self, uint64_t id);

//  Tells the engine the log has grown, when a subscription waits for that.
void deliveries_wake (deliveries_t *self);

//  ---- replay.c -------------------------------------------------------------

typedef struct _replay_t replay_t;

//  Answers replays through `server` (borrowed) from store at endpoint.
replay_t *replay_new (const char *store, ow_server_t *server);

//  Answers what is still waiting with UNAVAILABLE.
void replay_destroy (replay_t **self_p);

//  Registers the store socket and the timeout sweep on a reactor.
int replay_attach (replay_t *self, zloop_t *loop);

//  In a request handler: passes the query on to store and returns
//  OW_SERVER_LATER, or an error reply when it cannot.
Ofwatch__V1__Reply *replay_forward (replay_t *self, const Ofwatch__V1__EventsAfter *query);

//  ---- publish_cursor.c ---------------------------------------------------

typedef struct _publish_cursor_t publish_cursor_t;

//  Commits `consumer`'s cursor to store (endpoint) from a thread of its
//  own (the first one set is committed even if store has it already).
publish_cursor_t *publish_cursor_new (const char *store, const char *consumer);

//  Commits the last cursor set, then stops.
void publish_cursor_destroy (publish_cursor_t **self_p);

//  The newest cursor; never waits.
void publish_cursor_set (publish_cursor_t *self, uint64_t cursor);

//  ---- webhooks.c: the subscriptions --------------------------------------

typedef struct _webhooks_t webhooks_t;

//  `settings`, `data` (where migrations are) and `reg` are borrowed.
webhooks_t *webhooks_new (const webhook_settings_t *settings, const char *data,
                          const ow_register_t *reg);
void webhooks_destroy (webhooks_t **self_p);

//  Applies notify's migrations, once; false while PostgreSQL cannot be
//  reached (call again later).
bool webhooks_start (webhooks_t *self);

//  Called on every leadership check: while this replica leads, the
//  delivery engine runs every enabled subscription (as the table says
//  now); when it stops leading, the engine stops, saving its progress.
void webhooks_lead (webhooks_t *self, bool leading);

//  Wakes every delivery thread waiting for new events.
void webhooks_wake (webhooks_t *self);

//  Answers an admin request (add, list, remove, enable), which the caller
//  has let through; NULL for other bodies. `log_cursor` is the last seq notify has published: a
//  subscription added without from_seq starts after it.
Ofwatch__V1__Reply *webhooks_handle (webhooks_t *self, const Ofwatch__V1__Request *request,
                                     uint64_t log_cursor);

//  True when PostgreSQL answered at the last use.
bool webhooks_database_ok (webhooks_t *self);

#endif
