/*  http — analytics' pages and JSON, read-only, over HTTP.

    libmicrohttpd answers on its own thread; each request becomes the same
    Request the ROUTER would get and is answered by analytics_answer, so
    the pages, the /api/ JSON and the CLI show the same data. Routes (GET):

        /                          index: every authority, by region
        /national                  England's report (HTML)
        /authority/AUTHORITY       an authority's report (HTML)
        /api/authority/AUTHORITY   its history and state (JSON)
        /api/benchmark/AUTHORITY   its benchmark (JSON)
        /api/themes[?authority=A&since=YYYY-MM-DD]
        /api/national
        /api/summary
        /metrics                   Prometheus metrics (ow_metrics)

    AUTHORITY is anything the register knows (ONS code, DfE code, URN,
    name). Under /api/ every answer is JSON, errors included ({"code",
    "message"}); elsewhere errors are pages.

    No client can shut the others out: libmicrohttpd polls with epoll on
    a pool of threads, holds at most OFWATCH_HTTP_CONNECTIONS connections
    in all and OFWATCH_HTTP_PER_CLIENT from one address (further ones are
    closed as they come), and drops a connection that has been silent for
    OFWATCH_HTTP_TIMEOUT seconds, so half-sent requests cannot pile up.
    Its messages go through the project's JSON log, at most one line per
    ten seconds for each kind. Every answer carries a Content-Security-
    Policy allowing nothing but the page's own inline styles and images
    (the pages have no scripts), X-Content-Type-Options: nosniff, and no
    referrer or framing.
*/

#include "analytics.h"
#include "render.h"
#include "ow_log.h"
#include "ow_throttle.h"
#include "ow_pbjson.h"
#include "ow_vocab.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <sys/resource.h>

#define LOG_MS              10000
#define THREADS             2

//  What every answer says about itself: no scripts, no other origin, no
//  sniffing, no referrer, no framing.
static const char *const s_security_headers [][2] = {
    { "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                                 "img-src data:; base-uri 'none'; form-action 'none'; "
                                 "frame-ancestors 'none'" },
    { "X-Content-Type-Options", "nosniff" },
    { "Referrer-Policy", "no-referrer" },
    { "X-Frame-Options", "DENY" },
};

struct _analytics_http_t {
    analytics_t *analytics;
    struct MHD_Daemon *daemon;
    pthread_mutex_t lock;           // the log's throttle: MHD has several threads
    ow_throttle_t *logged;
};

typedef enum { AS_JSON, AS_PAGE, AS_INDEX } form_t;

static enum MHD_Result
respond (struct MHD_Connection *connection, unsigned status, const char *type, char *body)
{
    struct MHD_Response *response = MHD_create_response_from_buffer (strlen (body), body,
                                                                     MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header (response, "Content-Type", type);
    MHD_add_response_header (response, "Cache-Control", "no-store");
    for (size_t i = 0; i < sizeof s_security_headers / sizeof s_security_headers [0]; i++)
        MHD_add_response_header (response, s_security_headers [i][0], s_security_headers [i][1]);
    enum MHD_Result result = MHD_queue_response (connection, status, response);
    MHD_destroy_response (response);
    return result;
}

static unsigned
status_of (const Ofwatch__V1__Error *error)
{
    switch (error->code) {
        case OFWATCH__V1__ERROR__CODE__CODE_NOT_FOUND:   return MHD_HTTP_NOT_FOUND;
        case OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST: return MHD_HTTP_BAD_REQUEST;
        case OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE: return MHD_HTTP_SERVICE_UNAVAILABLE;
        default:                                         return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

//  An error under /api/ as JSON, like the errors of the queries.
static enum MHD_Result
respond_json_error (struct MHD_Connection *connection, unsigned status,
                    Ofwatch__V1__Error__Code code, const char *message)
{
    Ofwatch__V1__Error error = OFWATCH__V1__ERROR__INIT;
    error.code = code;
    error.message = (char *) message;
    return respond (connection, status, "application/json", ow_pbjson_text (&error.base));
}

static char *
error_page (const char *message)
{
    render_page_t page;
    render_begin (&page, "ofwatch");
    fputs ("<h1>Not here</h1><p>", page.out);
    render_escaped (page.out, message);
    fputs ("</p><p><a href=\"/\">Every authority</a></p>", page.out);
    return render_end (&page);
}

//  The reply's body as JSON.
static const ProtobufCMessage *
body_of (const Ofwatch__V1__Reply *reply)
{
    switch (reply->body_case) {
        case OFWATCH__V1__REPLY__BODY_AUTHORITY_HISTORY: return &reply->authority_history->base;
        case OFWATCH__V1__REPLY__BODY_BENCHMARK:         return &reply->benchmark->base;
        case OFWATCH__V1__REPLY__BODY_THEMES:            return &reply->themes->base;
        case OFWATCH__V1__REPLY__BODY_NATIONAL:          return &reply->national->base;
        case OFWATCH__V1__REPLY__BODY_SUMMARY:           return &reply->summary->base;
        case OFWATCH__V1__REPLY__BODY_REPORT:            return &reply->report->base;
        default:                                         return NULL;
    }
}

static enum MHD_Result
answer (analytics_http_t *self, struct MHD_Connection *connection,
        const Ofwatch__V1__Request *request, form_t form)
{
    Ofwatch__V1__Reply *reply = analytics_answer (self->analytics, request);
    enum MHD_Result result;
    if (!reply)
        result = respond (connection, MHD_HTTP_NOT_FOUND, "text/plain", ow_strdup ("not found\n"));
    else if (reply->body_case == OFWATCH__V1__REPLY__BODY_ERROR)
        result = form == AS_JSON
            ? respond (connection, status_of (reply->error), "application/json",
                       ow_pbjson_text (&reply->error->base))
            : respond (connection, status_of (reply->error), "text/html; charset=utf-8",
                       error_page (reply->error->message));
    else if (form == AS_JSON)
        result = respond (connection, MHD_HTTP_OK, "application/json",
                          ow_pbjson_text (body_of (reply)));
    else if (form == AS_INDEX)
        result = respond (connection, MHD_HTTP_OK, "text/html; charset=utf-8",
                          render_index (reply->national));
    else {
        char *html = reply->report->html;
        reply->report->html = NULL;
        result = respond (connection, MHD_HTTP_OK, "text/html; charset=utf-8", html);
    }
    ow_pb_free (&reply);
    return result;
}

static bool
prefixed (const char *url, const char *prefix, const char **rest)
{
    size_t length = strlen (prefix);
    if (strncmp (url, prefix, length) != 0 || !url [length])
        return false;
    *rest = url + length;
    return true;
}

static enum MHD_Result
route (analytics_http_t *self, struct MHD_Connection *connection, const char *url)
{
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    Ofwatch__V1__HistoryQuery history = OFWATCH__V1__HISTORY_QUERY__INIT;
    Ofwatch__V1__BenchmarkQuery benchmark = OFWATCH__V1__BENCHMARK_QUERY__INIT;
    Ofwatch__V1__ThemesQuery themes = OFWATCH__V1__THEMES_QUERY__INIT;
    Ofwatch__V1__NationalQuery national = OFWATCH__V1__NATIONAL_QUERY__INIT;
    Ofwatch__V1__SummaryQuery summary = OFWATCH__V1__SUMMARY_QUERY__INIT;
    Ofwatch__V1__ReportQuery report = OFWATCH__V1__REPORT_QUERY__INIT;
    const char *rest = NULL;
    form_t form = AS_JSON;
    if (strcmp (url, "/") == 0 || strcmp (url, "/api/national") == 0) {
        request.body_case = OFWATCH__V1__REQUEST__BODY_NATIONAL;
        request.national = &national;
        form = url [1] ? AS_JSON : AS_INDEX;
    }
    else if (strcmp (url, "/national") == 0 || prefixed (url, "/authority/", &rest)) {
        request.body_case = OFWATCH__V1__REQUEST__BODY_REPORT;
        request.report = &report;
        report.national = rest == NULL;
        report.authority = (char *) (rest ? rest : "");
        form = AS_PAGE;
    }
    else if (prefixed (url, "/api/authority/", &rest)) {
        request.body_case = OFWATCH__V1__REQUEST__BODY_AUTHORITY_HISTORY;
        request.authority_history = &history;
        history.authority = (char *) rest;
    }
    else if (prefixed (url, "/api/benchmark/", &rest)) {
        request.body_case = OFWATCH__V1__REQUEST__BODY_BENCHMARK;
        request.benchmark = &benchmark;
        benchmark.authority = (char *) rest;
    }
    else if (strcmp (url, "/api/themes") == 0) {
        const char *authority = MHD_lookup_connection_value (connection, MHD_GET_ARGUMENT_KIND,
                                                             "authority");
        const char *since = MHD_lookup_connection_value (connection, MHD_GET_ARGUMENT_KIND,
                                                         "since");
        request.body_case = OFWATCH__V1__REQUEST__BODY_THEMES;
        request.themes = &themes;
        themes.authority = (char *) (authority ? authority : "");
        themes.since = (char *) (since ? since : "");
    }
    else if (strcmp (url, "/api/summary") == 0) {
        request.body_case = OFWATCH__V1__REQUEST__BODY_SUMMARY;
        request.summary = &summary;
    }
    else if (strcmp (url, "/metrics") == 0)
        return respond (connection, MHD_HTTP_OK, "text/plain; version=0.0.4",
                        ow_metrics_text (self->analytics->metrics));
    else if (strncmp (url, "/api/", 5) == 0 || strcmp (url, "/api") == 0)
        return respond_json_error (connection, MHD_HTTP_NOT_FOUND,
                                   OFWATCH__V1__ERROR__CODE__CODE_NOT_FOUND,
                                   "there is nothing at this address of the API");
    else
        return respond (connection, MHD_HTTP_NOT_FOUND, "text/html; charset=utf-8",
                        error_page ("There is no page at this address."));
    return answer (self, connection, &request, form);
}

static enum MHD_Result
on_request (void *context, struct MHD_Connection *connection, const char *url,
            const char *method, const char *version, const char *upload_data,
            size_t *upload_data_size, void **state)
{
    analytics_http_t *self = context;
    if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0) {
        if (strncmp (url, "/api/", 5) == 0)
            return respond_json_error (connection, MHD_HTTP_METHOD_NOT_ALLOWED,
                                       OFWATCH__V1__ERROR__CODE__CODE_BAD_REQUEST,
                                       "the API is read-only: GET only");
        return respond (connection, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
                        ow_strdup ("read-only: GET only\n"));
    }
    ow_metrics_count (self->analytics->metrics, "ofwatch_http_requests_total", NULL, 1);
    return route (self, connection, url);
}

//  libmicrohttpd's messages (a connection refused over a limit, a client
//  that sent garbage), as JSON lines, each kind at most once per LOG_MS.
static void
on_log (void *context, const char *format, va_list arguments)
{
    analytics_http_t *self = context;
    char *message = NULL;
    if (vasprintf (&message, format, arguments) < 0)
        return;
    size_t length = strlen (message);
    while (length && (message [length - 1] == '\n' || message [length - 1] == '.'))
        message [--length] = 0;
    pthread_mutex_lock (&self->lock);
    size_t count = 0;
    bool pass = ow_throttle_pass (self->logged, format, zclock_mono (), &count);
    pthread_mutex_unlock (&self->lock);
    if (pass) {
        char times [24];
        snprintf (times, sizeof times, "%zu", count);
        ow_warn ("the HTTP server says", "detail", message, "times", times);
    }
    free (message);
}

analytics_http_t *
analytics_http_new (analytics_t *analytics, int port)
{
    if (port <= 0)
        return NULL;
    //  Connections cost descriptors: the total stays well inside what the
    //  process may open, leaving room for its sockets and PostgreSQL.
    struct rlimit files = { 0 };
    getrlimit (RLIMIT_NOFILE, &files);
    unsigned room = files.rlim_cur > 256 ? (unsigned) (files.rlim_cur - 128) : 128;
    unsigned total = (unsigned) ow_config_number ("OFWATCH_HTTP_CONNECTIONS", 512, 4, 100000);
    if (total > room)
        total = room;
    unsigned per_client = (unsigned) ow_config_number ("OFWATCH_HTTP_PER_CLIENT", 32, 1, 100000);
    unsigned timeout = (unsigned) ow_config_number ("OFWATCH_HTTP_TIMEOUT", 10, 1, 3600);
    analytics_http_t *self = ow_calloc (1, sizeof *self);
    self->analytics = analytics;
    pthread_mutex_init (&self->lock, NULL);
    self->logged = ow_throttle_new (LOG_MS);
    self->daemon = MHD_start_daemon (MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL
                                     | MHD_USE_ERROR_LOG,
                                     (uint16_t) port, NULL, NULL, on_request, self,
                                     MHD_OPTION_EXTERNAL_LOGGER, on_log, self,
                                     MHD_OPTION_THREAD_POOL_SIZE, (unsigned) THREADS,
                                     MHD_OPTION_CONNECTION_LIMIT, total,
                                     MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_client,
                                     MHD_OPTION_CONNECTION_TIMEOUT, timeout,
                                     MHD_OPTION_END);
    char text [16], limits [64];
    snprintf (text, sizeof text, "%d", port);
    snprintf (limits, sizeof limits, "%u in all, %u a client, %u s silent", total, per_client,
              timeout);
    if (!self->daemon) {
        ow_error ("cannot serve pages over HTTP", "port", text);
        ow_throttle_destroy (&self->logged);
        pthread_mutex_destroy (&self->lock);
        free (self);
        return NULL;
    }
    ow_info ("serving pages over HTTP", "port", text, "connections", limits);
    return self;
}

void
analytics_http_destroy (analytics_http_t **self_p)
{
    analytics_http_t *self = *self_p;
    if (!self)
        return;
    MHD_stop_daemon (self->daemon);
    ow_throttle_destroy (&self->logged);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}
