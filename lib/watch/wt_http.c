/*  wt_http — polite HTTP to Ofsted's site; see wt_http.h.  */

#include "wt_http.h"
#include "wt_robots.h"
#include "ow_log.h"
#include "ow_pb.h"

#include <curl/curl.h>
#include <ctype.h>
#include <inttypes.h>
#include <time.h>

#define MAX_REDIRECTS       5
#define MAX_ROBOTS_BYTES    (512u * 1024)

struct _wt_http_t {
    const wt_settings_t *settings;
    wt_stop_t *stop;
    ow_metrics_t *metrics;
    CURL *easy;
    zhashx_t *robots;               // origin -> wt_robots_t, for this pass
    zhashx_t *origin_problems;      // origin -> why its robots.txt could not be read
    int64_t last_end;               // wt_stop_clock_us () when the last request ended; 0: none
    size_t requests;
    uint64_t bytes;
    char detail [CURL_ERROR_SIZE];
};

//  What one transfer is writing into.
typedef struct {
    uint8_t *data;
    size_t size, capacity, max;
    bool too_large;
} buffer_t;

static void
robots_free (void **item)
{
    wt_robots_destroy ((wt_robots_t **) item);
}

wt_http_t *
wt_http_new (const wt_settings_t *settings, wt_stop_t *stop, ow_metrics_t *metrics)
{
    assert (settings && stop);
    wt_http_t *self = ow_calloc (1, sizeof (wt_http_t));
    self->settings = settings;
    self->stop = stop;
    self->metrics = metrics;
    self->easy = curl_easy_init ();
    assert (self->easy);
    self->robots = zhashx_new ();
    zhashx_set_destructor (self->robots, robots_free);
    self->origin_problems = zhashx_new ();
    zhashx_set_destructor (self->origin_problems, (zhashx_destructor_fn *) zstr_free);
    zhashx_set_duplicator (self->origin_problems, (zhashx_duplicator_fn *) strdup);
    return self;
}

void
wt_http_destroy (wt_http_t **self_p)
{
    wt_http_t *self = *self_p;
    if (!self)
        return;
    curl_easy_cleanup (self->easy);
    zhashx_destroy (&self->robots);
    zhashx_destroy (&self->origin_problems);
    free (self);
    *self_p = NULL;
}

void
wt_http_begin (wt_http_t *self)
{
    zhashx_purge (self->robots);
    zhashx_purge (self->origin_problems);
    self->requests = 0;
    self->bytes = 0;
}

void
wt_response_free (wt_response_t *response)
{
    free (response->body);
    free (response->etag);
    free (response->last_modified);
    free (response->content_type);
    free (response->error);
    memset (response, 0, sizeof *response);
}

size_t
wt_http_requests (const wt_http_t *self)
{
    return self->requests;
}

uint64_t
wt_http_bytes (const wt_http_t *self)
{
    return self->bytes;
}

int64_t
wt_http_retry_after (const char *value, int64_t now)
{
    while (value && isspace ((unsigned char) *value))
        value++;
    if (!value || !*value)
        return -1;
    if (isdigit ((unsigned char) *value)) {
        char *end = NULL;
        long long seconds = strtoll (value, &end, 10);
        while (isspace ((unsigned char) *end))
            end++;
        return *end ? -1 : seconds;
    }
    time_t when = curl_getdate (value, NULL);
    if (when == -1)
        return -1;
    return when > now ? (int64_t) when - now : 0;
}

//  ---------------------------------------------------------------------------
//  One request

static size_t
on_data (char *data, size_t size, size_t count, void *argument)
{
    buffer_t *buffer = argument;
    size_t length = size * count;
    if (buffer->size + length > buffer->max) {
        buffer->too_large = true;
        return 0;                   // libcurl ends the transfer
    }
    if (buffer->size + length + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 64 * 1024;
        while (capacity < buffer->size + length + 1)
            capacity *= 2;
        buffer->data = realloc (buffer->data, capacity);
        if (!buffer->data)
            abort ();
        buffer->capacity = capacity;
    }
    memcpy (buffer->data + buffer->size, data, length);
    buffer->size += length;
    buffer->data [buffer->size] = 0;
    return length;
}

//  libcurl asks while a transfer runs: a stop request ends it.
static int
on_progress (void *argument, curl_off_t total, curl_off_t now, curl_off_t up_total,
             curl_off_t up_now)
{
    return wt_stop_requested (argument) ? 1 : 0;
}

//  "scheme://host[:port]" of an absolute URL, and its path and query for
//  robots.txt (each caller frees); false when the URL cannot be parsed.
static bool
split_url (const char *url, char **origin, char **path)
{
    CURLU *parts = curl_url ();
    char *scheme = NULL, *host = NULL, *port = NULL, *route = NULL, *query = NULL;
    bool ok = curl_url_set (parts, CURLUPART_URL, url, 0) == CURLUE_OK
           && curl_url_get (parts, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK
           && curl_url_get (parts, CURLUPART_HOST, &host, 0) == CURLUE_OK
           && curl_url_get (parts, CURLUPART_PATH, &route, 0) == CURLUE_OK;
    if (ok) {
        curl_url_get (parts, CURLUPART_PORT, &port, 0);         // NULL: the scheme's own
        curl_url_get (parts, CURLUPART_QUERY, &query, 0);
        *origin = port ? ow_printf ("%s://%s:%s", scheme, host, port)
                       : ow_printf ("%s://%s", scheme, host);
        *path = query ? ow_printf ("%s?%s", route, query) : ow_strdup (route);
    }
    curl_free (scheme);
    curl_free (host);
    curl_free (port);
    curl_free (route);
    curl_free (query);
    curl_url_cleanup (parts);
    return ok;
}

//  Waits until the next request may start: 1/rate seconds (or the
//  host's Crawl-delay, when longer) after the last one ended, so that the
//  site never sees two requests closer together than that, however long
//  each took. False when a stop was asked for.
static bool
pace (wt_http_t *self, const char *origin)
{
    if (!self->last_end)
        return !wt_stop_requested (self->stop);
    double gap_s = 1.0 / self->settings->rate;
    wt_robots_t *robots = origin ? zhashx_lookup (self->robots, origin) : NULL;
    if (robots && wt_robots_crawl_delay (robots) > gap_s)
        gap_s = wt_robots_crawl_delay (robots);
    return wt_stop_wait_until (self->stop, self->last_end + (int64_t) (gap_s * 1e6 + 0.5));
}

static void
set_options (wt_http_t *self, const char *url, struct curl_slist *headers, buffer_t *buffer)
{
    CURL *easy = self->easy;
    const wt_settings_t *s = self->settings;
    curl_easy_reset (easy);
    curl_easy_setopt (easy, CURLOPT_URL, url);
    curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt (easy, CURLOPT_USERAGENT, s->user_agent);
    curl_easy_setopt (easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, "");     // compressed if the site will
    curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);      // followed here, paced
    curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT, (long) s->connect_timeout_s);
    curl_easy_setopt (easy, CURLOPT_TIMEOUT, (long) s->timeout_s);
    curl_easy_setopt (easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) buffer->max);
    curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);            // threads: no SIGALRM
    curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt (easy, CURLOPT_WRITEDATA, buffer);
    curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt (easy, CURLOPT_XFERINFODATA, self->stop);
    curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, self->detail);
}

static char *
header_value (CURL *easy, const char *name)
{
    struct curl_header *header = NULL;
    if (curl_easy_header (easy, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK)
        return NULL;
    return ow_strdup (header->value);
}

//  One request, no retries: the libcurl result, *status the HTTP status
//  (0 when none came).
static CURLcode
perform (wt_http_t *self, const char *url, const char *etag, const char *last_modified,
         buffer_t *buffer, long *status)
{
    struct curl_slist *headers = NULL;
    char *line = NULL;
    if (etag) {
        line = ow_printf ("If-None-Match: %s", etag);
        headers = curl_slist_append (headers, line);
        free (line);
    }
    if (last_modified) {
        line = ow_printf ("If-Modified-Since: %s", last_modified);
        headers = curl_slist_append (headers, line);
        free (line);
    }
    self->detail [0] = 0;
    set_options (self, url, headers, buffer);
    CURLcode code = curl_easy_perform (self->easy);
    self->last_end = wt_stop_clock_us ();
    *status = 0;
    curl_easy_getinfo (self->easy, CURLINFO_RESPONSE_CODE, status);
    curl_off_t received = 0;
    long header_bytes = 0;
    curl_easy_getinfo (self->easy, CURLINFO_SIZE_DOWNLOAD_T, &received);
    curl_easy_getinfo (self->easy, CURLINFO_HEADER_SIZE, &header_bytes);
    self->requests++;
    self->bytes += (uint64_t) received + (uint64_t) header_bytes;
    char labels [32];
    snprintf (labels, sizeof labels, "status=\"%ld\"", *status);
    ow_metrics_count (self->metrics, "ofwatch_watch_requests_total", labels, 1);
    ow_metrics_count (self->metrics, "ofwatch_watch_bytes_total", NULL,
                      (double) received + header_bytes);
    ow_debug ("requested", "url", url, "status", labels);
    curl_slist_free_all (headers);
    return code;
}

static bool
is_retried_status (long status)
{
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

static bool
is_redirect (long status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static void
fail (wt_response_t *response, wt_http_outcome_t outcome, char *error)
{
    response->outcome = outcome;
    free (response->error);
    response->error = error;
}

//  How long to wait before trying again after `status` (0: no answer):
//  the Retry-After of a 429 or 503, else a backoff doubling per attempt.
static int64_t
retry_wait_ms (wt_http_t *self, long status, int attempt)
{
    if (status == 429 || status == 503) {
        char *value = header_value (self->easy, "Retry-After");
        int64_t seconds = wt_http_retry_after (value, (int64_t) time (NULL));
        free (value);
        if (seconds >= 0)
            return seconds * 1000;
    }
    return (int64_t) self->settings->backoff_ms << (attempt - 1);
}

static wt_robots_t *robots_for (wt_http_t *self, const char *origin, char **problem);

//  GET with retries and redirects; robots.txt is consulted unless this
//  is robots.txt itself.
static void
fetch (wt_http_t *self, const char *url, const char *etag, const char *last_modified,
       size_t max_size, bool check_robots, wt_response_t *response)
{
    const wt_settings_t *s = self->settings;
    char *current = ow_strdup (url);
    int attempt = 1, hops = 0;
    buffer_t buffer = { .max = max_size };
    while (true) {
        char *origin = NULL, *path = NULL;
        if (!split_url (current, &origin, &path)) {
            fail (response, WT_HTTP_FAILED, ow_printf ("%s is not a URL ofwatch can request",
                                                       current));
            break;
        }
        char *problem = NULL;
        wt_robots_t *robots = check_robots ? robots_for (self, origin, &problem) : NULL;
        bool forbidden = robots && !wt_robots_allows (robots, path);
        free (path);
        if (problem || forbidden || !pace (self, origin)) {
            free (origin);
            if (wt_stop_requested (self->stop)) {
                free (problem);
                fail (response, WT_HTTP_STOPPED, ow_printf ("stopped before requesting %s",
                                                            current));
            }
            else
            if (problem)
                fail (response, WT_HTTP_UNREACHABLE, problem);
            else
                fail (response, WT_HTTP_FORBIDDEN,
                      ow_printf ("robots.txt of the site forbids %s", current));
            break;
        }
        free (origin);
        buffer.size = 0;
        buffer.too_large = false;
        long status = 0;
        CURLcode code = perform (self, current, etag, last_modified, &buffer, &status);
        response->status = status;
        if (code == CURLE_ABORTED_BY_CALLBACK || wt_stop_requested (self->stop)) {
            fail (response, WT_HTTP_STOPPED, ow_printf ("stopped while requesting %s", current));
            break;
        }
        if (buffer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
            fail (response, WT_HTTP_TOO_LARGE,
                  ow_printf ("%s is larger than the %zu MiB ofwatch takes", current,
                             max_size >> 20));
            break;
        }
        if (code == CURLE_OK && status == 200) {
            response->outcome = WT_HTTP_OK;
            response->body = buffer.data;
            response->size = buffer.size;
            buffer.data = NULL;
            if (!response->body)
                response->body = ow_calloc (1, 1);
            response->etag = header_value (self->easy, "ETag");
            response->last_modified = header_value (self->easy, "Last-Modified");
            response->content_type = header_value (self->easy, "Content-Type");
            break;
        }
        if (code == CURLE_OK && status == 304 && (etag || last_modified)) {
            response->outcome = WT_HTTP_NOT_MODIFIED;
            break;
        }
        if (code == CURLE_OK && is_redirect (status)) {
            char *location = NULL;
            curl_easy_getinfo (self->easy, CURLINFO_REDIRECT_URL, &location);
            if (location && hops < MAX_REDIRECTS) {
                free (current);
                current = ow_strdup (location);
                hops++;
                continue;
            }
            fail (response, WT_HTTP_FAILED,
                  ow_printf ("%s redirects more than %d times or nowhere", url, MAX_REDIRECTS));
            break;
        }
        bool retried = code != CURLE_OK || is_retried_status (status);
        char *why = code != CURLE_OK
                  ? ow_printf ("%s", *self->detail ? self->detail : curl_easy_strerror (code))
                  : ow_printf ("HTTP %ld", status);
        if (!retried || attempt >= s->attempts) {
            fail (response, code != CURLE_OK ? WT_HTTP_UNREACHABLE : WT_HTTP_FAILED,
                  retried ? ow_printf ("%s: %s (%d attempts)", current, why, attempt)
                          : ow_printf ("%s: %s", current, why));
            free (why);
            break;
        }
        int64_t wait_ms = retry_wait_ms (self, status, attempt);
        if (wait_ms > (int64_t) s->retry_after_max_s * 1000) {
            fail (response, WT_HTTP_FAILED,
                  ow_printf ("%s: %s, and the wait asked for (%" PRId64 " s) is longer than "
                             "OFWATCH_WATCH_RETRY_AFTER_MAX (%d s)", current, why,
                             wait_ms / 1000, s->retry_after_max_s));
            free (why);
            break;
        }
        char waiting [32];
        snprintf (waiting, sizeof waiting, "%" PRId64, wait_ms);
        ow_info ("waiting before asking again", "url", current, "answer", why,
                 "wait_ms", waiting);
        free (why);
        //  The wait counts from the answer, like the pace: the next
        //  request starts no sooner than asked.
        if (!wt_stop_wait_until (self->stop, self->last_end + wait_ms * 1000)) {
            fail (response, WT_HTTP_STOPPED, ow_printf ("stopped while waiting to retry %s",
                                                        current));
            break;
        }
        attempt++;
    }
    free (buffer.data);
    free (current);
}

//  The robots.txt rules of an origin, fetched once per wt_http_t. NULL
//  with *problem when the site could not say (no answer, 5xx): RFC 9309
//  treats that as "everything disallowed", and nothing more is asked of
//  that host until a later pass.
static wt_robots_t *
robots_for (wt_http_t *self, const char *origin, char **problem)
{
    wt_robots_t *robots = zhashx_lookup (self->robots, origin);
    if (robots)
        return robots;
    const char *known = zhashx_lookup (self->origin_problems, origin);
    if (known) {
        *problem = ow_strdup (known);
        return NULL;
    }
    char *url = ow_printf ("%s/robots.txt", origin);
    wt_response_t response = { 0 };
    fetch (self, url, NULL, NULL, MAX_ROBOTS_BYTES, false, &response);
    if (response.outcome == WT_HTTP_OK)
        robots = wt_robots_parse ((const char *) response.body, response.size,
                                  WT_AGENT_TOKEN);
    else
    if (response.outcome == WT_HTTP_FAILED && response.status >= 400 && response.status < 500)
        robots = wt_robots_allow_all ();
    if (robots)
        zhashx_insert (self->robots, origin, robots);
    else
    if (response.outcome == WT_HTTP_STOPPED)
        *problem = ow_strdup (response.error);
    else {
        *problem = ow_printf ("%s, so nothing on %s is requested", response.error, origin);
        zhashx_insert (self->origin_problems, origin, *problem);
    }
    wt_response_free (&response);
    free (url);
    return robots;
}

void
wt_http_get (wt_http_t *self, const char *url, const char *etag, const char *last_modified,
             size_t max_size, wt_response_t *response)
{
    memset (response, 0, sizeof *response);
    fetch (self, url, etag, last_modified, max_size, true, response);
}
