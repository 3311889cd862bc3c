/*  test_watch_http — the watch's manners with a real HTTP server on
    loopback (libmicrohttpd, in this process): robots.txt first and
    obeyed, one request at a time at the set pace, Retry-After (seconds
    and dates) and backoff, attempts that give up, conditional requests,
    size limits, timeouts, redirects, and a stop that cuts a wait short.
*/

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <czmq.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <pthread.h>

#include "ow_config.h"
#include "ow_log.h"
#include "ow_pb.h"
#include "wt_http.h"

#define RATE        20          // requests a second: 50 ms apart
#define BACKOFF_MS  50
#define LIMIT       4096        // bytes an answer may have

typedef struct {
    char *path;
    char *if_none_match;
    char *user_agent;
    int64_t start_us, end_us;
} request_t;

static struct {
    struct MHD_Daemon *daemon;
    uint16_t port;
    char base [64];
    pthread_mutex_t lock;
    request_t requests [256];
    size_t count;
    int robots_status;          // 200 with s_robots_text, or this status
    int busy_left;              // /busy answers 503 while > 0
    int limited_left;           // /limited answers 429 while > 0
} s_server;

static const char *s_robots_text = "User-agent: *\nDisallow: /private\nDisallow: /admin\n";

static ssize_t
endless (void *cls, uint64_t position, char *buffer, size_t max)
{
    memset (buffer, 'x', max);
    return (ssize_t) max;
}

static void
http_date_in (int seconds, char *text, size_t size)
{
    time_t when = time (NULL) + seconds;
    struct tm tm;
    gmtime_r (&when, &tm);
    strftime (text, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static enum MHD_Result
respond (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
         const char *version, const char *data, size_t *size, void **state)
{
    const char *etag_asked = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                          "If-None-Match");
    const char *agent = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                     "User-Agent");
    pthread_mutex_lock (&s_server.lock);
    size_t index = s_server.count < 256 ? s_server.count++ : 255;
    s_server.requests [index] = (request_t) {
        .path = ow_strdup (url), .if_none_match = ow_strdup (etag_asked ? etag_asked : ""),
        .user_agent = ow_strdup (agent ? agent : ""), .start_us = wt_stop_clock_us (),
    };
    *state = (void *) (uintptr_t) (index + 1);
    int status = 200;
    const char *body = "hello";
    char header [64] = "";
    const char *header_name = NULL;
    struct MHD_Response *response = NULL;
    if (streq (url, "/robots.txt")) {
        status = s_server.robots_status;
        body = status == 200 ? s_robots_text : "no";
    }
    else
    if (streq (url, "/page")) {
        if (etag_asked && streq (etag_asked, "\"v1\"")) {
            status = 304;
            body = "";
        }
        header_name = "ETag";
        strcpy (header, "\"v1\"");
    }
    else
    if (streq (url, "/busy") && s_server.busy_left-- > 0) {
        status = 503;
        header_name = "Retry-After";
        strcpy (header, "1");
    }
    else
    if (streq (url, "/limited") && s_server.limited_left-- > 0) {
        status = 429;
        header_name = "Retry-After";
        http_date_in (2, header, sizeof header);
    }
    else
    if (streq (url, "/flaky"))
        status = 500;
    else
    if (streq (url, "/gone"))
        status = 404;
    else
    if (streq (url, "/too-long-a-wait")) {
        status = 503;
        header_name = "Retry-After";
        strcpy (header, "100000");
    }
    else
    if (streq (url, "/big"))
        response = MHD_create_response_from_callback (LIMIT * 4, 1024, endless, NULL, NULL);
    else
    if (streq (url, "/endless"))
        response = MHD_create_response_from_callback (MHD_SIZE_UNKNOWN, 1024, endless, NULL,
                                                      NULL);
    else
    if (streq (url, "/redirect") || streq (url, "/to-private") || streq (url, "/loop")) {
        status = 302;
        header_name = "Location";
        strcpy (header, streq (url, "/redirect") ? "/page" : streq (url, "/loop") ? "/loop"
                                                                                  : "/private");
    }
    pthread_mutex_unlock (&s_server.lock);
    if (streq (url, "/slow"))
        zclock_sleep (2500);
    if (!response)
        response = MHD_create_response_from_buffer (strlen (body), (void *) body,
                                                    MHD_RESPMEM_MUST_COPY);
    if (header_name)
        MHD_add_response_header (response, header_name, header);
    bool whole = status != 200 || (!streq (url, "/big") && !streq (url, "/endless"));
    enum MHD_Result result = MHD_queue_response (connection, (unsigned) status, response);
    MHD_destroy_response (response);
    //  An answer in hand is over for the server once queued: the client
    //  cannot have read its last byte before then. (libmicrohttpd may tell
    //  of the end of a kept-alive request only when the next one comes.)
    if (whole) {
        pthread_mutex_lock (&s_server.lock);
        s_server.requests [index].end_us = wt_stop_clock_us ();
        pthread_mutex_unlock (&s_server.lock);
    }
    return result;
}

static void
completed (void *cls, struct MHD_Connection *connection, void **state,
           enum MHD_RequestTerminationCode code)
{
    if (!*state)
        return;
    pthread_mutex_lock (&s_server.lock);
    request_t *request = &s_server.requests [(uintptr_t) *state - 1];
    if (!request->end_us)
        request->end_us = wt_stop_clock_us ();
    pthread_mutex_unlock (&s_server.lock);
}

//  A copy of the log, so that a failed assertion never leaves the lock
//  held. Free with free_copy.
static request_t *
log_copy (size_t *count)
{
    pthread_mutex_lock (&s_server.lock);
    request_t *copy = ow_calloc (s_server.count + 1, sizeof (request_t));
    for (size_t i = 0; i < s_server.count; i++) {
        copy [i] = s_server.requests [i];
        copy [i].path = ow_strdup (s_server.requests [i].path);
        copy [i].if_none_match = ow_strdup (s_server.requests [i].if_none_match);
        copy [i].user_agent = ow_strdup (s_server.requests [i].user_agent);
    }
    *count = s_server.count;
    pthread_mutex_unlock (&s_server.lock);
    return copy;
}

static void
free_copy (request_t *copy, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free (copy [i].path);
        free (copy [i].if_none_match);
        free (copy [i].user_agent);
    }
    free (copy);
}

static void
reset_log (void)
{
    pthread_mutex_lock (&s_server.lock);
    for (size_t i = 0; i < s_server.count; i++) {
        free (s_server.requests [i].path);
        free (s_server.requests [i].if_none_match);
        free (s_server.requests [i].user_agent);
    }
    s_server.count = 0;
    s_server.robots_status = 200;
    s_server.busy_left = 1;
    s_server.limited_left = 1;
    pthread_mutex_unlock (&s_server.lock);
}

//  How many requests for path were made.
static size_t
requested (const char *path)
{
    size_t count = 0;
    pthread_mutex_lock (&s_server.lock);
    for (size_t i = 0; i < s_server.count; i++)
        count += streq (s_server.requests [i].path, path);
    pthread_mutex_unlock (&s_server.lock);
    return count;
}

static char *
url_of (const char *path)
{
    return ow_printf ("%s%s", s_server.base, path);
}

//  ---------------------------------------------------------------------------
//  What each test works with

typedef struct {
    ow_config_t config;
    wt_settings_t settings;
    wt_stop_t *stop;
    wt_http_t *http;
    zsock_t *pipe, *control;    // the stop's pipe, as an actor's, and its other end
} fixture_t;

static int
setup (void **state)
{
    reset_log ();
    fixture_t *f = ow_calloc (1, sizeof (fixture_t));
    ow_config_load (&f->config);
    wt_settings_load (&f->settings, &f->config);
    f->control = zsys_create_pipe (&f->pipe);
    zsock_set_sndtimeo (f->control, 1000);
    f->stop = wt_stop_new (f->pipe);
    f->http = wt_http_new (&f->settings, f->stop, NULL);
    wt_http_begin (f->http);
    *state = f;
    return 0;
}

static int
teardown (void **state)
{
    fixture_t *f = *state;
    wt_http_destroy (&f->http);
    wt_stop_destroy (&f->stop);
    zsock_destroy (&f->pipe);
    zsock_destroy (&f->control);
    free (f);
    return 0;
}

static wt_http_outcome_t
get (fixture_t *f, const char *path, const char *etag, wt_response_t *response)
{
    char *url = url_of (path);
    wt_http_get (f->http, url, etag, NULL, LIMIT, response);
    free (url);
    return response->outcome;
}

//  ---------------------------------------------------------------------------

static void
test_robots_first_then_conditional (void **state)
{
    fixture_t *f = *state;
    wt_response_t response;
    assert_int_equal (get (f, "/page", NULL, &response), WT_HTTP_OK);
    assert_int_equal (response.size, 5);
    assert_memory_equal (response.body, "hello", 5);
    assert_string_equal (response.etag, "\"v1\"");
    char *etag = ow_strdup (response.etag);
    wt_response_free (&response);
    assert_int_equal (get (f, "/page", etag, &response), WT_HTTP_NOT_MODIFIED);
    assert_null (response.body);
    wt_response_free (&response);
    free (etag);

    size_t count = 0;
    request_t *log = log_copy (&count);
    assert_int_equal (count, 3);
    assert_string_equal (log [0].path, "/robots.txt");
    assert_string_equal (log [2].if_none_match, "\"v1\"");
    for (size_t i = 0; i < count; i++) {
        assert_non_null (strstr (log [i].user_agent, "ofwatch"));
        assert_non_null (strstr (log [i].user_agent, "watch-tests@ofwatch.invalid"));
    }
    free_copy (log, count);
    assert_int_equal (wt_http_requests (f->http), 3);
    assert_true (wt_http_bytes (f->http) > 10);
}

static void
test_pace_and_one_at_a_time (void **state)
{
    fixture_t *f = *state;
    for (int i = 0; i < 6; i++) {
        wt_response_t response;
        assert_int_equal (get (f, "/page", NULL, &response), WT_HTTP_OK);
        wt_response_free (&response);
    }
    size_t count = 0;
    request_t *log = log_copy (&count);
    assert_int_equal (count, 7);
    for (size_t i = 1; i < count; i++) {
        //  Each starts only after the last ended, 1/rate later at least.
        int64_t gap = log [i].start_us - log [i - 1].end_us;
        if (gap < 1000000 / RATE)
            fail_msg ("request %zu began %lld us after the last ended", i, (long long) gap);
    }
    free_copy (log, count);
}

static void
test_retry_after_seconds_and_date (void **state)
{
    fixture_t *f = *state;
    wt_response_t response;
    assert_int_equal (get (f, "/busy", NULL, &response), WT_HTTP_OK);
    wt_response_free (&response);
    assert_int_equal (get (f, "/limited", NULL, &response), WT_HTTP_OK);
    wt_response_free (&response);
    size_t count = 0;
    request_t *log = log_copy (&count);
    //  robots, busy (503), busy, limited (429), limited
    assert_int_equal (count, 5);
    int64_t busy_wait = log [2].start_us - log [1].start_us;
    int64_t limited_wait = log [4].start_us - log [3].start_us;
    free_copy (log, count);
    if (busy_wait < 1000000)
        fail_msg ("retried after %lld us; Retry-After asked for 1 s", (long long) busy_wait);
    //  The date was two seconds ahead, to the second.
    if (limited_wait < 1000000)
        fail_msg ("retried after %lld us; Retry-After asked until a date 2 s ahead",
                  (long long) limited_wait);
}

static void
test_backoff_then_give_up (void **state)
{
    fixture_t *f = *state;
    wt_response_t response;
    int64_t started = wt_stop_clock_us ();
    assert_int_equal (get (f, "/flaky", NULL, &response), WT_HTTP_FAILED);
    int64_t took = wt_stop_clock_us () - started;
    assert_int_equal (response.status, 500);
    assert_non_null (strstr (response.error, "HTTP 500 (4 attempts)"));
    assert_non_null (strstr (response.error, "/flaky"));
    wt_response_free (&response);
    assert_int_equal (requested ("/flaky"), 4);
    //  50 + 100 + 200 ms of backoff.
    assert_true (took >= 350 * 1000);

    //  An answer that is not worth retrying is not.
    assert_int_equal (get (f, "/gone", NULL, &response), WT_HTTP_FAILED);
    assert_int_equal (response.status, 404);
    wt_response_free (&response);
    assert_int_equal (requested ("/gone"), 1);

    //  A wait longer than allowed is not waited: the next pass tries.
    assert_int_equal (get (f, "/too-long-a-wait", NULL, &response), WT_HTTP_FAILED);
    assert_non_null (strstr (response.error, "OFWATCH_WATCH_RETRY_AFTER_MAX"));
    wt_response_free (&response);
    assert_int_equal (requested ("/too-long-a-wait"), 1);
}

static void
test_size_limit (void **state)
{
    fixture_t *f = *state;
    wt_response_t response;
    assert_int_equal (get (f, "/big", NULL, &response), WT_HTTP_TOO_LARGE);
    assert_non_null (strstr (response.error, "larger than"));
    assert_null (response.body);
    wt_response_free (&response);
    //  No length announced: cut off once over the limit.
    assert_int_equal (get (f, "/endless", NULL, &response), WT_HTTP_TOO_LARGE);
    wt_response_free (&response);
    assert_int_equal (requested ("/big") + requested ("/endless"), 2);
}

static void
test_timeout (void **state)
{
    fixture_t *f = *state;
    f->settings.timeout_s = 1;
    f->settings.attempts = 2;
    wt_response_t response;
    assert_int_equal (get (f, "/slow", NULL, &response), WT_HTTP_UNREACHABLE);
    assert_non_null (strstr (response.error, "(2 attempts)"));
    wt_response_free (&response);
    assert_int_equal (requested ("/slow"), 2);
}

static void
test_redirects (void **state)
{
    fixture_t *f = *state;
    wt_response_t response;
    assert_int_equal (get (f, "/redirect", NULL, &response), WT_HTTP_OK);
    assert_memory_equal (response.body, "hello", 5);
    wt_response_free (&response);
    //  A redirect to where robots.txt forbids is not followed.
    assert_int_equal (get (f, "/to-private", NULL, &response), WT_HTTP_FORBIDDEN);
    wt_response_free (&response);
    assert_int_equal (requested ("/private"), 0);
    assert_int_equal (get (f, "/loop", NULL, &response), WT_HTTP_FAILED);
    assert_non_null (strstr (response.error, "redirects more than"));
    wt_response_free (&response);
    assert_int_equal (requested ("/loop"), 6);
}

static void
test_robots_forbid_and_fail (void **state)
{
    fixture_t *f = *state;
    wt_response_t response;
    assert_int_equal (get (f, "/admin/x", NULL, &response), WT_HTTP_FORBIDDEN);
    assert_non_null (strstr (response.error, "robots.txt"));
    wt_response_free (&response);
    assert_int_equal (requested ("/admin/x"), 0);

    //  A robots.txt that cannot be read: nothing on the host is asked for
    //  in this pass, robots.txt included, after its own attempts.
    reset_log ();
    s_server.robots_status = 500;
    wt_http_begin (f->http);
    assert_int_equal (get (f, "/page", NULL, &response), WT_HTTP_UNREACHABLE);
    assert_non_null (strstr (response.error, "so nothing on"));
    wt_response_free (&response);
    assert_int_equal (get (f, "/page", NULL, &response), WT_HTTP_UNREACHABLE);
    wt_response_free (&response);
    assert_int_equal (requested ("/robots.txt"), 4);
    assert_int_equal (requested ("/page"), 0);

    //  No robots.txt at all: everything may be read. The next pass reads
    //  it again.
    s_server.robots_status = 404;
    wt_http_begin (f->http);
    assert_int_equal (get (f, "/page", NULL, &response), WT_HTTP_OK);
    wt_response_free (&response);
    assert_int_equal (requested ("/robots.txt"), 5);
}

static void
test_stop_and_unreachable (void **state)
{
    fixture_t *f = *state;
    wt_response_t response;
    //  Ask for the page first so that robots.txt is known, then stop.
    assert_int_equal (get (f, "/page", NULL, &response), WT_HTTP_OK);
    wt_response_free (&response);
    zstr_send (f->control, "$TERM");
    size_t before = s_server.count;
    assert_int_equal (get (f, "/busy", NULL, &response), WT_HTTP_STOPPED);
    wt_response_free (&response);
    assert_int_equal (s_server.count, before);
    assert_true (wt_stop_requested (f->stop));

    //  Nothing listens there.
    fixture_t *g = NULL;
    setup ((void **) &g);
    g->settings.attempts = 2;
    wt_http_get (g->http, "http://127.0.0.1:1/page", NULL, NULL, LIMIT, &response);
    assert_int_equal (response.outcome, WT_HTTP_UNREACHABLE);
    assert_non_null (strstr (response.error, "http://127.0.0.1:1/robots.txt"));
    wt_response_free (&response);
    teardown ((void **) &g);
}

int
main (void)
{
    setenv ("OFWATCH_WATCH_RATE", "20", 1);
    setenv ("OFWATCH_WATCH_BACKOFF_MS", "50", 1);
    setenv ("OFWATCH_WATCH_RETRY_AFTER_MAX", "10", 1);
    setenv ("OFWATCH_WATCH_CONTACT", "watch-tests@ofwatch.invalid", 1);
    ow_log_init ("test_watch_http", "warn");
    zsys_init ();
    zsys_set_logstream (NULL);
    curl_global_init (CURL_GLOBAL_DEFAULT);
    pthread_mutex_init (&s_server.lock, NULL);
    struct sockaddr_in address = { 0 };
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    s_server.daemon = MHD_start_daemon (MHD_USE_THREAD_PER_CONNECTION
                                        | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
                                        respond, NULL,
                                        MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &address,
                                        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                                        MHD_OPTION_END);
    assert_non_null (s_server.daemon);
    s_server.port = MHD_get_daemon_info (s_server.daemon, MHD_DAEMON_INFO_BIND_PORT)->port;
    snprintf (s_server.base, sizeof s_server.base, "http://127.0.0.1:%u", s_server.port);

    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_robots_first_then_conditional, setup, teardown),
        cmocka_unit_test_setup_teardown (test_pace_and_one_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown (test_retry_after_seconds_and_date, setup, teardown),
        cmocka_unit_test_setup_teardown (test_backoff_then_give_up, setup, teardown),
        cmocka_unit_test_setup_teardown (test_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown (test_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown (test_redirects, setup, teardown),
        cmocka_unit_test_setup_teardown (test_robots_forbid_and_fail, setup, teardown),
        cmocka_unit_test_setup_teardown (test_stop_and_unreachable, setup, teardown),
    };
    int failed = cmocka_run_group_tests (tests, NULL, NULL);
    MHD_stop_daemon (s_server.daemon);
    reset_log ();
    curl_global_cleanup ();
    return failed;
}
