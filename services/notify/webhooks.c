/*  webhooks — notify's webhook subscriptions: the admin requests on the
    replay ROUTER, and the delivery engine running every enabled one.

    notify.webhook is the truth: a request changes the row first and the
    engine after, so a failed write changes nothing. Everything here runs
    on notify's reactor and only touches PostgreSQL briefly; the
    deliveries themselves run on the engine's thread (delivery.c), on the
    one notify replica that leads (webhooks_lead): every replica answers
    the admin requests, and the leader, which reads the table again at
    every check, starts and stops deliveries as the rows say. At most
    OFWATCH_WEBHOOK_MAX subscriptions exist: the row is added only while
    there are fewer, in the same statement.
*/

#include "notify.h"
#include "ow_log.h"
#include "ow_migrate.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#include <inttypes.h>

//  notify's advisory lock for its migrations: its replay port, as store
//  uses its own port.
#define NOTIFY_MIGRATION_LOCK  7106
#define MAX_SECRET             1024

struct _webhooks_t {
    webhook_settings_t settings;
    const char *data;
    const ow_register_t *reg;
    ow_db_t *db;
    bool prepared;                   // the statements are registered
    bool started;                    // the schema is migrated
    deliveries_t *deliveries;        // the engine, while this replica leads
    zhashx_t *running;               // ids (as text) the engine delivers
};

webhooks_t *
webhooks_new (const webhook_settings_t *settings, const char *data, const ow_register_t *reg)
{
    webhooks_t *self = ow_calloc (1, sizeof *self);
    self->settings = *settings;
    self->data = data;
    self->reg = reg;
    self->db = ow_db_new (settings->pg, "notify");
    self->running = zhashx_new ();
    return self;
}

void
webhooks_destroy (webhooks_t **self_p)
{
    webhooks_t *self = *self_p;
    if (self) {
        deliveries_destroy (&self->deliveries);
        zhashx_destroy (&self->running);
        ow_db_destroy (&self->db);
        free (self);
        *self_p = NULL;
    }
}

//  Starts delivering each row of result not delivered yet, when this
//  replica leads; marks each row seen in `seen` when given.
static void
start_rows (webhooks_t *self, const PGresult *result, zhashx_t *seen)
{
    for (int row = 0; self->deliveries && row < PQntuples (result); row++) {
        const char *id = ow_db_value (result, row, 0);
        assert (id);
        if (seen)
            zhashx_insert (seen, id, (void *) 1);
        if (zhashx_lookup (self->running, id))
            continue;
        webhook_spec_t *spec = webhook_table_spec (result, row);
        deliveries_start (self->deliveries, spec);
        webhook_spec_free (&spec);
        zhashx_insert (self->running, id, (void *) 1);
    }
}

//  Stops delivering subscription id, when this replica does.
static void
stop_one (webhooks_t *self, uint64_t id)
{
    char id_text [24];
    snprintf (id_text, sizeof id_text, "%" PRIu64, id);
    if (self->deliveries && zhashx_lookup (self->running, id_text)) {
        deliveries_stop (self->deliveries, id);
        zhashx_delete (self->running, id_text);
    }
}

//  The leader's deliveries brought into line with the table: rows added
//  or enabled through another replica start, rows removed or disabled
//  there stop.
static void
follow_table (webhooks_t *self)
{
    PGresult *result = ow_db_run (self->db, "webhook_enabled", 0, NULL);
    if (!result)
        return;
    zhashx_t *seen = zhashx_new ();
    start_rows (self, result, seen);
    zlistx_t *ids = zhashx_keys (self->running);
    for (const char *id = zlistx_first (ids); id; id = zlistx_next (ids))
        if (!zhashx_lookup (seen, id))
            stop_one (self, strtoull (id, NULL, 10));
    zlistx_destroy (&ids);
    zhashx_destroy (&seen);
    PQclear (result);
}

void
webhooks_lead (webhooks_t *self, bool leading)
{
    if (!leading) {
        if (self->deliveries) {
            deliveries_destroy (&self->deliveries);
            zhashx_purge (self->running);
            ow_info ("webhooks stopped: another replica delivers them");
        }
        return;
    }
    if (!webhooks_start (self))
        return;
    if (!self->deliveries) {
        self->deliveries = deliveries_new (&self->settings);
        ow_info ("webhooks started: this replica delivers them");
    }
    follow_table (self);
}

bool
webhooks_start (webhooks_t *self)
{
    if (self->started)
        return true;
    if (!ow_db_ready (self->db))
        return false;
    char *directory = ow_printf ("%s/migrations/notify", self->data);
    ow_migrate_plan_t plan = {
        .directory = directory,
        .table = "notify.schema_migrations",
        .lock_key = NOTIFY_MIGRATION_LOCK,
    };
    bool migrated = ow_migrate (self->db, &plan);
    free (directory);
    //  Statements are prepared once their table exists.
    if (migrated && !self->prepared) {
        webhook_table_prepare (self->db);
        self->prepared = true;
    }
    self->started = migrated;
    return migrated;
}

void
webhooks_wake (webhooks_t *self)
{
    if (self->deliveries)
        deliveries_wake (self->deliveries);
}

bool
webhooks_database_ok (webhooks_t *self)
{
    return ow_db_ready (self->db);
}

//  ---- replies ----------------------------------------------------------------

static Ofwatch__V1__Reply *
rows_reply (const PGresult *result)
{
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_WEBHOOKS;
    reply->webhooks = OW_PB_NEW (Ofwatch__V1__WebhookReply, ofwatch__v1__webhook_reply__init);
    for (int row = 0; row < PQntuples (result); row++)
        ow_pb_append ((void ***) &reply->webhooks->webhooks, &reply->webhooks->n_webhooks,
                      webhook_table_view (result, row));
    return reply;
}

static Ofwatch__V1__Reply *
unavailable (void)
{
    return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                          "notify cannot reach PostgreSQL; nothing was changed, try again");
}

static Ofwatch__V1__Reply *
bad_request (const char *sentence)
{
    return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST, "%s", sentence);
}

static Ofwatch__V1__Reply *
not_found (uint64_t id)
{
    return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_NOT_FOUND,
                          "there is no webhook %" PRIu64, id);
}

//  ---- add --------------------------------------------------------------------

//  The words of an enum list joined by commas; NULL when a value is not in
//  the vocabulary. Caller frees.
static char *
join_words (const ProtobufCEnumDescriptor *descriptor, const int *values, size_t count)
{
    char *joined = ow_strdup ("");
    for (size_t i = 0; i < count; i++) {
        const char *word = ow_vocab_word (descriptor, values [i]);
        if (!word) {
            free (joined);
            return NULL;
        }
        char *longer = ow_printf ("%s%s%s", joined, i ? "," : "", word);
        free (joined);
        joined = longer;
    }
    return joined;
}

//  The ONS codes of any spellings, joined by commas; NULL with *unknown set
//  to the first spelling the register does not know. Caller frees.
static char *
join_authorities (const webhooks_t *self, char *const *names, size_t count,
                  const char **unknown)
{
    char *joined = ow_strdup ("");
    for (size_t i = 0; i < count; i++) {
        const ow_authority_t *authority = ow_register_find (self->reg, names [i]);
        if (!authority) {
            *unknown = names [i];
            free (joined);
            return NULL;
        }
        char *longer = ow_printf ("%s%s%s", joined, i ? "," : "", authority->code);
        free (joined);
        joined = longer;
    }
    return joined;
}

static Ofwatch__V1__Reply *
add (webhooks_t *self, const Ofwatch__V1__WebhookAdd *request, uint64_t log_cursor)
{
    const char *problem = webhook_url_problem (request->url, &self->settings.ports);
    if (problem)
        return bad_request (problem);
    size_t secret_length = strlen (request->secret);
    if (secret_length == 0 || secret_length > MAX_SECRET)
        return bad_request ("a webhook needs a secret of 1 to 1024 bytes");
    //  Seqs are bigint; a cursor past the largest could not be stored.
    if (request->from_seq > INT64_MAX)
        return bad_request ("--from must be a seq of at most 9223372036854775807");
    char *types = join_words (&ofwatch__v1__event_type__descriptor,
                              (const int *) request->types, request->n_types);
    char *themes = join_words (&ofwatch__v1__theme__descriptor,
                               (const int *) request->themes, request->n_themes);
    const char *unknown = NULL;
    char *authorities = join_authorities (self, request->authorities, request->n_authorities,
                                          &unknown);
    Ofwatch__V1__Reply *reply = NULL;
    if (!types)
        reply = bad_request ("a webhook's event types must be known types");
    else if (!themes)
        reply = bad_request ("a webhook's themes must be known themes");
    else if (!authorities)
        reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST,
                               "no authority is known as \"%s\"", unknown);
    else {
        char cursor [24], limit [16];
        snprintf (cursor, sizeof cursor, "%" PRIu64,
                  request->from_seq ? request->from_seq - 1 : log_cursor);
        snprintf (limit, sizeof limit, "%d", self->settings.max_subscriptions);
        const char *values [] = { request->url, request->secret, types, authorities, themes,
                                  cursor, limit };
        PGresult *result = ow_db_run (self->db, "webhook_insert", 7, values);
        if (result && PQntuples (result) == 0)
            reply = ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_REJECTED,
                                   "notify has its limit of %d webhook subscriptions "
                                   "(OFWATCH_WEBHOOK_MAX); remove one first",
                                   self->settings.max_subscriptions);
        else
        if (result) {
            start_rows (self, result, NULL);
            reply = rows_reply (result);
            ow_info ("webhook added", "webhook", PQgetvalue (result, 0, 0));
        }
        else
            reply = unavailable ();
        PQclear (result);
    }
    free (types);
    free (themes);
    free (authorities);
    return reply;
}

//  ---- list, remove, enable -------------------------------------------------

static Ofwatch__V1__Reply *
list (webhooks_t *self)
{
    PGresult *result = ow_db_run (self->db, "webhook_list", 0, NULL);
    if (!result)
        return unavailable ();
    Ofwatch__V1__Reply *reply = rows_reply (result);
    PQclear (result);
    return reply;
}

static Ofwatch__V1__Reply *
remove_one (webhooks_t *self, uint64_t id)
{
    char id_text [24];
    snprintf (id_text, sizeof id_text, "%" PRIu64, id);
    const char *values [] = { id_text };
    PGresult *result = ow_db_run (self->db, "webhook_delete", 1, values);
    if (!result)
        return unavailable ();
    bool found = PQntuples (result) > 0;
    Ofwatch__V1__Reply *reply = found ? rows_reply (result) : not_found (id);
    PQclear (result);
    if (found) {
        stop_one (self, id);
        ow_info ("webhook removed", "webhook", id_text);
    }
    return reply;
}

static Ofwatch__V1__Reply *
enable (webhooks_t *self, const Ofwatch__V1__WebhookEnable *request)
{
    char id_text [24];
    snprintf (id_text, sizeof id_text, "%" PRIu64, request->id);
    const char *values [] = { id_text, request->enabled ? "true" : "false" };
    PGresult *result = ow_db_run (self->db, "webhook_enable", 2, values);
    if (!result)
        return unavailable ();
    if (PQntuples (result) == 0) {
        PQclear (result);
        return not_found (request->id);
    }
    //  Restarted either way: enabling again retries at once.
    stop_one (self, request->id);
    if (request->enabled)
        start_rows (self, result, NULL);
    Ofwatch__V1__Reply *reply = rows_reply (result);
    PQclear (result);
    ow_info (request->enabled ? "webhook enabled" : "webhook disabled", "webhook", id_text);
    return reply;
}

Ofwatch__V1__Reply *
webhooks_handle (webhooks_t *self, const Ofwatch__V1__Request *request, uint64_t log_cursor)
{
    if (!webhooks_start (self))
        return unavailable ();
    switch (request->body_case) {
        case OFWATCH__V1__REQUEST__BODY_WEBHOOK_ADD:
            return add (self, request->webhook_add, log_cursor);
        case OFWATCH__V1__REQUEST__BODY_WEBHOOK_REMOVE:
            return remove_one (self, request->webhook_remove->id);
        case OFWATCH__V1__REQUEST__BODY_WEBHOOK_ENABLE:
            return enable (self, request->webhook_enable);
        case OFWATCH__V1__REQUEST__BODY_WEBHOOK_LIST:
            return list (self);
        default:
            return NULL;
    }
}
