/*  Hostile input to every socket anyone outside may reach, over the real
    sockets: nothing a submitter sends may crash a service, change what
    PostgreSQL holds, or pass unanswered and unlogged.

    Each kind of bad frame gets its own clear answer; then 10,000 random
    and mutated frames go to ingest and to notify's replay ROUTER (every
    message answered, one of the wrong number of frames with a
    BAD_REQUEST, and the log saying so in a few throttled lines), 10,000
    random subscriptions to notify's PUB and raw garbage to all three,
    after which every service still answers and the database is as it
    was. A replay after the largest seq there could be is an empty page.
    A 200 MiB message, a document over the size limit and decompression
    bombs are refused with clear errors (never "try again") while other
    submitters keep being served; a 60 MiB text document is stored whole;
    a worker killed mid-life is replaced. Webhooks may not point at
    link-local addresses, cloud metadata, ofwatch's own ports or carry
    credentials, and a listing never shows credentials. analytics' pages
    carry a Content-Security-Policy and X-Content-Type-Options: nosniff,
    and /api/ answers its errors as JSON. A records feed
    refused for one of its authorities names that one, in the refusal and
    the audit row, and an authority declared that the register does not
    know is refused saying so.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_keys.h"
#include "it_log.h"
#include "it_stack.h"
#include "it_support.h"
#include "ow_config.h"
#include "ow_security.h"
#include "ow_wire.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#define FRAMES        10000
#define WINDOW        100
#define BAD_REQUEST   OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST
#define REJECTED      OFWATCH__V1__ERROR__CODE__CODE_REJECTED

#if defined (__SANITIZE_ADDRESS__)
#   define SANITIZED 1
#else
#   define SANITIZED 0
#endif

// ---------------------------------------------------------------------------
//  Deterministic randomness, so a failure can be replayed.

static uint64_t s_random = 0x9E3779B97F4A7C15ull;

static uint64_t
next_random (void)
{
    s_random ^= s_random << 13;
    s_random ^= s_random >> 7;
    s_random ^= s_random << 17;
    return s_random;
}

static size_t
random_below (size_t bound)
{
    return bound ? (size_t) (next_random () % bound) : 0;
}

static void
random_bytes (uint8_t *bytes, size_t size)
{
    for (size_t i = 0; i < size; i++)
        bytes [i] = (uint8_t) next_random ();
}

// ---------------------------------------------------------------------------
//  Frames

static zframe_t *
pack (const Ofwatch__V1__Request *request)
{
    return ow_wire_pack (&request->base);
}

//  Valid requests of every shape the sockets know, to mutate. Submitted
//  content is random binary, which no extraction accepts, so nothing a
//  mutation makes of it can be stored.
static zframe_t *
seed_frame (size_t which)
{
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    Ofwatch__V1__HealthQuery health = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__SubmitRequest submit = OFWATCH__V1__SUBMIT_REQUEST__INIT;
    Ofwatch__V1__EventsAfter after = OFWATCH__V1__EVENTS_AFTER__INIT;
    Ofwatch__V1__EventFilter filter = OFWATCH__V1__EVENT_FILTER__INIT;
    Ofwatch__V1__HistoryQuery history = OFWATCH__V1__HISTORY_QUERY__INIT;
    uint8_t content [256];
    Ofwatch__V1__EventType types [] = { OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_JUDGEMENT_CHANGED };
    char *authorities [] = { "E06000019" };
    request.request_id = next_random ();
    switch (which % 4) {
        case 0:
            request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
            request.health = &health;
            break;
        case 1:
            random_bytes (content, sizeof content);
            content [0] = 0;            // binary: never decoded as text
            submit.content.data = content;
            submit.content.len = 1 + random_below (sizeof content - 1);
            submit.file_name = "fuzz.bin";
            request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
            request.submit = &submit;
            break;
        case 2:
            after.after_seq = random_below (100);
            after.limit = (uint32_t) random_below (20);
            filter.n_types = 1;
            filter.types = types;
            filter.n_authorities = 1;
            filter.authorities = authorities;
            after.filter = &filter;
            request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
            request.events_after = &after;
            break;
        default:
            history.authority = "Herefordshire";
            request.body_case = OFWATCH__V1__REQUEST__BODY_HISTORY;
            request.history = &history;
            break;
    }
    return pack (&request);
}

//  A random frame, a valid request mutated, or a valid request.
static zframe_t *
hostile_frame (void)
{
    size_t kind = random_below (10);
    if (kind < 3) {
        zframe_t *frame = zframe_new (NULL, random_below (512));
        random_bytes (zframe_data (frame), zframe_size (frame));
        return frame;
    }
    zframe_t *seed = seed_frame (random_below (4));
    if (kind == 9)
        return seed;
    size_t size = zframe_size (seed);
    uint8_t *bytes = ow_malloc (size + 8);
    memcpy (bytes, zframe_data (seed), size);
    zframe_destroy (&seed);
    //  At most 4 mutations, so at most 4 bytes inserted.
    for (size_t mutations = 1 + random_below (4); mutations; mutations--) {
        size_t at = random_below (size ? size : 1);
        switch (random_below (4)) {
            case 0: if (size) bytes [at] ^= (uint8_t) (1u << random_below (8)); break;
            case 1: if (size) bytes [at] = (uint8_t) next_random (); break;
            case 2: size = at; break;                                  // truncated
            default:                                                   // inserted
                memmove (bytes + at + 1, bytes + at, size - at);
                bytes [at] = (uint8_t) next_random ();
                size++;
        }
    }
    zframe_t *frame = zframe_new (bytes, size);
    free (bytes);
    return frame;
}

//  A DEALER presenting local-admin's certificate to service's endpoint.
static zsock_t *
dealer_for (const char *service, const char *endpoint)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    zsock_set_linger (dealer, 0);
    zsock_set_sndhwm (dealer, 0);
    assert_true (ow_security_client (dealer, service, NULL));
    char *connectable = ow_config_connectable (endpoint);
    zsock_connect (dealer, "%s", connectable);
    free (connectable);
    return dealer;
}

//  Receives one reply within timeout_ms; asserts it is a Reply.
static bool
receive_reply (zsock_t *dealer, int timeout_ms)
{
    zpoller_t *poller = zpoller_new (dealer, NULL);
    bool got = zpoller_wait (poller, timeout_ms) != NULL;
    zpoller_destroy (&poller);
    if (!got)
        return false;
    zframe_t *frame = zframe_recv (dealer);
    Ofwatch__V1__Reply *reply = frame ? ow_wire_unpack_reply (frame) : NULL;
    zframe_destroy (&frame);
    assert_non_null (reply);
    ow_pb_free (&reply);
    return true;
}

//  Sends FRAMES hostile messages to a ROUTER: every one must be answered,
//  one of the wrong number of frames with a BAD_REQUEST saying so, and
//  the log must say so in a few throttled lines (a malformed request of
//  any kind from one key at most once per ten seconds, so the flood may
//  add none to the line about the test before).
static void
flood (const char *service, const char *endpoint)
{
    zsock_t *dealer = dealer_for (service, endpoint);
    size_t logged_before = it_log_lines_with (service, "refused a malformed request");
    int64_t started = zclock_mono ();
    size_t sent = 0, multipart = 0, answered = 0;
    for (size_t i = 0; i < FRAMES; i++) {
        while (sent - answered >= WINDOW)
            assert_true (receive_reply (dealer, 60000) && ++answered);
        if (random_below (10) == 0) {
            zmsg_t *msg = zmsg_new ();
            for (size_t parts = 2 + random_below (2); parts; parts--)
                zmsg_append (msg, (zframe_t *[]) { hostile_frame () });
            zmsg_send (&msg, dealer);
            multipart++;
        }
        else {
            zframe_t *frame = hostile_frame ();
            zframe_send (&frame, dealer, 0);
        }
        sent++;
    }
    while (answered < sent)
        assert_true (receive_reply (dealer, 60000) && ++answered);
    zsock_destroy (&dealer);
    zclock_sleep (500);
    size_t logged = it_log_lines_with (service, "refused a malformed request") - logged_before;
    size_t periods = (size_t) ((zclock_mono () - started) / 10000) + 2;
    printf ("    %s: %zu messages answered, %zu of them multipart; %zu log lines about "
            "malformed requests\n", service, answered, multipart, logged);
    assert_true (multipart > 0);
    assert_true (logged <= periods);
    assert_true (it_log_lines_with (service, "refused a malformed request") >= 1);
}

static char *s_fingerprint;

static void
assert_database_unchanged (void)
{
    char *now = it_database_fingerprint ();
    assert_non_null (now);
    assert_string_equal (now, s_fingerprint);
    free (now);
}

static void
assert_healthy (void)
{
    int rc = -1;
    char *output = it_cli ("health", &rc);
    if (rc != 0)
        fprintf (stderr, "%s", output);
    free (output);
    assert_int_equal (rc, 0);
}

// ---------------------------------------------------------------------------

static int
setup (void **state)
{
    it_stack_adopt ();
    assert_int_equal (it_keys ("new second --role inspectorate"), 0);
    s_fingerprint = it_database_fingerprint ();
    assert_non_null (s_fingerprint);
    return 0;
}

static int
teardown (void **state)
{
    free (s_fingerprint);
    return it_stack_teardown (state);
}

//  The next reply on a DEALER, which must come within 10 s (caller frees).
static Ofwatch__V1__Reply *
next_reply (zsock_t *dealer)
{
    zpoller_t *poller = zpoller_new (dealer, NULL);
    assert_non_null (zpoller_wait (poller, 10000));
    zpoller_destroy (&poller);
    zframe_t *answer = zframe_recv (dealer);
    Ofwatch__V1__Reply *reply = ow_wire_unpack_reply (answer);
    zframe_destroy (&answer);
    assert_non_null (reply);
    return reply;
}

//  Asserts a frame gets a BAD_REQUEST naming the problem.
static void
expect_bad_request (zsock_t *dealer, zframe_t *frame, const char *says)
{
    zframe_send (&frame, dealer, 0);
    Ofwatch__V1__Reply *reply = next_reply (dealer);
    assert_int_equal (it_error_code (reply), BAD_REQUEST);
    if (!strstr (reply->error->message, says))
        fprintf (stderr, "expected \"%s\" in \"%s\"\n", says, reply->error->message);
    assert_non_null (strstr (reply->error->message, says));
    ow_pb_free (&reply);
}

static void
test_each_kind_of_bad_frame_gets_a_clear_answer (void **state)
{
    ow_config_t config;
    ow_config_load (&config);
    zsock_t *dealer = dealer_for ("ingest", config.ingest);

    uint8_t garbage [] = { 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01 };
    expect_bad_request (dealer, zframe_new (garbage, sizeof garbage),
                        "not a valid ofwatch.v1.Request");

    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    Ofwatch__V1__SubmitRequest submit = OFWATCH__V1__SUBMIT_REQUEST__INIT;
    submit.file_name = "caf\xc3\x28.pdf";
    request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
    request.submit = &submit;
    expect_bad_request (dealer, pack (&request), "submit.file_name is not valid UTF-8");

    zframe_t *truncated = pack (&request);
    zframe_reset (truncated, zframe_data (truncated), zframe_size (truncated) - 3);
    expect_bad_request (dealer, truncated, "not a valid ofwatch.v1.Request");

    Ofwatch__V1__EventsAfter after = OFWATCH__V1__EVENTS_AFTER__INIT;
    Ofwatch__V1__EventFilter filter = OFWATCH__V1__EVENT_FILTER__INIT;
    Ofwatch__V1__EventType types [] = { (Ofwatch__V1__EventType) 999 };
    filter.n_types = 1;
    filter.types = types;
    after.filter = &filter;
    request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
    request.events_after = &after;
    expect_bad_request (dealer, pack (&request), "events_after.filter.types has no value 999");

    //  A message type this version does not know: field 99 of Request.
    uint8_t unknown [] = { 0x08, 0x07, 0x9a, 0x06, 0x00 };
    expect_bad_request (dealer, zframe_new (unknown, sizeof unknown), "the request has no body");

    //  Two frames where a request is one.
    zmsg_t *two = zmsg_new ();
    zmsg_addstr (two, "one");
    zmsg_addstr (two, "two");
    zmsg_send (&two, dealer);
    Ofwatch__V1__Reply *reply = next_reply (dealer);
    assert_int_equal (it_error_code (reply), BAD_REQUEST);
    assert_non_null (strstr (reply->error->message, "a request is one frame; this message had 2"));
    ow_pb_free (&reply);

    //  A string over its field's limit, named without being quoted.
    char *long_name = ow_malloc (2000);
    memset (long_name, 'a', 1999);
    long_name [1999] = 0;
    Ofwatch__V1__SubmitRequest named = OFWATCH__V1__SUBMIT_REQUEST__INIT;
    named.file_name = long_name;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
    request.submit = &named;
    expect_bad_request (dealer, pack (&request),
                        "submit.file_name is 1999 bytes, over its limit of 1024");
    free (long_name);
    zsock_destroy (&dealer);
}

static void
test_a_replay_after_the_largest_seq_is_an_empty_page (void **state)
{
    ow_config_t config;
    ow_config_load (&config);
    const char *services [] = { "notify", "store" };
    const char *endpoints [] = { config.notify_replay, config.store };
    for (size_t i = 0; i < 2; i++) {
        zsock_t *dealer = dealer_for (services [i], endpoints [i]);
        Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
        Ofwatch__V1__EventsAfter after = OFWATCH__V1__EVENTS_AFTER__INIT;
        after.after_seq = UINT64_MAX;
        request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
        request.events_after = &after;
        zframe_t *frame = pack (&request);
        zframe_send (&frame, dealer, 0);
        Ofwatch__V1__Reply *reply = next_reply (dealer);
        if (reply->body_case != OFWATCH__V1__REPLY__BODY_EVENTS)
            fprintf (stderr, "%s: %s\n", services [i], ow_client_error_message (reply));
        assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_EVENTS);
        assert_int_equal (reply->events->n_events, 0);
        ow_pb_free (&reply);
        zsock_destroy (&dealer);
    }
}

static void
test_random_and_mutated_frames_leave_everything_serving (void **state)
{
    ow_config_t config;
    ow_config_load (&config);
    flood ("ingest", config.ingest);
    flood ("notify", config.notify_replay);
    assert_healthy ();
    assert_database_unchanged ();
}

static void
test_random_subscriptions_and_raw_garbage_leave_everything_serving (void **state)
{
    ow_config_t config;
    ow_config_load (&config);
    //  An XSUB sends what a SUB would only send as subscriptions.
    zsock_t *xsub = zsock_new (ZMQ_XSUB);
    zsock_set_sndhwm (xsub, 0);
    assert_true (ow_security_client (xsub, "notify", NULL));
    char *pub = ow_config_connectable (config.notify_pub);
    zsock_connect (xsub, "%s", pub);
    for (size_t i = 0; i < FRAMES; i++) {
        zframe_t *frame = zframe_new (NULL, random_below (6000));
        random_bytes (zframe_data (frame), zframe_size (frame));
        zframe_send (&frame, xsub, 0);
    }
    zclock_sleep (500);
    zsock_destroy (&xsub);
    free (pub);

    //  Raw TCP: random bytes, and a ZMTP greeting asking for no security.
    static const uint8_t null_greeting [64] = {
        0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 0, 'N', 'U', 'L', 'L'
    };
    const char *endpoints [] = { config.ingest, config.notify_pub, config.notify_replay };
    for (size_t e = 0; e < 3; e++)
        for (int i = 0; i < 50; i++) {
            const char *port = strrchr (endpoints [e], ':') + 1;
            struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (atoi (port)) };
            inet_pton (AF_INET, "127.0.0.1", &address.sin_addr);
            int fd = socket (AF_INET, SOCK_STREAM, 0);
            assert_int_equal (connect (fd, (struct sockaddr *) &address, sizeof address), 0);
            uint8_t bytes [1024];
            random_bytes (bytes, sizeof bytes);
            const void *sent = i % 2 ? (const void *) null_greeting : bytes;
            ssize_t written = send (fd, sent, i % 2 ? sizeof null_greeting : sizeof bytes,
                                    MSG_NOSIGNAL);
            assert_true (written > 0);
            zclock_sleep (5);
            close (fd);
        }
    zclock_sleep (1000);
    assert_true (it_log_lines_with ("ingest", "failed the CURVE handshake") > 0);
    assert_true (it_log_lines_with ("notify", "failed the CURVE handshake") > 0);
    assert_healthy ();
    assert_database_unchanged ();

    //  notify still publishes to a proper subscriber.
    char *second = it_key_path ("second");
    zsock_t *subscriber = it_subscribe_as (second, "document.received.");
    ow_client_t *client = it_client_as ("ingest", second);
    Ofwatch__V1__Reply *reply = it_submit_with (client,
        "herefordshire-2014-09-11-cabinet-inspection-outcome.txt", NULL);
    assert_true (it_stored (&reply));
    Ofwatch__V1__Event *event = it_next_event (subscriber, 10000);
    assert_non_null (event);
    ow_pb_free (&event);
    zsock_destroy (&subscriber);
    ow_client_destroy (&client);
    free (second);
}

// ---------------------------------------------------------------------------

static void
test_a_200_mib_message_is_refused_while_others_are_served (void **state)
{
    ow_config_t config;
    ow_config_load (&config);
    size_t huge = 200u << 20;
    zsock_t *dealer = dealer_for ("ingest", config.ingest);
    zframe_t *frame = zframe_new (NULL, huge);
    memset (zframe_data (frame), 'x', huge);
    zframe_send (&frame, dealer, 0);

    //  Another submitter is served meanwhile.
    char *second = it_key_path ("second");
    ow_client_t *client = it_client_as ("ingest", second);
    Ofwatch__V1__Reply *reply = it_submit_with (client,
        "herefordshire-2023-06-22-cabinet-monitoring-visit-feedback.txt", NULL);
    assert_true (it_stored (&reply));
    //  ingest's socket dropped the oversized message unread: no answer.
    assert_false (receive_reply (dealer, 3000));
    zsock_destroy (&dealer);

    //  The client library refuses to send it, saying why.
    uint8_t *content = ow_calloc (1, huge);
    reply = it_submit_bytes (client, content, huge, "huge.pdf");
    assert_null (reply);
    free (content);
    ow_client_destroy (&client);
    free (second);

    //  So does the CLI, for a file of that size.
    char *path = ow_printf ("%s/huge.pdf", getenv ("OFWATCH_TEST_LOG"));
    FILE *file = fopen (path, "w");
    assert_int_equal (ftruncate (fileno (file), (off_t) huge), 0);
    fclose (file);
    char *arguments = ow_printf ("submit '%s' 2>&1", path);
    int rc = -1;
    char *output = it_cli (arguments, &rc);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (output, "larger than the 64 MiB limit"));
    free (output);
    free (arguments);
    unlink (path);
    free (path);
    assert_healthy ();
}

static void
test_a_document_over_the_size_limit_is_refused (void **state)
{
    char *second = it_key_path ("second");
    ow_client_t *client = it_client_as ("ingest", second);
    size_t size = 65u << 20;
    uint8_t *content = ow_calloc (1, size);
    Ofwatch__V1__Reply *reply = it_submit_bytes (client, content, size, "big.pdf");
    free (content);
    assert_int_equal (it_error_code (reply), REJECTED);
    assert_non_null (strstr (reply->error->message, "big.pdf: the document is 65 MiB, over the "
                                                    "64 MiB limit"));
    //  Retrying could not change that, so it does not say to.
    assert_null (strstr (reply->error->message, "try again"));
    ow_pb_free (&reply);
    ow_client_destroy (&client);
    free (second);
}

//  A text document of `size` bytes: a real council paper, then a long
//  appendix.
static char *
long_text (size_t size)
{
    char *path = it_sample ("herefordshire-2023-06-22-cabinet-monitoring-visit-feedback.txt");
    zchunk_t *head = zchunk_slurp (path, 0);
    free (path);
    assert_non_null (head);
    char *text = ow_malloc (size + 1);
    memcpy (text, zchunk_data (head), zchunk_size (head));
    const char *line = "Appendix B. The board noted the figures in the table below and asked "
                       "for them to be reported again next quarter.\n";
    size_t at = zchunk_size (head), length = strlen (line);
    while (at + length <= size) {
        memcpy (text + at, line, length);
        at += length;
    }
    memset (text + at, ' ', size - at);
    text [size] = 0;
    zchunk_destroy (&head);
    return text;
}

static void
test_a_60_mib_text_document_is_stored_whole (void **state)
{
    size_t size = 60u << 20;
    char *text = long_text (size);
    char *second = it_key_path ("second");
    ow_client_t *client = it_client_as ("ingest", second);
    Ofwatch__V1__Reply *reply = it_submit_bytes (client, text, size, "appendix.txt");
    if (it_error_code (reply) >= 0)
        fprintf (stderr, "%s\n", reply->error->message);
    assert_non_null (reply);
    assert_int_equal (reply->body_case, OFWATCH__V1__REPLY__BODY_SUBMIT);
    char *sql = ow_printf ("SELECT octet_length (content) || '/' || octet_length (text)"
                           " FROM document WHERE id = %ld", (long) reply->submit->document_id);
    ow_pb_free (&reply);
    PGresult *result = it_pg_query (sql);
    free (sql);
    assert_non_null (result);
    char *expected = ow_printf ("%zu/%zu", size, size);
    printf ("    stored: content and text %s bytes\n", PQgetvalue (result, 0, 0));
    assert_string_equal (PQgetvalue (result, 0, 0), expected);
    free (expected);
    PQclear (result);
    ow_client_destroy (&client);
    free (second);
    free (text);
}

// ---------------------------------------------------------------------------
//  Webhooks, feeds and declarations

static void
test_webhooks_may_not_point_inwards_or_carry_credentials (void **state)
{
    ow_config_t config;
    ow_config_load (&config);
    char *store_port = ow_printf ("http://127.0.0.1%s/hook", strrchr (config.store, ':'));
    char *pg_port = ow_printf ("http://127.0.0.1:%s/", getenv ("OFWATCH_PG_PORT"));
    const struct { const char *url; const char *says; } refused [] = {
        { "http://169.254.169.254/latest/meta-data/", "link-local" },
        { "http://169.254.10.1:8080/hook", "link-local" },
        { "http://[fe80::1]/hook", "link-local" },
        { "http://[::ffff:169.254.169.254]/hook", "link-local" },
        { "http://metadata.google.internal/computeMetadata/v1/", "metadata" },
        { "http://100.100.100.200/latest/", "metadata" },
        { "http://0.0.0.0:8080/", "unspecified" },
        { store_port, "ofwatch's own ports" },
        { pg_port, "ofwatch's own ports" },
        { "https://alice:secret@example.org/hook", "credentials" },
        { "https://token@example.org/hook", "credentials" },
    };
    int rc = -1;
    char *before = it_cli ("webhook list --json", &rc);
    for (size_t i = 0; i < sizeof refused / sizeof refused [0]; i++) {
        char *arguments = ow_printf ("webhook add '%s' --secret s 2>&1", refused [i].url);
        char *output = it_cli (arguments, &rc);
        if (!strstr (output, refused [i].says))
            fprintf (stderr, "%s: %s\n", refused [i].url, output);
        assert_int_not_equal (rc, 0);
        assert_non_null (strstr (output, refused [i].says));
        free (output);
        free (arguments);
    }
    char *after = it_cli ("webhook list --json", &rc);
    assert_string_equal (before, after);
    free (before);
    free (after);
    free (store_port);
    free (pg_port);

    //  A subscription from before credentials were refused is listed
    //  without them.
    PGresult *result = it_pg_query ("INSERT INTO notify.webhook (url, secret, types, authorities,"
        " themes, cursor, enabled) VALUES ('https://olduser:oldpass@example.org/legacy', 's',"
        " '{}', '{}', '{}', 0, false) RETURNING id");
    assert_non_null (result);
    PQclear (result);
    char *listing = it_cli ("webhook list --json", &rc);
    assert_int_equal (rc, 0);
    assert_non_null (strstr (listing, "https://example.org/legacy"));
    assert_null (strstr (listing, "olduser"));
    assert_null (strstr (listing, "oldpass"));
    free (listing);
    listing = it_cli ("webhook list", &rc);
    assert_null (strstr (listing, "oldpass"));
    free (listing);
}

static void
test_a_mixed_feed_is_refused_naming_the_authority_it_may_not_speak_for (void **state)
{
    assert_int_equal (it_keys ("new hereford-feeds --authority Herefordshire --ofsted"), 0);
    char *cert = it_key_path ("hereford-feeds");
    ow_client_t *client = it_client_as ("ingest", cert);
    free (cert);
    //  Herefordshire's rows first, then St Helens'.
    Ofwatch__V1__Reply *reply = it_submit_with (client, "summary-sheet.csv", NULL);
    ow_client_destroy (&client);
    assert_int_equal (it_error_code (reply), REJECTED);
    printf ("    %s\n", reply->error->message);
    assert_non_null (strstr (reply->error->message, "reports on St. Helens (E08000013)"));
    ow_pb_free (&reply);
    //  ingest writes its audit rows in the background: wait for the row.
    PGresult *result = NULL;
    for (int tries = 0; tries < 100; tries++) {
        PQclear (result);
        result = it_pg_query ("SELECT authority FROM audit WHERE key_name = 'hereford-feeds'");
        assert_non_null (result);
        if (PQntuples (result) > 0)
            break;
        zclock_sleep (100);
    }
    assert_int_equal (PQntuples (result), 1);
    assert_string_equal (PQgetvalue (result, 0, 0), "E08000013");
    PQclear (result);
}

//  The headers of a GET, lower-cased, one a line (caller frees), and the
//  status.
static size_t
keep_header (char *data, size_t size, size_t count, void *argument)
{
    zchunk_t *headers = argument;
    for (size_t i = 0; i < size * count; i++)
        data [i] = (char) tolower ((unsigned char) data [i]);
    zchunk_extend (headers, data, size * count);
    return size * count;
}

static size_t
drop_body (char *data, size_t size, size_t count, void *argument)
{
    return size * count;
}

static char *
headers_of (int port, const char *path, long *status)
{
    char *url = ow_printf ("http://127.0.0.1:%d%s", port, path);
    zchunk_t *headers = zchunk_new (NULL, 0);
    CURL *curl = curl_easy_init ();
    curl_easy_setopt (curl, CURLOPT_URL, url);
    curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, keep_header);
    curl_easy_setopt (curl, CURLOPT_HEADERDATA, headers);
    curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, drop_body);
    curl_easy_setopt (curl, CURLOPT_TIMEOUT, 30L);
    assert_int_equal (curl_easy_perform (curl), CURLE_OK);
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup (curl);
    free (url);
    zchunk_extend (headers, "", 1);
    char *text = ow_strdup ((char *) zchunk_data (headers));
    zchunk_destroy (&headers);
    return text;
}

static void
test_pages_forbid_scripts_and_sniffing (void **state)
{
    int port = it_free_port ();
    assert_true (port > 0);
    assert_true (it_stack_kill ("analytics", SIGTERM));
    char text [16];
    snprintf (text, sizeof text, "%d", port);
    setenv ("OFWATCH_HTTP_PORT", text, 1);
    assert_true (it_stack_start ("analytics"));
    //  Healthy means serving: analytics is not healthy while it is still
    //  reading the histories (the pages would answer 503 "try again").
    assert_true (it_stack_wait_healthy (60000));
    const struct { const char *path; long status; const char *type; } pages [] = {
        { "/", 200, "text/html" }, { "/national", 200, "text/html" },
        { "/api/national", 200, "application/json" }, { "/nowhere", 404, "text/html" },
        { "/api/nowhere", 404, "application/json" },
        { "/api/authority/Narnia", 404, "application/json" },
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages [0]; i++) {
        long status = 0;
        char *headers = headers_of (port, pages [i].path, &status);
        assert_int_equal (status, pages [i].status);
        assert_non_null (strstr (headers, "content-security-policy: default-src 'none'"));
        assert_null (strstr (headers, "script-src"));
        assert_non_null (strstr (headers, "x-content-type-options: nosniff"));
        char *type = ow_printf ("content-type: %s", pages [i].type);
        assert_non_null (strstr (headers, type));
        free (type);
        free (headers);
    }
}

static void
test_an_unknown_declared_authority_is_refused_saying_so (void **state)
{
    char *sample = it_sample ("herefordshire-2022-scrutiny-minutes-ilacs.txt");
    char *arguments = ow_printf ("submit --authority Narnia '%s' 2>&1", sample);
    int rc = -1;
    char *output = it_cli (arguments, &rc);
    printf ("    %s", output);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (output, "no authority is known as \"Narnia\""));
    assert_null (strstr (output, "try again"));
    free (output);
    free (arguments);
    free (sample);
}

// ---------------------------------------------------------------------------
//  Decompression bombs: PDFs whose content stream inflates to gigabytes.

typedef struct {
    uint8_t *bytes;
    size_t size, capacity;
    uint32_t bits;
    int used;
} bits_t;

static void
put_bits (bits_t *out, uint32_t value, int count)
{
    for (int i = 0; i < count; i++) {
        out->bits |= ((value >> i) & 1u) << out->used;
        if (++out->used == 8) {
            if (out->size == out->capacity) {
                out->capacity = out->capacity ? out->capacity * 2 : 4096;
                out->bytes = realloc (out->bytes, out->capacity);
                assert_non_null (out->bytes);
            }
            out->bytes [out->size++] = (uint8_t) out->bits;
            out->bits = 0;
            out->used = 0;
        }
    }
}

//  Huffman codes go most significant bit first.
static void
put_code (bits_t *out, uint32_t code, int count)
{
    for (int i = count - 1; i >= 0; i--)
        put_bits (out, (code >> i) & 1u, 1);
}

static void
put_literal (bits_t *out, uint8_t byte)
{
    if (byte < 144)
        put_code (out, 0x30 + byte, 8);
    else
        put_code (out, 0x190 + byte - 144, 9);
}

//  A distance in deflate's fixed code: the code and its extra bits.
static void
put_distance (bits_t *out, uint32_t distance)
{
    static const uint32_t base [30] = {
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
        1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577
    };
    uint32_t code = 29;
    while (base [code] > distance)
        code--;
    put_code (out, code, 5);
    int extra = code < 4 ? 0 : (int) (code / 2 - 1);
    put_bits (out, distance - base [code], extra);
}

//  A zlib stream of `pattern` repeated to `total` bytes, in one fixed-
//  Huffman deflate block of 258-byte matches: about 160 times smaller.
//  The checksum at the end is left zero: a reader inflates, and spends
//  its time, before it could check it.
static bits_t
inflating_to (const char *pattern, uint64_t total)
{
    bits_t out = { 0 };
    put_bits (&out, 0x78, 8);
    put_bits (&out, 0x01, 8);
    put_bits (&out, 1, 1);                  // the final block
    put_bits (&out, 1, 2);                  // fixed codes
    size_t period = strlen (pattern);
    for (size_t i = 0; i < period; i++)
        put_literal (&out, (uint8_t) pattern [i]);
    for (uint64_t written = period; written + 258 <= total; written += 258) {
        put_code (&out, 0xC5, 8);           // length 258
        put_distance (&out, (uint32_t) period);
    }
    put_code (&out, 0, 7);                  // end of block
    if (out.used)
        put_bits (&out, 0, 8 - out.used);
    put_bits (&out, 0, 32);
    return out;
}

static uint8_t *
bomb_pdf (const char *pattern, uint64_t total, size_t *size)
{
    bits_t stream = inflating_to (pattern, total);
    char *head = ow_printf ("%%PDF-1.4\n"
        "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
        "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
        "4 0 obj << /Length %zu /Filter /FlateDecode >>\nstream\n", stream.size);
    const char *tail = "\nendstream\nendobj\ntrailer << /Size 6 /Root 1 0 R >>\n%%EOF\n";
    *size = strlen (head) + stream.size + strlen (tail);
    uint8_t *pdf = ow_malloc (*size);
    memcpy (pdf, head, strlen (head));
    memcpy (pdf + strlen (head), stream.bytes, stream.size);
    memcpy (pdf + strlen (head) + stream.size, tail, strlen (tail));
    free (head);
    free (stream.bytes);
    return pdf;
}

//  Restarts ingest with tighter decoding limits, so a bomb is cut short
//  in seconds rather than the default half minute, and a memory bomb
//  reaches its limit before its time runs out.
static void
restart_ingest_with_tight_limits (void)
{
    assert_true (it_stack_kill ("ingest", SIGTERM));
    setenv ("OFWATCH_DECODE_SECONDS", "5", 1);
    setenv ("OFWATCH_DECODE_MEMORY", "128", 1);
    setenv ("OFWATCH_INGEST_WORKERS", "2", 1);
    assert_true (it_stack_start ("ingest"));
    int rc = -1;
    for (int attempt = 0; attempt < 60 && rc != 0; attempt++) {
        char *output = it_cli ("health --service ingest", &rc);
        free (output);
        if (rc != 0)
            zclock_sleep (500);
    }
    assert_int_equal (rc, 0);
}

//  Sends a bomb, then a normal submission from another key, which must
//  be answered first; then the bomb's refusal, which must say `why`.
static void
bomb_while_others_are_served (const char *name, const char *pattern, const char *why)
{
    size_t size = 0;
    uint8_t *pdf = bomb_pdf (pattern, 2ull << 30, &size);
    printf ("    %s: %zu bytes, inflating to 2 GiB\n", name, size);
    char *admin = it_key_path ("local-admin"), *second = it_key_path ("second");
    ow_client_t *bomber = it_client_as ("ingest", admin);
    assert_true (it_send_bytes (bomber, pdf, size, name));
    zclock_sleep (300);

    ow_client_t *client = it_client_as ("ingest", second);
    Ofwatch__V1__Reply *reply = it_submit_with (client,
        "st-helens-2020-09-23-cabinet-monitoring-report.txt", NULL);
    assert_true (it_stored (&reply));
    ow_client_destroy (&client);

    char *error = NULL;
    reply = ow_client_receive (bomber, 120000, &error);
    assert_non_null (reply);
    assert_int_equal (it_error_code (reply), REJECTED);
    printf ("    %s\n", reply->error->message);
    assert_non_null (strstr (reply->error->message, name));
    assert_non_null (strstr (reply->error->message, why));
    ow_pb_free (&reply);
    ow_client_destroy (&bomber);
    free (pdf);
    free (admin);
    free (second);
}

static void
test_decompression_bombs_cost_one_worker_each (void **state)
{
    restart_ingest_with_tight_limits ();
    //  Gigabytes of white space: processor time.
    bomb_while_others_are_served ("spaces-bomb.pdf", "    ", "processor time");
    //  Gigabytes of text to show: memory, which is not limited under
    //  AddressSanitizer (its shadow memory reserves terabytes).
    if (SANITIZED)
        printf ("    skipping the memory bomb: address space is not limited under "
                "AddressSanitizer\n");
    else
        bomb_while_others_are_served ("text-bomb.pdf",
            "BT /F1 9 Tf 9 9 Td (ofwatch ofwatch ofwatch ofwatch) Tj ET\n", "128 MiB of memory");
    assert_healthy ();
}

//  The pids of ingest's workers: its children.
static size_t
worker_pids (pid_t *pids, size_t max)
{
    pid_t ingest = it_stack_pid ("ingest");
    size_t count = 0;
    DIR *proc = opendir ("/proc");
    struct dirent *entry;
    while (proc && count < max && (entry = readdir (proc)) != NULL) {
        int pid = atoi (entry->d_name), parent = 0;
        char *stat_path = ow_printf ("/proc/%d/stat", pid);
        FILE *file = pid > 0 ? fopen (stat_path, "r") : NULL;
        free (stat_path);
        char line [512];
        if (file && fgets (line, sizeof line, file)) {
            //  pid (comm) state ppid ...; comm may hold spaces.
            const char *after = strrchr (line, ')');
            if (after && sscanf (after + 1, " %*c %d", &parent) == 1 && parent == ingest)
                pids [count++] = pid;
        }
        if (file)
            fclose (file);
    }
    if (proc)
        closedir (proc);
    return count;
}

static void
test_a_killed_worker_is_replaced (void **state)
{
    pid_t pids [16];
    size_t count = worker_pids (pids, 16);
    assert_true (count >= 1);
    size_t restarts = it_log_lines_with ("ingest", "a worker stopped; starting another");
    assert_int_equal (kill (pids [0], SIGKILL), 0);
    zclock_sleep (500);
    assert_int_equal (it_log_lines_with ("ingest", "a worker stopped; starting another"), restarts + 1);
    pid_t after [16];
    assert_int_equal (worker_pids (after, 16), count);

    char *second = it_key_path ("second");
    ow_client_t *client = it_client_as ("ingest", second);
    for (int i = 0; i < 2; i++) {
        Ofwatch__V1__Reply *reply = it_submit_with (client,
            "herefordshire-2022-scrutiny-minutes-ilacs.txt", NULL);
        assert_true (it_stored (&reply));
    }
    ow_client_destroy (&client);
    free (second);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_each_kind_of_bad_frame_gets_a_clear_answer),
        cmocka_unit_test (test_random_and_mutated_frames_leave_everything_serving),
        cmocka_unit_test (test_random_subscriptions_and_raw_garbage_leave_everything_serving),
        cmocka_unit_test (test_a_200_mib_message_is_refused_while_others_are_served),
        cmocka_unit_test (test_a_replay_after_the_largest_seq_is_an_empty_page),
        cmocka_unit_test (test_a_document_over_the_size_limit_is_refused),
        cmocka_unit_test (test_a_60_mib_text_document_is_stored_whole),
        cmocka_unit_test (test_webhooks_may_not_point_inwards_or_carry_credentials),
        cmocka_unit_test (test_a_mixed_feed_is_refused_naming_the_authority_it_may_not_speak_for),
        cmocka_unit_test (test_an_unknown_declared_authority_is_refused_saying_so),
        cmocka_unit_test (test_pages_forbid_scripts_and_sniffing),
        cmocka_unit_test (test_decompression_bombs_cost_one_worker_each),
        cmocka_unit_test (test_a_killed_worker_is_replaced),
    };
    zsys_init ();
    zsys_set_logstream (NULL);
    return cmocka_run_group_tests (tests, setup, teardown);
}
