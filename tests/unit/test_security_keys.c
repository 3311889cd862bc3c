/*  test_security_keys — who may do what: the keys registry (ow_keys), the
    rights a key carries and the table of who may connect where and make
    which requests (ow_rights), CURVE and the ZAP handler on real sockets
    in one process (ow_security, ow_server, ow_client) with every request
    checked against its key as it is now, rates and throttled logs, and
    the checks on decoded messages that protobuf-c does not make, lengths
    included.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ow_check.h"
#include "ow_client.h"
#include "ow_keys.h"
#include "ow_log.h"
#include "ow_rate.h"
#include "ow_register.h"
#include "ow_rights.h"
#include "ow_security.h"
#include "ow_server.h"
#include "ow_throttle.h"
#include "ow_wire.h"

#include <sys/stat.h>

static char s_directory [] = "/tmp/ofwatch-test-keys.XXXXXX";
static ow_register_t *s_register;

static char *
path_in (const char *name)
{
    return ow_printf ("%s/%s", s_directory, name);
}

static int
setup (void **state)
{
    assert_non_null (mkdtemp (s_directory));
    setenv ("OFWATCH_KEYS", s_directory, 1);
    char *cert = path_in ("local-admin.cert");
    setenv ("OFWATCH_CERT", cert, 1);
    free (cert);
    const char *data = getenv ("OFWATCH_DATA");
    char *error = NULL;
    s_register = ow_register_load (data && *data ? data : OW_DEFAULT_DATA_DIR, &error);
    assert_non_null (s_register);
    zsys_init ();
    zsys_set_logstream (NULL);
    //  Refusals are logged as warnings; the tests check them otherwise.
    ow_log_init ("test_security_keys", getenv ("TEST_LOG") ? getenv ("TEST_LOG") : "error");
    return 0;
}

static int
teardown (void **state)
{
    ow_register_destroy (&s_register);
    char *command = ow_printf ("rm -rf '%s'", s_directory);
    assert_int_equal (system (command), 0);
    free (command);
    return 0;
}

static ow_key_t *
make_key (ow_keys_t *keys, const char *name, ow_role_t role, const char *authority)
{
    const char *authorities [] = { authority };
    ow_key_spec_t spec = {
        .name = name, .role = role, .authorities = authorities,
        .n_authorities = authority ? 1 : 0, .rate = -1
    };
    char *error = NULL;
    ow_key_t *key = ow_keys_create (keys, &spec, NULL, &error);
    if (!key)
        fprintf (stderr, "%s: %s\n", name, error);
    free (error);
    return key;
}

// ---------------------------------------------------------------------------
//  The registry

static void
test_the_registry_makes_lists_finds_and_revokes_keys (void **state)
{
    ow_keys_t *keys = ow_keys_new (s_directory);
    bool created = false;
    char *error = NULL;
    assert_true (ow_keys_make_server (keys, &created, &error));
    assert_true (created);
    assert_true (ow_keys_make_server (keys, &created, &error));
    assert_false (created);
    char *server = path_in ("server.cert_secret");
    struct stat info;
    assert_int_equal (stat (server, &info), 0);
    assert_int_equal (info.st_mode & 0777, 0600);
    free (server);

    ow_key_t *admin = make_key (keys, "local-admin", OW_ROLE_INSPECTORATE, NULL);
    ow_key_t *council = make_key (keys, "herefordshire", OW_ROLE_COUNCIL, "E06000019");
    assert_non_null (admin);
    assert_non_null (council);
    assert_string_equal (council->authorities [0], "E06000019");
    assert_null (council->revoked);
    assert_int_equal (council->rate, -1);
    assert_int_equal (strlen (council->public_key), 40);

    ow_key_t *found = ow_keys_find_public (keys, council->public_key);
    assert_non_null (found);
    assert_string_equal (found->name, "herefordshire");
    ow_key_destroy (&found);
    assert_null (ow_keys_find_public (keys, "0000000000000000000000000000000000000000"));
    assert_null (ow_keys_find (keys, "nobody"));
    assert_null (ow_keys_find (keys, "../server"));

    ow_key_t **list = NULL;
    size_t count = ow_keys_list (keys, &list);
    assert_int_equal (count, 2);
    assert_string_equal (list [0]->name, "herefordshire");
    assert_string_equal (list [1]->name, "local-admin");
    ow_keys_list_free (&list, count);

    //  Revoked keys stay listed, with when; their lookups say so at once.
    assert_true (ow_keys_revoke (keys, "herefordshire", &error));
    found = ow_keys_find_public (keys, council->public_key);
    assert_non_null (found);
    assert_non_null (found->revoked);
    char *first = ow_strdup (found->revoked);
    ow_key_destroy (&found);
    assert_true (ow_keys_revoke (keys, "herefordshire", &error));
    found = ow_keys_find (keys, "herefordshire");
    assert_string_equal (found->revoked, first);
    ow_key_destroy (&found);
    free (first);
    assert_false (ow_keys_revoke (keys, "nobody", &error));
    assert_non_null (strstr (error, "no key called nobody"));
    free (error);

    ow_key_destroy (&admin);
    ow_key_destroy (&council);
    ow_keys_destroy (&keys);
}

static void
test_bad_key_requests_are_refused_with_a_reason (void **state)
{
    ow_keys_t *keys = ow_keys_new (s_directory);
    const char *authorities [] = { "E06000019" };
    struct { ow_key_spec_t spec; const char *says; } cases [] = {
        { { .name = "server", .role = OW_ROLE_INSPECTORATE, .rate = -1 }, "not a usable key name" },
        { { .name = "a/b", .role = OW_ROLE_INSPECTORATE, .rate = -1 }, "not a usable key name" },
        { { .name = "", .role = OW_ROLE_INSPECTORATE, .rate = -1 }, "not a usable key name" },
        { { .name = "x", .role = OW_ROLE_COUNCIL, .rate = -1 }, "needs at least one authority" },
        { { .name = "x", .role = OW_ROLE_SUBSCRIBER, .authorities = authorities,
            .n_authorities = 1, .rate = -1 }, "may not be limited" },
        { { .name = "x", .role = OW_ROLE_NONE, .rate = -1 },
          "council, inspectorate, subscriber or service" },
        { { .name = "x", .role = OW_ROLE_SERVICE, .authorities = authorities,
            .n_authorities = 1, .rate = -1 }, "may not be limited" },
        { { .name = "local-admin", .role = OW_ROLE_INSPECTORATE, .rate = -1 }, "exists already" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        char *error = NULL;
        assert_null (ow_keys_create (keys, &cases [i].spec, NULL, &error));
        assert_non_null (error);
        assert_non_null (strstr (error, cases [i].says));
        free (error);
    }
    assert_true (ow_keys_valid_name ("st-helens.council_2"));
    assert_false (ow_keys_valid_name (".hidden"));
    ow_keys_destroy (&keys);
}

static void
test_a_pair_can_be_written_for_its_holder (void **state)
{
    ow_keys_t *keys = ow_keys_new (s_directory);
    char *pair = path_in ("handed-over.cert");
    const char *authorities [] = { "E08000013" };
    ow_key_spec_t spec = {
        .name = "st-helens", .role = OW_ROLE_COUNCIL, .authorities = authorities,
        .n_authorities = 1, .ofsted = true, .rate = 30
    };
    char *error = NULL;
    ow_key_t *key = ow_keys_create (keys, &spec, pair, &error);
    assert_non_null (key);
    assert_true (key->ofsted);
    assert_int_equal (key->rate, 30);
    //  The holder's pair can be presented; the registry's copy is public.
    zcert_t *cert = ow_keys_load_pair (pair, &error);
    assert_non_null (cert);
    assert_string_equal (zcert_public_txt (cert), key->public_key);
    zcert_destroy (&cert);
    char *registry = path_in ("st-helens.cert");
    assert_null (ow_keys_load_pair (registry, &error));
    assert_non_null (strstr (error, "no secret half"));
    free (error);
    error = NULL;
    assert_null (ow_keys_load_pair ("/nonexistent.cert", &error));
    assert_non_null (strstr (error, "there is no certificate"));
    free (error);
    free (registry);
    free (pair);
    ow_key_destroy (&key);
    ow_keys_destroy (&keys);
}

// ---------------------------------------------------------------------------
//  Rights

static void
test_a_council_speaks_for_itself_and_what_it_succeeded (void **state)
{
    char *herefordshire [] = { "E06000019" };
    char *north_northamptonshire [] = { "E06000061" };
    ow_key_t council = { .name = "h", .role = OW_ROLE_COUNCIL, .authorities = herefordshire,
                         .n_authorities = 1 };
    ow_key_t successor = { .name = "n", .role = OW_ROLE_COUNCIL,
                           .authorities = north_northamptonshire, .n_authorities = 1 };
    ow_key_t inspectorate = { .name = "i", .role = OW_ROLE_INSPECTORATE };
    ow_key_t subscriber = { .name = "s", .role = OW_ROLE_SUBSCRIBER };
    ow_key_t revoked = { .name = "r", .role = OW_ROLE_INSPECTORATE, .revoked = "2026-01-01" };

    assert_true (ow_key_speaks_for (&council, s_register, "E06000019"));
    assert_false (ow_key_speaks_for (&council, s_register, "E08000013"));
    assert_false (ow_key_speaks_for (&council, s_register, ""));
    //  Northamptonshire (E10000021) was split into North and West.
    assert_true (ow_key_speaks_for (&successor, s_register, "E10000021"));
    assert_false (ow_key_speaks_for (&successor, NULL, "E10000021"));
    assert_false (ow_key_speaks_for (&successor, s_register, "E06000062"));
    assert_true (ow_key_speaks_for (&inspectorate, s_register, "E08000013"));
    assert_false (ow_key_speaks_for (&subscriber, s_register, "E06000019"));
    assert_false (ow_key_speaks_for (&revoked, s_register, "E06000019"));

    Ofwatch__V1__DocKind report = OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT;
    Ofwatch__V1__DocKind minutes = OFWATCH__V1__DOC_KIND__DOC_KIND_COUNCIL_MINUTES;
    assert_true (ow_keys_claims_ofsted (report));
    assert_true (ow_keys_claims_ofsted (OFWATCH__V1__DOC_KIND__DOC_KIND_MONITORING_LETTER));
    assert_false (ow_keys_claims_ofsted (minutes));
    assert_false (ow_key_may_submit_kind (&council, report));
    assert_true (ow_key_may_submit_kind (&council, minutes));
    council.ofsted = true;
    assert_true (ow_key_may_submit_kind (&council, report));
    assert_true (ow_key_may_submit_kind (&inspectorate, report));
    assert_false (ow_key_may_submit_kind (&subscriber, minutes));
}

// ---------------------------------------------------------------------------
//  Message checks

static void
test_utf8_is_checked_strictly (void **state)
{
    assert_true (ow_check_utf8 ("plain", 5));
    const char *valid = "M\xc3\xa1ire \xe2\x82\xac \xf0\x9f\x98\x80";
    assert_true (ow_check_utf8 (valid, strlen (valid)));
    assert_false (ow_check_utf8 ("\xc3\x28", 2));           // bad continuation
    assert_false (ow_check_utf8 ("\xc0\xaf", 2));           // overlong '/'
    assert_false (ow_check_utf8 ("\xed\xa0\x80", 3));       // a surrogate
    assert_false (ow_check_utf8 ("\xf4\x90\x80\x80", 4));   // above U+10FFFF
    assert_false (ow_check_utf8 ("\xe2\x82", 2));           // truncated
    assert_false (ow_check_utf8 ("\xff", 1));
}

static void
test_messages_are_checked_all_the_way_down (void **state)
{
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    Ofwatch__V1__EventsAfter after = OFWATCH__V1__EVENTS_AFTER__INIT;
    Ofwatch__V1__EventFilter filter = OFWATCH__V1__EVENT_FILTER__INIT;
    Ofwatch__V1__EventType types [] = {
        OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED, (Ofwatch__V1__EventType) 77
    };
    char *authorities [] = { "E06000019", "E0600\xff" };
    request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    request.events_after = &after;
    after.filter = &filter;
    char *error = NULL;
    assert_true (ow_check_message (&request.base, &error));

    filter.n_types = 2;
    filter.types = types;
    assert_false (ow_check_message (&request.base, &error));
    assert_string_equal (error, "events_after.filter.types has no value 77");
    free (error);

    filter.n_types = 1;
    filter.n_authorities = 2;
    filter.authorities = authorities;
    assert_false (ow_check_message (&request.base, &error));
    assert_string_equal (error, "events_after.filter.authorities is not valid UTF-8");
    free (error);

    filter.n_authorities = 1;
    assert_true (ow_check_message (&request.base, &error));
    Ofwatch__V1__Extraction facts = OFWATCH__V1__EXTRACTION__INIT;
    facts.doc_kind = (Ofwatch__V1__DocKind) 42;
    Ofwatch__V1__StoreDocument document = OFWATCH__V1__STORE_DOCUMENT__INIT;
    document.extraction = &facts;
    request.body_case = OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT;
    request.store_document = &document;
    assert_false (ow_check_message (&request.base, &error));
    assert_string_equal (error, "store_document.extraction.doc_kind has no value 42");
    free (error);
}

static void
test_service_keys_are_made_once_and_speak_for_all (void **state)
{
    ow_keys_t *keys = ow_keys_new (s_directory);
    bool created = false;
    char *error = NULL;
    assert_true (ow_keys_make_service (keys, "ingest", &created, &error));
    assert_true (created);
    assert_true (ow_keys_make_service (keys, "ingest", &created, &error));
    assert_false (created);
    assert_false (ow_keys_make_service (keys, "local-admin", &created, &error));
    assert_non_null (strstr (error, "exists already with the role inspectorate"));
    free (error);
    ow_key_t *ingest = ow_keys_find (keys, "ingest");
    assert_non_null (ingest);
    assert_int_equal (ingest->role, OW_ROLE_SERVICE);
    //  The watch service submits through ingest whatever Ofsted publishes.
    assert_true (ow_key_speaks_for (ingest, s_register, "E08000013"));
    assert_true (ow_key_may_submit_kind (ingest, OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT));
    ow_key_destroy (&ingest);
    ow_keys_destroy (&keys);
}

static void
test_current_keys_are_read_again_only_when_changed (void **state)
{
    ow_keys_t *keys = ow_keys_new (s_directory);
    ow_keys_watch_t *watch = ow_keys_watch_new (s_directory);
    ow_key_t *made = make_key (keys, "passing", OW_ROLE_SUBSCRIBER, NULL);
    ow_key_destroy (&made);
    assert_true (ow_keys_watch_changed (watch));
    assert_false (ow_keys_watch_changed (watch));
    const ow_key_t *first = ow_keys_current (keys, "passing");
    assert_non_null (first);
    assert_null (first->revoked);
    assert_ptr_equal (ow_keys_current (keys, "passing"), first);     // one stat, no reading
    char *error = NULL;
    assert_true (ow_keys_revoke (keys, "passing", &error));
    assert_true (ow_keys_watch_changed (watch));
    const ow_key_t *now = ow_keys_current (keys, "passing");
    assert_non_null (now);
    assert_non_null (now->revoked);
    char *path = path_in ("passing.cert");
    assert_int_equal (unlink (path), 0);
    free (path);
    assert_null (ow_keys_current (keys, "passing"));
    assert_null (ow_keys_current (keys, "../passing"));
    ow_keys_watch_destroy (&watch);
    ow_keys_destroy (&keys);
}

static void
test_the_table_says_who_may_connect_and_ask_what (void **state)
{
    ow_key_t inspectorate = { .name = "admin", .role = OW_ROLE_INSPECTORATE, .rate = -1 };
    ow_key_t council = { .name = "clerk", .role = OW_ROLE_COUNCIL, .rate = -1 };
    ow_key_t subscriber = { .name = "reader", .role = OW_ROLE_SUBSCRIBER, .rate = -1 };
    ow_key_t service = { .name = "analytics", .role = OW_ROLE_SERVICE, .rate = -1 };
    ow_key_t watch = { .name = "watch", .role = OW_ROLE_SERVICE, .rate = -1 };
    assert_true (ow_rights_may_connect ("store", &service));
    assert_true (ow_rights_may_connect ("store", &inspectorate));
    assert_false (ow_rights_may_connect ("store", &council));
    assert_false (ow_rights_may_connect ("store.pub", &subscriber));
    assert_true (ow_rights_may_connect ("notify.pub", &subscriber));
    assert_false (ow_rights_may_connect ("ingest", &subscriber));
    assert_true (ow_rights_may_connect ("ingest", &watch));
    assert_true (ow_rights_may_connect ("watch", &inspectorate));
    assert_false (ow_rights_may_connect ("watch", &council));
    assert_false (ow_rights_may_connect ("nowhere", &inspectorate));
    assert_false (ow_rights_may_connect ("store", NULL));
    assert_false (ow_rights_known_service ("plain"));
    ow_key_t revoked = { .name = "gone", .role = OW_ROLE_INSPECTORATE, .rate = -1,
                         .revoked = "2026-01-01T00:00:00.000Z" };
    struct { const char *service; const ow_key_t *key; int body; const char *says; } cases [] = {
        { "store", &inspectorate, OFWATCH__V1__REQUEST__BODY_DERIVE,
          "key admin (inspectorate) may not write to store (derive): that takes one of "
          "ofwatch's own service keys" },
        { "store", &inspectorate, OFWATCH__V1__REQUEST__BODY_HISTORY, NULL },
        { "store", &service, OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT, NULL },
        { "store", &council, OFWATCH__V1__REQUEST__BODY_AUDIT, "key clerk (council) may not use store" },
        { "notify", &council, OFWATCH__V1__REQUEST__BODY_WEBHOOK_LIST,
          "key clerk (council) may not manage webhooks: that takes an inspectorate key" },
        { "notify", &council, OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER, NULL },
        { "ingest", &revoked, OFWATCH__V1__REQUEST__BODY_SUBMIT,
          "the key gone was revoked at 2026-01-01T00:00:00.000Z" },
        { "ingest", NULL, OFWATCH__V1__REQUEST__BODY_SUBMIT, "the key nobody is no longer known to ingest" },
        { "ingest", &watch, OFWATCH__V1__REQUEST__BODY_SUBMIT, NULL },
        { "store", &watch, OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT,
          "key watch (service) may not use store" },
        { "store", &watch, OFWATCH__V1__REQUEST__BODY_HISTORY, "key watch (service) may not use store" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        char *why = ow_rights_request_refusal (cases [i].service, "nobody", cases [i].key,
                                               cases [i].body, "derive");
        if (cases [i].says)
            assert_string_equal (why, cases [i].says);
        else
            assert_null (why);
        free (why);
    }
}

//  A service key reaches what its service calls and nothing more: a key
//  taken from the watch, which reads another site, cannot touch store;
//  one named for no service reaches nothing.
static void
test_service_keys_reach_only_what_their_service_calls (void **state)
{
    const char *services [] = { "ingest", "store", "analytics", "notify", "watch" };
    struct { const char *key; const char *reaches; bool unlimited; } cases [] = {
        { "store", "", false },
        { "ingest", "store", true },
        { "analytics", "store", true },
        { "notify", "store", true },
        { "watch", "ingest", false },
        { "stranger", "", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        ow_key_t key = { .name = (char *) cases [i].key, .role = OW_ROLE_SERVICE, .rate = -1 };
        for (size_t s = 0; s < sizeof services / sizeof services [0]; s++) {
            bool expected = strcmp (cases [i].reaches, services [s]) == 0;
            if (ow_rights_may_connect (services [s], &key) != expected)
                fail_msg ("service key %s and %s: expected %s", cases [i].key, services [s],
                          expected ? "reach" : "no reach");
        }
        assert_int_equal (ow_rights_unlimited (&key), cases [i].unlimited);
    }
    //  The same name on a client key is only that client: no service's rights.
    ow_key_t impostor = { .name = "ingest", .role = OW_ROLE_COUNCIL, .rate = -1 };
    assert_false (ow_rights_may_connect ("store", &impostor));
    assert_false (ow_rights_unlimited (&impostor));
    ow_key_t inspectorate = { .name = "admin", .role = OW_ROLE_INSPECTORATE, .rate = -1 };
    assert_false (ow_rights_unlimited (&inspectorate));
    assert_false (ow_rights_unlimited (NULL));
    //  ZAP domains of a service's other sockets count as the service's.
    ow_key_t notify = { .name = "notify", .role = OW_ROLE_SERVICE, .rate = -1 };
    assert_true (ow_rights_may_connect ("store.pub", &notify));
    ow_key_t watch = { .name = "watch", .role = OW_ROLE_SERVICE, .rate = -1 };
    assert_false (ow_rights_may_connect ("store.pub", &watch));
    assert_false (ow_rights_may_connect ("notify.pub", &watch));
    //  The watch submits what Ofsted publishes, for any authority.
    assert_true (ow_key_speaks_for_all (&watch));
    assert_true (ow_key_speaks_for (&watch, s_register, "E08000013"));
    assert_true (ow_key_may_submit_kind (&watch, OFWATCH__V1__DOC_KIND__DOC_KIND_MONITORING_LETTER));
    watch.revoked = "2026-01-01T00:00:00.000Z";
    assert_false (ow_key_speaks_for_all (&watch));
}

static void
test_strings_and_lists_have_lengths_they_may_not_pass (void **state)
{
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    Ofwatch__V1__SubmitRequest submit = OFWATCH__V1__SUBMIT_REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
    request.submit = &submit;
    char *name = ow_malloc (70 * 1024 + 1);
    memset (name, 'n', 70 * 1024);
    name [1024] = 0;
    submit.file_name = name;
    char *error = NULL;
    assert_true (ow_check_message (&request.base, &error));
    name [1024] = 'n';
    name [1025] = 0;
    assert_false (ow_check_message (&request.base, &error));
    assert_string_equal (error, "submit.file_name is 1025 bytes, over its limit of 1024");
    free (error);
    submit.file_name = "";
    name [1025] = 'n';
    name [257] = 0;
    submit.declared_authority = name;
    assert_false (ow_check_message (&request.base, &error));
    assert_string_equal (error, "submit.declared_authority is 257 bytes, over its limit of 256");
    free (error);
    submit.declared_authority = "";

    //  Any other string: at most 64 KiB; a document's text: any length.
    name [257] = 'n';
    name [70 * 1024] = 0;
    Ofwatch__V1__Extraction facts = OFWATCH__V1__EXTRACTION__INIT;
    char *warnings [] = { name };
    facts.warnings = warnings;
    facts.n_warnings = 1;
    Ofwatch__V1__StoreDocument document = OFWATCH__V1__STORE_DOCUMENT__INIT;
    document.extraction = &facts;
    document.text = name;
    request.body_case = OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT;
    request.store_document = &document;
    assert_false (ow_check_message (&request.base, &error));
    assert_string_equal (error, "store_document.extraction.warnings is 71680 bytes, over its "
                                "limit of 65536");
    free (error);
    facts.n_warnings = 0;
    assert_true (ow_check_message (&request.base, &error));

    //  A filter of more than a thousand authorities.
    Ofwatch__V1__EventsAfter after = OFWATCH__V1__EVENTS_AFTER__INIT;
    Ofwatch__V1__EventFilter filter = OFWATCH__V1__EVENT_FILTER__INIT;
    char **codes = ow_calloc (1001, sizeof (char *));
    for (size_t i = 0; i < 1001; i++)
        codes [i] = "E06000019";
    filter.authorities = codes;
    filter.n_authorities = 1001;
    after.filter = &filter;
    request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    request.events_after = &after;
    assert_false (ow_check_message (&request.base, &error));
    assert_string_equal (error, "events_after.filter.authorities holds 1001 values, over its "
                                "limit of 1000");
    free (error);
    free (codes);
    free (name);
}

static void
test_rates_and_throttles_count_what_they_hold_back (void **state)
{
    ow_rate_t *rates = ow_rate_new ();
    assert_int_equal (ow_rate_burst (60), 10);
    assert_int_equal (ow_rate_burst (1200), 120);
    for (int i = 0; i < 10; i++)
        assert_int_equal (ow_rate_take (rates, "hasty", 60, 1000), 0);
    assert_int_equal (ow_rate_take (rates, "hasty", 60, 1000), 1);     // a second to wait
    assert_int_equal (ow_rate_take (rates, "other", 60, 1000), 0);     // keys apart
    assert_int_equal (ow_rate_take (rates, "hasty", 60, 2001), 0);     // one dripped in
    assert_int_equal (ow_rate_take (rates, "hasty", 0, 2001), 0);      // no limit
    ow_rate_destroy (&rates);

    ow_throttle_t *throttle = ow_throttle_new (10000);
    size_t count = 0;
    assert_true (ow_throttle_pass (throttle, "refused x", 5000, &count));
    assert_int_equal (count, 1);
    for (int i = 0; i < 99; i++)
        assert_false (ow_throttle_pass (throttle, "refused x", 5000 + i, &count));
    assert_true (ow_throttle_pass (throttle, "refused y", 6000, &count));
    assert_true (ow_throttle_pass (throttle, "refused x", 15000, &count));
    assert_int_equal (count, 100);
    ow_throttle_destroy (&throttle);
}

// ---------------------------------------------------------------------------
//  CURVE and ZAP, on real sockets

//  Answers health with the name of the key that asked.
static Ofwatch__V1__Reply *
echo_peer (void *context, const Ofwatch__V1__Request *request)
{
    ow_server_t *server = *(ow_server_t **) context;
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = OFWATCH__V1__REPLY__BODY_HEALTH;
    reply->health = OW_PB_NEW (Ofwatch__V1__HealthReply, ofwatch__v1__health_reply__init);
    const char *peer = ow_server_peer (server);
    ow_pb_set_string (&reply->health->service, peer ? peer : "nobody");
    return reply;
}

typedef struct {
    ow_server_t *server;
    char *endpoint;
} serving_t;

static void
serve_actor (zsock_t *pipe, void *argument)
{
    serving_t *serving = argument;
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, ow_server_socket (serving->server), NULL);
    while (true) {
        void *which = zpoller_wait (poller, -1);
        if (which != ow_server_socket (serving->server))
            break;
        ow_server_handle_one (serving->server);
    }
    zpoller_destroy (&poller);
}

//  Asks health as the key in cert; the reply's service (the peer's name)
//  or NULL with *error.
static char *
ask_as (const char *endpoint, const char *cert, char **error)
{
    setenv ("OFWATCH_CERT", cert, 1);
    ow_client_t *client = ow_client_new (endpoint, "ingest");
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    Ofwatch__V1__Reply *reply = ow_client_call (client, &request, 5000, error);
    char *peer = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_HEALTH
               ? ow_strdup (reply->health->service) : NULL;
    ow_pb_free (&reply);
    ow_client_destroy (&client);
    return peer;
}

static void
test_zap_names_known_keys_and_refuses_the_rest (void **state)
{
    ow_keys_t *keys = ow_keys_new (s_directory);
    ow_key_t *clerk = make_key (keys, "clerk", OW_ROLE_COUNCIL, "E06000019");
    ow_key_t *watcher = make_key (keys, "watcher", OW_ROLE_SUBSCRIBER, NULL);
    ow_key_destroy (&clerk);
    ow_key_destroy (&watcher);

    serving_t serving = { 0 };
    serving.server = ow_server_new ("tcp://127.0.0.1:*", "ingest", echo_peer, &serving.server);
    assert_non_null (serving.server);
    char *endpoint = zsock_last_endpoint (ow_server_socket (serving.server));
    zactor_t *actor = zactor_new (serve_actor, &serving);

    char *admin = path_in ("local-admin.cert"), *clerk_cert = path_in ("clerk.cert");
    char *watcher_cert = path_in ("watcher.cert");
    char *error = NULL;
    char *peer = ask_as (endpoint, admin, &error);
    assert_non_null (peer);
    assert_string_equal (peer, "local-admin");
    free (peer);
    peer = ask_as (endpoint, clerk_cert, &error);
    assert_string_equal (peer, "clerk");
    free (peer);

    //  A subscriber may not connect to ingest; a revoked key no longer.
    int64_t started = zclock_mono ();
    assert_null (ask_as (endpoint, watcher_cert, &error));
    assert_non_null (strstr (error, "refused the client certificate"));
    assert_true (zclock_mono () - started < 4000);
    free (error);
    error = NULL;
    assert_true (ow_keys_revoke (keys, "clerk", &error));
    assert_null (ask_as (endpoint, clerk_cert, &error));
    assert_non_null (strstr (error, "refused the client certificate"));
    free (error);
    error = NULL;
    //  A key revoked while its connection stays open: its next request is
    //  refused.
    ow_key_t *keeper = make_key (keys, "keeper", OW_ROLE_COUNCIL, "E06000019");
    ow_key_destroy (&keeper);
    char *keeper_cert = path_in ("keeper.cert");
    setenv ("OFWATCH_CERT", keeper_cert, 1);
    ow_client_t *open = ow_client_new (endpoint, "ingest");
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    Ofwatch__V1__Reply *reply = ow_client_call (open, &request, 5000, &error);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_HEALTH);
    ow_pb_free (&reply);
    assert_true (ow_keys_revoke (keys, "keeper", &error));
    reply = ow_client_call (open, &request, 5000, &error);
    if (!reply)
        fprintf (stderr, "%s\n", error);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_ERROR);
    assert_non_null (strstr (reply->error->message, "the key keeper was revoked"));
    ow_pb_free (&reply);
    ow_client_destroy (&open);
    free (keeper_cert);

    //  Every request counts against the key's rate: --rate 60 is a burst
    //  of ten, then one a second.
    const char *authorities [] = { "E06000019" };
    ow_key_spec_t spec = { .name = "slow", .role = OW_ROLE_COUNCIL, .authorities = authorities,
                           .n_authorities = 1, .rate = 60 };
    ow_key_t *slow = ow_keys_create (keys, &spec, NULL, &error);
    assert_non_null (slow);
    ow_key_destroy (&slow);
    char *slow_cert = path_in ("slow.cert");
    setenv ("OFWATCH_CERT", slow_cert, 1);
    free (slow_cert);
    ow_client_t *eager = ow_client_new (endpoint, "ingest");
    size_t limited = 0;
    for (int i = 0; i < 15; i++) {
        reply = ow_client_call (eager, &request, 5000, &error);
        if (!reply)
            fprintf (stderr, "request %d: %s\n", i, error);
        assert_non_null (reply);
        if (reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR) {
            assert_non_null (strstr (reply->error->message, "too many requests from key slow "
                                                            "(at most 60 a minute); try again"));
            limited++;
        }
        ow_pb_free (&reply);
    }
    assert_true (limited >= 4);
    //  A message of two frames is answered as malformed, after the rate.
    zsock_t *dealer = ow_client_socket (eager);
    zstr_sendx (dealer, "one", "two", NULL);
    zpoller_t *poller = zpoller_new (dealer, NULL);
    assert_non_null (zpoller_wait (poller, 5000));
    zpoller_destroy (&poller);
    zframe_t *frame = zframe_recv (dealer);
    reply = ow_wire_unpack_reply (frame);
    zframe_destroy (&frame);
    assert_non_null (reply);
    assert_int_equal (reply->error->code, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE);
    ow_pb_free (&reply);
    ow_client_destroy (&eager);

    //  No certificate at all: said before anything is sent.
    assert_null (ask_as (endpoint, "/nonexistent.cert", &error));
    assert_non_null (strstr (error, "cannot present a client certificate"));
    free (error);

    zactor_destroy (&actor);
    ow_server_destroy (&serving.server);
    zstr_free (&endpoint);
    free (admin);
    free (clerk_cert);
    free (watcher_cert);
    ow_keys_destroy (&keys);
    setenv ("OFWATCH_CERT", "", 1);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_the_registry_makes_lists_finds_and_revokes_keys),
        cmocka_unit_test (test_bad_key_requests_are_refused_with_a_reason),
        cmocka_unit_test (test_a_pair_can_be_written_for_its_holder),
        cmocka_unit_test (test_a_council_speaks_for_itself_and_what_it_succeeded),
        cmocka_unit_test (test_utf8_is_checked_strictly),
        cmocka_unit_test (test_messages_are_checked_all_the_way_down),
        cmocka_unit_test (test_service_keys_are_made_once_and_speak_for_all),
        cmocka_unit_test (test_current_keys_are_read_again_only_when_changed),
        cmocka_unit_test (test_the_table_says_who_may_connect_and_ask_what),
        cmocka_unit_test (test_service_keys_reach_only_what_their_service_calls),
        cmocka_unit_test (test_strings_and_lists_have_lengths_they_may_not_pass),
        cmocka_unit_test (test_rates_and_throttles_count_what_they_hold_back),
        cmocka_unit_test (test_zap_names_known_keys_and_refuses_the_rest),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
