/*  analytics' HTTP server under a slow-request attack, over real TCP on
    loopback: no one client can shut the others out.

    2,000 connections from one address (127.0.0.2, another loopback
    address, as a hostile client's) each send half a request and then a
    header line every few seconds, never finishing, and are held for 20
    seconds. Meanwhile a client at 127.0.0.1 asks for every page and every
    /api/ answer in turn, again and again: each must come whole, 200 OK,
    within a second. Then: the server held no more of the attacker's
    connections than its per-client limit, analytics' log is still JSON
    lines (libmicrohttpd's own messages included, and those few:
    throttled), every answer carried its Content-Security-Policy and
    X-Content-Type-Options: nosniff, and /api/ answers its errors as JSON.

    Why a second is a meaningful bound on a loaded two-core machine: the
    pages are rendered from memory in tens of milliseconds (measured
    first, unattacked, and printed); what the attack would cost without
    the limits is the whole time it lasts, since every connection the
    server holds or waits on is one the client's request queues behind.
    A page whose unattacked time is already over a quarter of a second
    (a sanitizer build on a busy machine) is allowed four times that.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_analytics.h"
#include "it_http.h"
#include "it_keys.h"
#include "it_stack.h"
#include "it_support.h"
#include "ow_config.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define ATTACKERS       2000
#define HOLD_S          20
#define TRICKLE_MS      4000
#define BOUND_S         1.0
#define PER_CLIENT      32           // analytics' default OFWATCH_HTTP_PER_CLIENT

static int s_port;

static const char *s_pages [] = {
    "/", "/national", "/authority/E06000019", "/authority/Herefordshire",
    "/api/authority/E06000019", "/api/benchmark/E06000019", "/api/themes",
    "/api/themes?authority=E06000019", "/api/national", "/api/summary", "/metrics",
};
#define PAGES (sizeof s_pages / sizeof s_pages [0])

static int
setup (void **state)
{
    it_stack_adopt ();
    //  Room for the attacker's connections in this process.
    struct rlimit files;
    getrlimit (RLIMIT_NOFILE, &files);
    if (files.rlim_cur < ATTACKERS + 256 && files.rlim_max >= ATTACKERS + 256) {
        files.rlim_cur = ATTACKERS + 256;
        setrlimit (RLIMIT_NOFILE, &files);
    }
    s_port = it_free_port ();
    assert_true (s_port > 0);
    assert_true (it_stack_kill ("analytics", SIGTERM));
    char port [16];
    snprintf (port, sizeof port, "%d", s_port);
    setenv ("OFWATCH_HTTP_PORT", port, 1);
    assert_true (it_stack_start ("analytics"));
    //  Something to show: Herefordshire's reports.
    const char *samples [] = { "herefordshire/2018-07-23.pdf", "herefordshire/2022-09-21.pdf" };
    char *admin = it_key_path ("local-admin");
    ow_client_t *ingest = it_client_as ("ingest", admin);
    for (size_t i = 0; i < 2; i++) {
        Ofwatch__V1__Reply *reply = it_submit_with (ingest, samples [i], NULL);
        assert_true (it_stored (&reply));
    }
    ow_client_destroy (&ingest);
    free (admin);
    assert_true (it_analytics_settle (60000));
    curl_global_init (CURL_GLOBAL_DEFAULT);
    return 0;
}

static int
teardown (void **state)
{
    curl_global_cleanup ();
    return it_stack_teardown (state);
}

// ---------------------------------------------------------------------------
//  The honest client

typedef struct {
    long status;
    double seconds;
    size_t size;
    bool csp, nosniff;
    char *content_type;
} fetched_t;

static size_t
count_body (char *data, size_t size, size_t count, void *argument)
{
    *(size_t *) argument += size * count;
    return size * count;
}

static size_t
see_header (char *data, size_t size, size_t count, void *argument)
{
    fetched_t *fetched = argument;
    size_t length = size * count;
    if (length > 24 && strncasecmp (data, "Content-Security-Policy:", 24) == 0
        && memmem (data, length, "default-src 'none'", 18))
        fetched->csp = true;
    if (length > 23 && strncasecmp (data, "X-Content-Type-Options:", 23) == 0
        && memmem (data, length, "nosniff", 7))
        fetched->nosniff = true;
    return length;
}

//  GETs a page from 127.0.0.1 with a fresh connection.
static fetched_t
fetch (const char *page)
{
    fetched_t fetched = { 0 };
    char *url = ow_printf ("http://127.0.0.1:%d%s", s_port, page);
    CURL *curl = curl_easy_init ();
    curl_easy_setopt (curl, CURLOPT_URL, url);
    curl_easy_setopt (curl, CURLOPT_INTERFACE, "host!127.0.0.1");
    curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, count_body);
    curl_easy_setopt (curl, CURLOPT_WRITEDATA, &fetched.size);
    curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, see_header);
    curl_easy_setopt (curl, CURLOPT_HEADERDATA, &fetched);
    curl_easy_setopt (curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt (curl, CURLOPT_FORBID_REUSE, 1L);
    int64_t started = zclock_usecs ();
    CURLcode rc = curl_easy_perform (curl);
    fetched.seconds = (double) (zclock_usecs () - started) / 1e6;
    if (rc == CURLE_OK) {
        curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &fetched.status);
        char *type = NULL;
        curl_easy_getinfo (curl, CURLINFO_CONTENT_TYPE, &type);
        fetched.content_type = ow_strdup (type ? type : "");
    }
    else
        fprintf (stderr, "GET %s: %s\n", page, curl_easy_strerror (rc));
    curl_easy_cleanup (curl);
    free (url);
    return fetched;
}

// ---------------------------------------------------------------------------
//  The attacker: half-sent requests from 127.0.0.2, trickled

static int
open_slow (void)
{
    int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    assert_true (fd >= 0);
    struct sockaddr_in from = { .sin_family = AF_INET };
    inet_pton (AF_INET, "127.0.0.2", &from.sin_addr);
    assert_int_equal (bind (fd, (struct sockaddr *) &from, sizeof from), 0);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) s_port) };
    inet_pton (AF_INET, "127.0.0.1", &to.sin_addr);
    int rc = connect (fd, (struct sockaddr *) &to, sizeof to);
    assert_true (rc == 0 || errno == EINPROGRESS);
    return fd;
}

//  Sends a piece of a request that never ends; false once the server has
//  closed the connection.
static bool
trickle (int fd, bool first)
{
    const char *piece = first ? "GET /national HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              : "X-Slow: still here\r\n";
    char ignored [256];
    ssize_t got = recv (fd, ignored, sizeof ignored, MSG_DONTWAIT);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN))
        return false;
    ssize_t sent = send (fd, piece, strlen (piece), MSG_NOSIGNAL | MSG_DONTWAIT);
    return sent > 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN;
}

// ---------------------------------------------------------------------------

//  Every line of analytics' log is a JSON object (python3's parser).
static bool
log_is_json_lines (void)
{
    char *command = ow_printf ("python3 -c 'import json, sys\n"
                               "for n, line in enumerate(open(sys.argv[1]), 1):\n"
                               "    assert isinstance(json.loads(line), dict), n' "
                               "'%s/analytics.log'", getenv ("OFWATCH_TEST_LOG"));
    int status = system (command);
    free (command);
    return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
test_slow_connections_from_one_address_shut_out_no_one (void **state)
{
    //  Unattacked first: each page's time, and its bound.
    double bound [PAGES];
    for (size_t i = 0; i < PAGES; i++) {
        fetched_t quiet = fetch (s_pages [i]);
        assert_int_equal (quiet.status, 200);
        bound [i] = quiet.seconds > BOUND_S / 4 ? 4 * quiet.seconds : BOUND_S;
        printf ("    unattacked %-34s %6.1f ms (bound %.2f s)\n", s_pages [i],
                quiet.seconds * 1000, bound [i]);
        free (quiet.content_type);
    }

    int *slow = ow_calloc (ATTACKERS, sizeof (int));
    for (size_t i = 0; i < ATTACKERS; i++)
        slow [i] = open_slow ();
    for (size_t i = 0; i < ATTACKERS; i++)
        trickle (slow [i], true);

    int64_t until = zclock_mono () + HOLD_S * 1000;
    int64_t next_trickle = zclock_mono () + TRICKLE_MS;
    size_t answered = 0;
    double slowest = 0;
    while (zclock_mono () < until) {
        for (size_t i = 0; i < PAGES && zclock_mono () < until; i++) {
            fetched_t page = fetch (s_pages [i]);
            if (page.status != 200 || page.seconds > bound [i])
                fprintf (stderr, "%s: status %ld after %.3f s\n", s_pages [i], page.status,
                         page.seconds);
            assert_int_equal (page.status, 200);
            assert_true (page.size > 0);
            assert_true (page.seconds <= bound [i]);
            assert_true (page.csp && page.nosniff);
            slowest = page.seconds > slowest ? page.seconds : slowest;
            answered++;
            free (page.content_type);
        }
        if (zclock_mono () >= next_trickle) {
            for (size_t i = 0; i < ATTACKERS; i++)
                if (slow [i] >= 0 && !trickle (slow [i], false)) {
                    close (slow [i]);
                    slow [i] = -1;
                }
            next_trickle += TRICKLE_MS;
        }
        zclock_sleep (20);
    }
    size_t held = 0;
    for (size_t i = 0; i < ATTACKERS; i++)
        if (slow [i] >= 0 && trickle (slow [i], false))
            held++;
    printf ("    %zu pages answered in %d s of attack, the slowest in %.1f ms; %zu of %d slow "
            "connections still held\n", answered, HOLD_S, slowest * 1000, held, ATTACKERS);
    assert_true (held <= PER_CLIENT);
    for (size_t i = 0; i < ATTACKERS; i++)
        if (slow [i] >= 0)
            close (slow [i]);
    free (slow);

    //  The server said so in JSON lines, a few of them.
    size_t said = it_log_lines_with ("analytics", "the HTTP server says");
    printf ("    analytics logged %zu lines from the HTTP server\n", said);
    assert_true (said >= 1);
    assert_true (said <= 2 * (HOLD_S / 10 + 2) * 4);
    assert_true (log_is_json_lines ());
}

static void
test_api_errors_are_json_and_pages_carry_security_headers (void **state)
{
    const char *wrong [] = { "/api/nothing-here", "/api/authority/Narnia" };
    for (size_t i = 0; i < 2; i++) {
        fetched_t answer = fetch (wrong [i]);
        assert_int_equal (answer.status, 404);
        assert_non_null (strstr (answer.content_type, "application/json"));
        assert_true (answer.csp && answer.nosniff);
        free (answer.content_type);
    }
    long status = 0;
    char *url = ow_printf ("http://127.0.0.1:%d/api/nothing-here", s_port);
    char *body = it_http (url, NULL, 10, &status);
    assert_non_null (body);
    assert_non_null (strstr (body, "\"code\""));
    assert_non_null (strstr (body, "\"message\""));
    free (body);
    body = it_http (url, "POST", 10, &status);
    assert_int_equal (status, 405);
    assert_non_null (strstr (body, "read-only"));
    assert_int_equal (body [0], '{');
    free (body);
    free (url);
    fetched_t page = fetch ("/no/such/page");
    assert_int_equal (page.status, 404);
    assert_non_null (strstr (page.content_type, "text/html"));
    assert_true (page.csp && page.nosniff);
    free (page.content_type);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_slow_connections_from_one_address_shut_out_no_one),
        cmocka_unit_test (test_api_errors_are_json_and_pages_carry_security_headers),
    };
    zsys_init ();
    zsys_set_logstream (NULL);
    return cmocka_run_group_tests (tests, setup, teardown);
}
