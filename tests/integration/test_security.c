/*  Trust between many councils, over the real sockets of a stack started
    as `make up` starts it (tools/stack.sh: the same keys, the same
    services, no setting changed): who may connect, who may speak for
    which authority, and what is kept of refusals.

    A ZeroMQ client with no key, or a key the registry does not know, gets
    nothing from any socket of any service, store's and analytics'
    included; council and subscriber keys cannot reach store at all, and
    the inspectorate's may query it but not write to it: writes come only
    from the services' own keys, and not the watch's, which reaches
    nothing but ingest, where its submissions are stored under its name
    and count against its rate like anyone's. Herefordshire's key (trusted for
    Ofsted's documents) cannot submit St Helens' 2019 Ofsted report: the
    submission is refused with a reason, audited, stores nothing and
    publishes nothing, while an inspectorate key's submission of the same
    report is stored and names its key. A key revoked while its SUB and
    replay connections to notify stay open hears nothing published after
    the revocation, and its next replay request is refused, while another
    subscriber, catching up by replay, misses nothing; a subscriber key
    may subscribe but not submit; a council key not trusted for Ofsted's
    documents may submit its own papers but not a report that claims to
    be Ofsted's; a key's rate limit answers "try again". Last, the
    development setting: only with OFWATCH_DEV_INSECURE_INTERNAL=1 do
    store and analytics take a client without a key, and every service
    says so in its log.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_analytics.h"
#include "it_keys.h"
#include "it_listener.h"
#include "it_stack.h"
#include "it_support.h"
#include "ow_config.h"
#include "ow_security.h"
#include "ow_wire.h"

#include <sys/wait.h>

#define HEREFORDSHIRE "E06000019"
#define ST_HELENS     "E08000013"
#define ST_HELENS_REPORT "st-helens/2019-11-04.pdf"

#define REJECTED    OFWATCH__V1__ERROR__CODE__CODE_REJECTED
#define UNAVAILABLE OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE

static int
make_keys (void **state)
{
    it_stack_adopt ();
    assert_int_equal (it_keys ("new herefordshire --authority Herefordshire --ofsted"), 0);
    assert_int_equal (it_keys ("new hereford-clerk --authority 884"), 0);
    assert_int_equal (it_keys ("new inspectorate --role inspectorate"), 0);
    assert_int_equal (it_keys ("new watcher --role subscriber"), 0);
    assert_int_equal (it_keys ("new former --authority E06000019"), 0);
    assert_int_equal (it_keys ("new hasty --authority Herefordshire --rate 60"), 0);
    assert_int_equal (it_keys ("new leaver --role subscriber"), 0);
    //  A key that is not in the registry: made in another directory.
    ow_config_t config;
    ow_config_load (&config);
    char *arguments = ow_printf ("OFWATCH_KEYS='%s/elsewhere' '%s/ofwatch' keys new stranger "
                                 "--role inspectorate >/dev/null", config.keys,
                                 getenv ("OFWATCH_TEST_BIN"));
    assert_int_equal (system (arguments), 0);
    free (arguments);
    return 0;
}

static char *
stranger_path (void)
{
    ow_config_t config;
    ow_config_load (&config);
    return ow_printf ("%s/elsewhere/stranger.cert", config.keys);
}

//  Submits a sample as the key called name.
static Ofwatch__V1__Reply *
submit_as (const char *name, const char *sample, const char *declared)
{
    char *cert = it_key_path (name);
    ow_client_t *client = it_client_as ("ingest", cert);
    Ofwatch__V1__Reply *reply = it_submit_with (client, sample, declared);
    ow_client_destroy (&client);
    free (cert);
    return reply;
}

//  Submits generated document n (new bytes, so new events) as the
//  inspectorate key.
static void
submit_new (unsigned n)
{
    assert_true (it_submit_new ("inspectorate", n, "security"));
}

//  Asks store as the inspectorate's local-admin key; the reply, which
//  must have body `expected`.
static Ofwatch__V1__Reply *
ask_store (Ofwatch__V1__Request *request, Ofwatch__V1__Reply__BodyCase expected)
{
    char *admin = it_key_path ("local-admin");
    ow_client_t *store = it_client_as ("store", admin);
    free (admin);
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (store, request, 10000, &error);
    ow_client_destroy (&store);
    free (error);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, expected);
    return reply;
}

static Ofwatch__V1__Reply *
audit_of (const char *key)
{
    Ofwatch__V1__AuditQuery query = OFWATCH__V1__AUDIT_QUERY__INIT;
    query.key = (char *) key;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_AUDIT;
    request.audit = &query;
    return ask_store (&request, OFWATCH__V1__REPLY__BODY_AUDIT);
}

static Ofwatch__V1__Reply *
sources_of (const char *authority)
{
    Ofwatch__V1__SourcesQuery query = OFWATCH__V1__SOURCES_QUERY__INIT;
    query.authority = (char *) authority;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SOURCES;
    request.sources = &query;
    return ask_store (&request, OFWATCH__V1__REPLY__BODY_SOURCES);
}

//  Asks notify's replay for the log's first page; the reply or NULL.
static Ofwatch__V1__Reply *
replay_as (const char *cert, char **error)
{
    Ofwatch__V1__EventsAfter after = OFWATCH__V1__EVENTS_AFTER__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    request.events_after = &after;
    ow_client_t *notify = it_client_as ("notify", cert);
    Ofwatch__V1__Reply *reply = ow_client_call (notify, &request, 3000, error);
    ow_client_destroy (&notify);
    return reply;
}

//  Asks a service's health through client.
static Ofwatch__V1__Reply *
health_of (ow_client_t *client, int timeout_ms, char **error)
{
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    return ow_client_call (client, &request, timeout_ms, error);
}

static bool
contains (const char *text, const char *part)
{
    return text && strstr (text, part) != NULL;
}

static void
test_herefordshire_cannot_submit_a_st_helens_report (void **state)
{
    //  From a quiet log: what analytics derives from the documents stored
    //  so far (an overdue visit waits for its history to settle) comes
    //  first.
    assert_true (it_analytics_settle (30000));
    char *watcher = it_key_path ("watcher");
    zsock_t *subscriber = it_subscribe_as (watcher, "");
    free (watcher);
    uint64_t before = it_store_last_seq ();
    Ofwatch__V1__Reply *reply = submit_as ("herefordshire", ST_HELENS_REPORT, NULL);
    assert_int_equal (it_error_code (reply), REJECTED);
    assert_true (contains (reply->error->message, "St. Helens (" ST_HELENS ")"));
    assert_true (contains (reply->error->message, "key herefordshire may submit only for "
                                                  "Herefordshire (" HEREFORDSHIRE ")"));
    ow_pb_free (&reply);

    //  Nothing stored, nothing published.
    assert_int_equal (it_store_last_seq (), before);
    Ofwatch__V1__Reply *sources = sources_of (ST_HELENS);
    assert_int_equal (sources->sources->n_documents, 0);
    ow_pb_free (&sources);
    Ofwatch__V1__Event *event = it_next_event (subscriber, 1500);
    assert_null (event);
    zsock_destroy (&subscriber);

    //  Audited: who, when, what, why.
    Ofwatch__V1__Reply *audit = audit_of ("herefordshire");
    assert_int_equal (audit->audit->n_records, 1);
    const Ofwatch__V1__AuditRecord *record = audit->audit->records [0];
    assert_string_equal (record->key, "herefordshire");
    assert_string_equal (record->action, "submit");
    assert_string_equal (record->authority, ST_HELENS);
    assert_true (contains (record->file_name, "2019-11-04.pdf"));
    assert_int_equal (strlen (record->sha256), 64);
    assert_int_equal (record->doc_kind, OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT);
    assert_true (contains (record->reason, "may submit only for Herefordshire"));
    assert_true (strlen (record->recorded_at) >= 20);
    ow_pb_free (&audit);

    //  `ofwatch audit` lists it.
    int rc = -1;
    char *output = it_cli ("audit --key herefordshire", &rc);
    assert_int_equal (rc, 0);
    assert_true (contains (output, "herefordshire") && contains (output, ST_HELENS));
    free (output);
}

static void
test_a_declared_authority_is_checked_before_decoding (void **state)
{
    Ofwatch__V1__Reply *reply = submit_as ("herefordshire",
        "st-helens-2020-09-23-cabinet-monitoring-report.txt", "St Helens");
    assert_int_equal (it_error_code (reply), REJECTED);
    assert_true (contains (reply->error->message, "declared to be about St. Helens"));
    ow_pb_free (&reply);
    Ofwatch__V1__Reply *audit = audit_of ("herefordshire");
    assert_int_equal (audit->audit->n_records, 2);
    assert_string_equal (audit->audit->records [0]->declared_authority, "St Helens");
    ow_pb_free (&audit);
}

static void
test_an_inspectorate_key_can_submit_it (void **state)
{
    char *watcher = it_key_path ("watcher");
    zsock_t *subscriber = it_subscribe_as (watcher, "document.received.");
    free (watcher);
    Ofwatch__V1__Reply *reply = submit_as ("inspectorate", ST_HELENS_REPORT, NULL);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
    assert_string_equal (reply->submit->extraction->authority->code, ST_HELENS);
    ow_pb_free (&reply);

    Ofwatch__V1__Event *event = it_next_event (subscriber, 10000);
    assert_non_null (event);
    assert_string_equal (event->authority, ST_HELENS);
    assert_string_equal (event->payload->document_received->submitter, "inspectorate");
    ow_pb_free (&event);
    zsock_destroy (&subscriber);

    Ofwatch__V1__Reply *sources = sources_of ("St Helens");
    assert_int_equal (sources->sources->n_documents, 1);
    assert_string_equal (sources->sources->documents [0]->submitter, "inspectorate");
    ow_pb_free (&sources);

    int rc = -1;
    char *output = it_cli ("history 'St Helens' --sources", &rc);
    assert_int_equal (rc, 0);
    assert_true (contains (output, "SUBMITTER") && contains (output, "inspectorate"));
    free (output);
}

static void
test_ofsteds_documents_need_a_key_trusted_for_them (void **state)
{
    Ofwatch__V1__Reply *reply = submit_as ("hereford-clerk", "herefordshire/2022-09-21.pdf", NULL);
    assert_int_equal (it_error_code (reply), REJECTED);
    assert_true (contains (reply->error->message, "not trusted to submit Ofsted's documents"));
    ow_pb_free (&reply);
    Ofwatch__V1__Reply *audit = audit_of ("hereford-clerk");
    assert_int_equal (audit->audit->n_records, 1);
    ow_pb_free (&audit);

    //  Its own council's papers it may submit, and they name it.
    reply = submit_as ("hereford-clerk", "herefordshire-2022-scrutiny-minutes-ilacs.txt", NULL);
    assert_true (it_stored (&reply));
    Ofwatch__V1__Reply *sources = sources_of (HEREFORDSHIRE);
    bool named = false;
    for (size_t i = 0; i < sources->sources->n_documents; i++)
        named |= streq (sources->sources->documents [i]->submitter, "hereford-clerk");
    assert_true (named);
    ow_pb_free (&sources);
}

//  A SUB socket on `endpoint` presenting cert (NULL: none), subscribed to
//  everything and given time to join.
static zsock_t *
subscribe_at (const char *endpoint, const char *service, const char *cert)
{
    char *connectable = ow_config_connectable (endpoint);
    zsock_t *subscriber = zsock_new (ZMQ_SUB);
    zsock_set_subscribe (subscriber, "");
    if (cert) {
        const char *value = getenv ("OFWATCH_CERT");
        char *saved = ow_strdup (value ? value : "");
        setenv ("OFWATCH_CERT", cert, 1);
        assert_true (ow_security_client (subscriber, service, NULL));
        setenv ("OFWATCH_CERT", saved, 1);
        free (saved);
    }
    zsock_connect (subscriber, "%s", connectable);
    free (connectable);
    return subscriber;
}

//  Whether anything at all arrives on a socket within timeout_ms.
static bool
hears_anything (zsock_t *socket, int timeout_ms)
{
    zpoller_t *poller = zpoller_new (socket, NULL);
    bool heard = zpoller_wait (poller, timeout_ms) != NULL;
    zpoller_destroy (&poller);
    return heard;
}

static void
test_without_a_known_key_nothing_answers (void **state)
{
    //  Every ROUTER of every service, in the clear and with a key the
    //  registry does not know.
    const char *services [] = { "ingest", "store", "analytics", "notify", "watch" };
    char *stranger = stranger_path ();
    for (size_t i = 0; i < sizeof services / sizeof services [0]; i++) {
        ow_client_t *plain = it_client_as (services [i], NULL);
        char *error = NULL;
        Ofwatch__V1__Reply *reply = health_of (plain, 1500, &error);
        if (reply)
            fprintf (stderr, "%s answered a client without a key\n", services [i]);
        assert_null (reply);
        assert_true (contains (error, "did not answer"));
        free (error);
        ow_client_destroy (&plain);

        ow_client_t *unknown = it_client_as (services [i], stranger);
        error = NULL;
        reply = health_of (unknown, 5000, &error);
        assert_null (reply);
        assert_true (contains (error, "refused the client certificate"));
        free (error);
        ow_client_destroy (&unknown);
    }
    //  Both PUBs: the events store and notify publish reach neither a
    //  plain SUB nor an unknown key's.
    ow_config_t config;
    ow_config_load (&config);
    zsock_t *subscribers [] = {
        subscribe_at (config.store_events, "store", NULL),
        subscribe_at (config.store_events, "store", stranger),
        subscribe_at (config.notify_pub, "notify", NULL),
        subscribe_at (config.notify_pub, "notify", stranger),
    };
    zclock_sleep (500);
    Ofwatch__V1__Reply *reply = submit_as ("inspectorate",
        "herefordshire-2014-09-11-cabinet-inspection-outcome.txt", NULL);
    assert_true (it_stored (&reply));
    for (size_t i = 0; i < 4; i++) {
        assert_false (hears_anything (subscribers [i], 1000));
        zsock_destroy (&subscribers [i]);
    }
    free (stranger);
}

//  A request that writes to store: a forged document, derived events with
//  a consumer's cursor, an audit record.
static void
forge (Ofwatch__V1__Request *request, int which)
{
    static Ofwatch__V1__StoreDocument document;
    static Ofwatch__V1__Extraction facts;
    static Ofwatch__V1__DeriveRequest derive;
    static Ofwatch__V1__AuditRecord record;
    ofwatch__v1__request__init (request);
    switch (which) {
        case 0:
            ofwatch__v1__store_document__init (&document);
            ofwatch__v1__extraction__init (&facts);
            document.content.data = (uint8_t *) "forged";
            document.content.len = 6;
            document.text = "forged";
            document.submitter = "local-admin";
            document.extraction = &facts;
            request->body_case = OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT;
            request->store_document = &document;
            break;
        case 1:
            ofwatch__v1__derive_request__init (&derive);
            derive.consumer = "analytics";
            derive.cursor = 1000000;
            request->body_case = OFWATCH__V1__REQUEST__BODY_DERIVE;
            request->derive = &derive;
            break;
        default:
            ofwatch__v1__audit_record__init (&record);
            record.key = "someone";
            record.action = "submit";
            record.reason = "forged";
            request->body_case = OFWATCH__V1__REQUEST__BODY_RECORD_AUDIT;
            request->record_audit = &record;
    }
}

static void
test_only_the_services_write_to_store (void **state)
{
    char *before = it_database_fingerprint ();
    //  Council and subscriber keys cannot reach store at all: not its
    //  ROUTER (so not the audit rows of other councils either), not its PUB.
    const char *outsiders [] = { "herefordshire", "watcher" };
    for (size_t i = 0; i < 2; i++) {
        char *cert = it_key_path (outsiders [i]);
        //  A client per request: after a refusal a client opens its
        //  socket again with OFWATCH_CERT as it is then.
        for (int which = 0; which < 4; which++) {
            Ofwatch__V1__Request request;
            Ofwatch__V1__AuditQuery query = OFWATCH__V1__AUDIT_QUERY__INIT;
            if (which < 3)
                forge (&request, which);
            else {
                ofwatch__v1__request__init (&request);
                request.body_case = OFWATCH__V1__REQUEST__BODY_AUDIT;
                request.audit = &query;
            }
            ow_client_t *store = it_client_as ("store", cert);
            char *error = NULL;
            Ofwatch__V1__Reply *reply = ow_client_call (store, &request, 5000, &error);
            assert_null (reply);
            assert_true (contains (error, "refused the client certificate"));
            free (error);
            ow_client_destroy (&store);
        }
        ow_config_t config;
        ow_config_load (&config);
        zsock_t *subscriber = subscribe_at (config.store_events, "store", cert);
        zclock_sleep (300);
        Ofwatch__V1__Reply *stored = submit_as ("inspectorate",
            "herefordshire-2023-06-22-cabinet-monitoring-visit-feedback.txt", NULL);
        ow_pb_free (&stored);
        assert_false (hears_anything (subscriber, 1000));
        zsock_destroy (&subscriber);
        free (cert);
    }
    free (before);
    before = it_database_fingerprint ();
    //  The inspectorate's key may query store, but not write to it.
    char *admin = it_key_path ("local-admin");
    ow_client_t *store = it_client_as ("store", admin);
    for (int which = 0; which < 3; which++) {
        Ofwatch__V1__Request request;
        forge (&request, which);
        char *error = NULL;
        Ofwatch__V1__Reply *reply = ow_client_call (store, &request, 5000, &error);
        assert_int_equal (it_error_code (reply), REJECTED);
        assert_true (contains (reply->error->message, "key local-admin (inspectorate) may not "
                                                      "write to store"));
        assert_true (contains (reply->error->message, "one of ofwatch's own service keys"));
        ow_pb_free (&reply);
    }
    ow_client_destroy (&store);
    free (admin);
    char *after = it_database_fingerprint ();
    assert_string_equal (before, after);
    free (before);
    free (after);
    Ofwatch__V1__Reply *audit = audit_of ("someone");
    assert_int_equal (audit->audit->n_records, 0);
    ow_pb_free (&audit);
}

//  Whether the watch's key is refused a connection to `service`'s ROUTER.
static bool
watch_refused_by (const char *service, Ofwatch__V1__Request *request)
{
    char *watch = it_key_path ("watch");
    ow_client_t *client = it_client_as (service, watch);
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (client, request, 5000, &error);
    bool refused = !reply && contains (error, "refused the client certificate");
    if (!refused)
        fprintf (stderr, "%s: the watch's key was not refused (%s)\n", service,
                 reply ? "it answered" : error);
    ow_pb_free (&reply);
    free (error);
    ow_client_destroy (&client);
    free (watch);
    return refused;
}

static void
test_the_watchs_key_only_submits (void **state)
{
    //  The watch's service key, made as make up makes it, reaches no
    //  socket but ingest's: not store (to write or to ask), not store's or
    //  notify's events, not analytics, not notify's replay.
    char *before = it_database_fingerprint ();
    for (int which = 0; which < 3; which++) {
        Ofwatch__V1__Request request;
        forge (&request, which);
        assert_true (watch_refused_by ("store", &request));
    }
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request health = OFWATCH__V1__REQUEST__INIT;
    health.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    health.health = &query;
    assert_true (watch_refused_by ("store", &health));
    assert_true (watch_refused_by ("analytics", &health));
    assert_true (watch_refused_by ("notify", &health));
    char *after = it_database_fingerprint ();
    assert_string_equal (before, after);
    free (before);
    free (after);
    char *watch = it_key_path ("watch");
    ow_config_t config;
    ow_config_load (&config);
    zsock_t *subscribers [] = {
        subscribe_at (config.store_events, "store", watch),
        subscribe_at (config.notify_pub, "notify", watch),
    };
    zclock_sleep (500);
    submit_new (40);
    for (size_t i = 0; i < 2; i++) {
        assert_false (hears_anything (subscribers [i], 1000));
        zsock_destroy (&subscribers [i]);
    }

    //  Through ingest it submits Ofsted's reports, for any authority, and
    //  what it stores names it.
    Ofwatch__V1__Reply *reply = submit_as ("watch", "herefordshire/2018-07-23.pdf", NULL);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
    assert_false (reply->submit->duplicate);
    ow_pb_free (&reply);
    Ofwatch__V1__Reply *sources = sources_of (HEREFORDSHIRE);
    bool named = false;
    for (size_t i = 0; i < sources->sources->n_documents; i++)
        named |= streq (sources->sources->documents [i]->submitter, "watch");
    assert_true (named);
    ow_pb_free (&sources);

    //  ...and every request counts against its rate like any client's
    //  (OFWATCH_RATE_LIMIT, 1200 a minute: a burst of 120): the keys of
    //  the services that pass on others' work are the ones not limited.
    ow_client_t *client = it_client_as ("ingest", watch);
    const char *junk = "not a document anyone could read";
    enum { SENT = 200 };
    for (int i = 0; i < SENT; i++)
        assert_true (it_send_bytes (client, junk, strlen (junk), "junk.txt"));
    int over_rate = 0;
    for (int answered = 0; answered < SENT; answered++) {
        char *error = NULL;
        reply = ow_client_receive (client, 60000, &error);
        assert_non_null (reply);
        assert_int_not_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
        over_rate += it_error_code (reply) == UNAVAILABLE
                   && contains (reply->error->message, "too many requests from key watch");
        ow_pb_free (&reply);
    }
    assert_true (over_rate >= 40);
    ow_client_destroy (&client);
    free (watch);
}

static void
test_no_key_cannot_submit_or_subscribe (void **state)
{
    ow_client_t *client = it_client_as ("ingest", NULL);
    char *error = NULL;
    Ofwatch__V1__Reply *reply = health_of (client, 1500, &error);
    assert_null (reply);
    assert_true (contains (error, "did not answer"));
    free (error);
    ow_client_destroy (&client);

    error = NULL;
    reply = replay_as (NULL, &error);
    assert_null (reply);
    free (error);
}

static void
test_unknown_and_revoked_keys_cannot_submit_or_subscribe (void **state)
{
    //  Before revocation the key works, on a connection kept open.
    char *former = it_key_path ("former");
    ow_client_t *open_connection = it_client_as ("ingest", former);
    Ofwatch__V1__Reply *reply = it_submit_with (open_connection,
        "herefordshire-2014-09-11-cabinet-inspection-outcome.txt", NULL);
    assert_true (it_stored (&reply));

    assert_int_equal (it_keys ("revoke former"), 0);
    int rc = -1;
    char *output = it_cli ("keys list", &rc);
    assert_true (contains (output, "former"));
    free (output);

    //  The open connection's next request is refused, and audited.
    reply = it_submit_with (open_connection,
        "herefordshire-2023-06-22-cabinet-monitoring-visit-feedback.txt", NULL);
    assert_int_equal (it_error_code (reply), REJECTED);
    assert_true (contains (reply->error->message, "the key former was revoked"));
    ow_pb_free (&reply);
    ow_client_destroy (&open_connection);
    Ofwatch__V1__Reply *audit = audit_of ("former");
    assert_int_equal (audit->audit->n_records, 1);
    ow_pb_free (&audit);

    //  New connections are refused, without a restart, as are unknown keys.
    char *stranger = stranger_path ();
    const char *refused [] = { former, stranger };
    for (size_t i = 0; i < 2; i++) {
        ow_client_t *client = it_client_as ("ingest", refused [i]);
        char *error = NULL;
        reply = health_of (client, 5000, &error);
        assert_null (reply);
        assert_true (contains (error, "refused the client certificate"));
        free (error);
        ow_client_destroy (&client);

        error = NULL;
        reply = replay_as (refused [i], &error);
        assert_null (reply);
        assert_true (contains (error, "refused the client certificate"));
        free (error);
    }
    free (stranger);
    free (former);
}

static void
test_only_valid_keys_hear_events (void **state)
{
    char *watcher = it_key_path ("watcher"), *former = it_key_path ("former");
    char *stranger = stranger_path ();
    zsock_t *allowed = it_subscribe_as (watcher, "");
    zsock_t *refused [] = {
        it_subscribe_as (NULL, ""), it_subscribe_as (stranger, ""), it_subscribe_as (former, "")
    };
    Ofwatch__V1__Reply *reply = submit_as ("inspectorate",
        "herefordshire-2024-12-04-monitoring-visit.txt", NULL);
    assert_true (it_stored (&reply));

    Ofwatch__V1__Event *event = it_next_event (allowed, 10000);
    assert_non_null (event);
    ow_pb_free (&event);
    for (size_t i = 0; i < 3; i++) {
        assert_null (it_next_event (refused [i], 1000));
        zsock_destroy (&refused [i]);
    }
    zsock_destroy (&allowed);
    free (watcher);
    free (former);
    free (stranger);
}

//  Every event the listener has heard, by seq, is each seq of the log up
//  to `last` once, in order.
static void
assert_heard_everything (it_listener_t **listener_p, uint64_t last)
{
    for (int i = 0; i < 200 && it_listener_count (*listener_p) < last; i++)
        zclock_sleep (100);
    it_events_t heard = { 0 };
    it_listener_destroy (listener_p, &heard);
    assert_int_equal (heard.count, last);
    for (size_t i = 0; i < heard.count; i++)
        assert_int_equal (heard.events [i]->seq, i + 1);
    it_events_free (&heard);
}

static void
test_revocation_reaches_open_connections (void **state)
{
    //  A subscriber, following and replaying as it should, throughout.
    it_listener_t *careful = it_listener_new (true);
    char *leaver = it_key_path ("leaver");
    zsock_t *subscriber = it_subscribe_as (leaver, "");
    ow_client_t *replay = it_client_as ("notify", leaver);
    Ofwatch__V1__EventsAfter after = OFWATCH__V1__EVENTS_AFTER__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    request.events_after = &after;

    //  Before: both connections serve the key.
    submit_new (1);
    Ofwatch__V1__Reply *reply = NULL;
    Ofwatch__V1__Event *event = it_next_event (subscriber, 10000);
    assert_non_null (event);
    ow_pb_free (&event);
    while ((event = it_next_event (subscriber, 1000)) != NULL)
        ow_pb_free (&event);
    char *error = NULL;
    reply = ow_client_call (replay, &request, 5000, &error);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_EVENTS);
    ow_pb_free (&reply);

    //  Revoked with both connections open: nothing published after it
    //  reaches the key, and its next request on the open connection is
    //  refused.
    assert_int_equal (it_keys ("revoke leaver"), 0);
    submit_new (2);
    submit_new (3);
    assert_false (hears_anything (subscriber, 3000));
    reply = ow_client_call (replay, &request, 5000, &error);
    assert_int_equal (it_error_code (reply), REJECTED);
    assert_true (contains (reply->error->message, "the key leaver was revoked"));
    ow_pb_free (&reply);
    ow_client_destroy (&replay);
    zsock_destroy (&subscriber);
    free (leaver);

    //  The careful subscriber heard every event once, in order, across
    //  notify making its socket anew.
    assert_heard_everything (&careful, it_store_last_seq ());
    assert_true (it_log_lines_with ("notify", "made the event socket anew") >= 1);
}

static void
test_a_subscriber_key_may_subscribe_but_not_submit (void **state)
{
    char *watcher = it_key_path ("watcher");
    char *error = NULL;
    Ofwatch__V1__Reply *reply = replay_as (watcher, &error);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_EVENTS);
    assert_true (reply->events->n_events > 0);
    ow_pb_free (&reply);

    ow_client_t *client = it_client_as ("ingest", watcher);
    reply = it_submit_with (client, "herefordshire-2022-scrutiny-minutes-ilacs.txt", NULL);
    assert_null (reply);
    ow_client_destroy (&client);
    free (watcher);
}

static void
test_a_keys_rate_limit_says_try_again (void **state)
{
    //  --rate 60: a burst of 10, then one a second.
    char *hasty = it_key_path ("hasty");
    ow_client_t *client = it_client_as ("ingest", hasty);
    const char *junk = "not a document anyone could read";
    enum { SENT = 30 };
    for (int i = 0; i < SENT; i++)
        assert_true (it_send_bytes (client, junk, strlen (junk), "junk.txt"));
    int try_later = 0, answered = 0;
    while (answered < SENT) {
        char *error = NULL;
        Ofwatch__V1__Reply *reply = ow_client_receive (client, 60000, &error);
        assert_non_null (reply);
        answered++;
        if (it_error_code (reply) == UNAVAILABLE) {
            assert_true (contains (reply->error->message, "too many requests from key hasty"));
            assert_true (contains (reply->error->message, "try again in"));
            try_later++;
        }
        else
            assert_int_equal (it_error_code (reply), REJECTED);   // junk is not a document
        ow_pb_free (&reply);
    }
    assert_true (try_later >= 15);
    ow_client_destroy (&client);
    free (hasty);
}

//  Whether any service's log holds text.
static bool
logged_anywhere (const char *text)
{
    char *command = ow_printf ("grep -rqF -- '%s' '%s'", text, getenv ("OFWATCH_TEST_LOG"));
    int status = system (command);
    free (command);
    return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
test_webhook_secrets_are_never_shown_or_logged (void **state)
{
    //  A receiver that is not there, so notify logs its failed deliveries.
    const char *secret = "never-shown-3f9a1c";
    char *arguments = ow_printf ("webhook add http://127.0.0.1:9/hook --secret %s --from 1 2>&1",
                                 secret);
    int rc = -1;
    char *output = it_cli (arguments, &rc);
    assert_int_equal (rc, 0);
    assert_null (strstr (output, secret));
    free (output);
    free (arguments);
    output = it_cli ("webhook list --json 2>&1", &rc);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (output, "127.0.0.1:9"));
    assert_null (strstr (output, secret));
    free (output);
    zclock_sleep (2000);
    assert_false (logged_anywhere (secret));

    //  Webhook administration needs a certificate like any subscription.
    char *stranger = stranger_path ();
    char *command = ow_printf ("OFWATCH_CERT='%s' '%s/ofwatch' webhook list >/dev/null 2>&1",
                               stranger, getenv ("OFWATCH_TEST_BIN"));
    int status = system (command);
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) != 0);
    free (command);
    free (stranger);
}

static void
test_the_development_setting_is_explicit_and_logged (void **state)
{
    const char *order [] = { "notify", "analytics", "ingest", "store" };
    for (size_t i = 0; i < 4; i++)
        assert_true (it_stack_kill (order [i], SIGTERM));
    setenv ("OFWATCH_DEV_INSECURE_INTERNAL", "1", 1);
    for (size_t i = 4; i > 0; i--)
        assert_true (it_stack_start (order [i - 1]));
    assert_true (it_stack_wait_healthy (60000));
    for (size_t i = 0; i < 4; i++)
        assert_int_equal (it_log_lines_with (order [i], "DEVELOPMENT SETTING"), 1);
    //  store and analytics answer a client without a key; ingest and
    //  notify still do not.
    const char *open [] = { "store", "analytics" }, *closed [] = { "ingest", "notify" };
    for (size_t i = 0; i < 2; i++) {
        ow_client_t *plain = it_client_as (open [i], NULL);
        char *error = NULL;
        Ofwatch__V1__Reply *reply = health_of (plain, 5000, &error);
        assert_non_null (reply);
        assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_HEALTH);
        ow_pb_free (&reply);
        ow_client_destroy (&plain);
        plain = it_client_as (closed [i], NULL);
        assert_null (health_of (plain, 1500, &error));
        free (error);
        ow_client_destroy (&plain);
    }
    submit_new (9);
    unsetenv ("OFWATCH_DEV_INSECURE_INTERNAL");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_without_a_known_key_nothing_answers),
        cmocka_unit_test (test_only_the_services_write_to_store),
        cmocka_unit_test (test_the_watchs_key_only_submits),
        cmocka_unit_test (test_herefordshire_cannot_submit_a_st_helens_report),
        cmocka_unit_test (test_a_declared_authority_is_checked_before_decoding),
        cmocka_unit_test (test_an_inspectorate_key_can_submit_it),
        cmocka_unit_test (test_ofsteds_documents_need_a_key_trusted_for_them),
        cmocka_unit_test (test_no_key_cannot_submit_or_subscribe),
        cmocka_unit_test (test_unknown_and_revoked_keys_cannot_submit_or_subscribe),
        cmocka_unit_test (test_only_valid_keys_hear_events),
        cmocka_unit_test (test_revocation_reaches_open_connections),
        cmocka_unit_test (test_a_subscriber_key_may_subscribe_but_not_submit),
        cmocka_unit_test (test_a_keys_rate_limit_says_try_again),
        cmocka_unit_test (test_webhook_secrets_are_never_shown_or_logged),
        cmocka_unit_test (test_the_development_setting_is_explicit_and_logged),
    };
    zsys_init ();
    zsys_set_logstream (NULL);
    return cmocka_run_group_tests (tests, make_keys, it_stack_teardown);
}
