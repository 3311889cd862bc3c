/*  it_ofsted — a stand-in for Ofsted's reports site; see it_ofsted.h.

    Each server runs a thread per connection (libmicrohttpd), so two
    requests at once would be seen as such, and a stalled answer holds
    only its own connection. One mutex guards everything the test's
    thread changes and the servers read; a condition variable wakes
    stalled answers when they are released.
*/

#include "it_ofsted.h"
#include "ow_hash.h"
#include "ow_pb.h"
#include "wt_stop.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <czmq.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <time.h>

#define SEARCH_PATH     "/search"
#define PROVIDER_PATH   "/provider/44/"
#define FILE_PATH       "/v1/file/"
//  Written with printf: the URL's own % are doubled.
#define SEARCH_QUERY    "q=&amp;location=&amp;lat=&amp;lon=&amp;radius=&amp;level_1_types=3" \
                        "&amp;level_2_types%%5B%%5D=12"
#define FIRST_FILE      90000001u

typedef struct {
    unsigned number;
    char *url;
    char *urn;
    uint8_t *bytes;
    size_t size;
    char *content_type, *title, *listed_on;
    bool stall;                 // its answers wait halfway
    bool cut;                   // the waiting answer is to end there, unsent
} publication_t;

typedef struct {
    char *urn, *name;
    int status;                 // 0: answers normally
    bool markup_changed;
    time_t modified;
} provider_t;

typedef struct {
    it_ofsted_t *self;
    bool files_host;
    struct MHD_Daemon *daemon;
    uint16_t port;
} host_t;

struct _it_ofsted_t {
    host_t site, files;
    char url [64], files_url [64];
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t rows;
    char *robots [2];           // site, files
    provider_t *providers;
    size_t n_providers;
    publication_t *publications;
    size_t n_publications;
    bool empty_search;
    char *unavailable_prefix;
    int unavailable_count, unavailable_seconds;
    it_request_t *requests;
    size_t n_requests;
    int stalled;                // answers waiting in a stall now
    bool stopping;
};

static void
http_date (time_t when, char *text, size_t size)
{
    static const char *days [] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *months [] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                     "Sep", "Oct", "Nov", "Dec" };
    struct tm tm;
    gmtime_r (&when, &tm);
    snprintf (text, size, "%s, %02d %s %04d %02d:%02d:%02d GMT", days [tm.tm_wday], tm.tm_mday,
              months [tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

//  ---------------------------------------------------------------------------
//  The log

typedef struct {
    char *text;
    size_t length;
} query_t;

static enum MHD_Result
add_argument (void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    query_t *query = cls;
    char *longer = ow_printf ("%s%s%s=%s", query->text, query->length ? "&" : "?", key,
                              value ? value : "");
    free (query->text);
    query->text = longer;
    query->length = strlen (longer);
    return MHD_YES;
}

static const char *
header (struct MHD_Connection *connection, const char *name)
{
    const char *value = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, name);
    return value ? value : "";
}

//  Logs an arrival; returns its index. Called with the lock held.
static size_t
log_arrival (it_ofsted_t *self, host_t *host, struct MHD_Connection *connection,
             const char *url)
{
    query_t query = { ow_strdup (""), 0 };
    MHD_get_connection_values (connection, MHD_GET_ARGUMENT_KIND, add_argument, &query);
    it_request_t request = {
        .files_host = host->files_host,
        .path = ow_printf ("%s%s", url, query.text),
        .if_none_match = ow_strdup (header (connection, "If-None-Match")),
        .if_modified_since = ow_strdup (header (connection, "If-Modified-Since")),
        .user_agent = ow_strdup (header (connection, "User-Agent")),
        .start_us = wt_stop_clock_us (),
    };
    free (query.text);
    self->requests = realloc (self->requests, (self->n_requests + 1) * sizeof (it_request_t));
    assert (self->requests);
    self->requests [self->n_requests] = request;
    return self->n_requests++;
}

//  The last byte of an answer was handed over: the answer is complete.
static void
mark_end (it_ofsted_t *self, size_t index)
{
    pthread_mutex_lock (&self->lock);
    if (index < self->n_requests && !self->requests [index].end_us) {
        self->requests [index].end_us = wt_stop_clock_us ();
        self->requests [index].complete = true;
    }
    pthread_mutex_unlock (&self->lock);
}

//  An answer ended before its last byte (the client went away, or a test
//  cut it off): its end, and it stays incomplete.
static void
completed (void *cls, struct MHD_Connection *connection, void **state,
           enum MHD_RequestTerminationCode code)
{
    host_t *host = cls;
    it_ofsted_t *self = host->self;
    if (!*state)
        return;
    size_t index = (size_t) (uintptr_t) *state - 1;
    pthread_mutex_lock (&self->lock);
    if (index < self->n_requests && !self->requests [index].end_us)
        self->requests [index].end_us = wt_stop_clock_us ();
    pthread_mutex_unlock (&self->lock);
    *state = NULL;
}

//  ---------------------------------------------------------------------------
//  Pages

typedef struct {
    int status;
    char *body;
    size_t size;
    const char *content_type;
    char *etag, *last_modified, *retry_after;
    publication_t *file;        // a file's answer (stalls are read from it)
} answer_t;

static void
set_page (answer_t *answer, int status, char *html)
{
    answer->status = status;
    answer->body = html;
    answer->size = strlen (html);
    answer->content_type = "text/html; charset=utf-8";
}

static char *
escaped (const char *text)
{
    size_t length = 0;
    for (const char *c = text; *c; c++)
        length += *c == '&' ? 5 : *c == '<' || *c == '>' ? 4 : *c == '"' ? 6 : 1;
    char *out = ow_malloc (length + 1), *o = out;
    for (const char *c = text; *c; c++) {
        const char *entity = *c == '&' ? "&amp;" : *c == '<' ? "&lt;" : *c == '>' ? "&gt;"
                           : *c == '"' ? "&quot;" : NULL;
        if (entity)
            o = stpcpy (o, entity);
        else
            *o++ = *c;
    }
    *o = 0;
    return out;
}

static void
append (char **text, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *more = NULL;
    if (vasprintf (&more, format, args) < 0)
        abort ();
    va_end (args);
    char *longer = ow_printf ("%s%s", *text, more);
    free (*text);
    free (more);
    *text = longer;
}

static long
argument (struct MHD_Connection *connection, const char *name, long fallback)
{
    const char *value = MHD_lookup_connection_value (connection, MHD_GET_ARGUMENT_KIND, name);
    return value && *value ? strtol (value, NULL, 10) : fallback;
}

static void
search_page (it_ofsted_t *self, struct MHD_Connection *connection, answer_t *answer)
{
    long start = argument (connection, "start", 0);
    long asked = argument (connection, "rows", 100);
    size_t rows = asked > 0 && (size_t) asked < self->rows ? (size_t) asked : self->rows;
    char *html = ow_strdup ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                            "<title>Find an inspection report - Ofsted</title></head><body>\n"
                            "<main><h1>Search results</h1>\n<ul class=\"results-list\">\n");
    size_t total = self->empty_search ? 0 : self->n_providers;
    size_t from = start > 0 ? (size_t) start : 0;
    for (size_t i = from; i < total && i < from + rows; i++) {
        char *name = escaped (self->providers [i].name);
        append (&html, "<li class=\"search-result\"><h3 class=\"search-result__title\">"
                "<a href=\"/provider/44/%s\">%s</a></h3>\n<p>Local authority children's "
                "services</p><p><a class=\"search-result__link\" href=\"/provider/44/%s\">"
                "View reports</a></p></li>\n", self->providers [i].urn, name,
                self->providers [i].urn);
        free (name);
    }
    append (&html, "</ul>\n<nav><ul class=\"pagination\">");
    if (from > 0)
        append (&html, "<li class=\"previous\"><a href=\"" SEARCH_PATH "?" SEARCH_QUERY
                "&amp;start=%zu&amp;rows=%ld\">Previous</a></li>", from > rows ? from - rows : 0,
                asked);
    if (from + rows < total)
        append (&html, "<li class=\"next\"><a href=\"" SEARCH_PATH "?" SEARCH_QUERY
                "&amp;start=%zu&amp;rows=%ld\">Next</a></li>", from + rows, asked);
    append (&html, "</ul></nav></main></body></html>\n");
    char hash [OW_HASH_HEX_SIZE];
    ow_hash_sha256_hex (html, strlen (html), hash);
    answer->etag = ow_printf ("\"%.16s\"", hash);
    if (streq (header (connection, "If-None-Match"), answer->etag)) {
        free (html);
        set_page (answer, 304, ow_strdup (""));
    }
    else
        set_page (answer, 200, html);
}

static const char *
month_name (int month)
{
    static const char *names [] = { "January", "February", "March", "April", "May", "June",
                                    "July", "August", "September", "October", "November",
                                    "December" };
    return month >= 1 && month <= 12 ? names [month - 1] : "";
}

//  "12 January 2026" from "2026-01-12".
static char *
listed_words (const char *iso)
{
    int year = 0, month = 0, day = 0;
    if (sscanf (iso, "%d-%d-%d", &year, &month, &day) != 3)
        return ow_strdup (iso);
    return ow_printf ("%d %s %d", day, month_name (month), year);
}

static int
newest_first (const void *a, const void *b)
{
    const publication_t *x = *(publication_t *const *) a, *y = *(publication_t *const *) b;
    int order = strcmp (y->listed_on, x->listed_on);
    return order ? order : (int) y->number - (int) x->number;
}

static void
provider_page (it_ofsted_t *self, struct MHD_Connection *connection, const provider_t *provider,
               answer_t *answer)
{
    if (provider->status) {
        set_page (answer, provider->status,
                  ow_printf ("<!DOCTYPE html><html><body><h1>Sorry, there is a problem with "
                             "the service</h1></body></html>\n"));
        return;
    }
    char modified [64];
    http_date (provider->modified, modified, sizeof modified);
    answer->last_modified = ow_strdup (modified);
    const char *since = header (connection, "If-Modified-Since");
    time_t asked = *since ? curl_getdate (since, NULL) : -1;
    if (asked != -1 && asked >= provider->modified) {
        set_page (answer, 304, ow_strdup (""));
        return;
    }
    publication_t **listed = ow_calloc (self->n_publications + 1, sizeof (publication_t *));
    size_t count = 0;
    for (size_t i = 0; i < self->n_publications; i++)
        if (streq (self->publications [i].urn, provider->urn))
            listed [count++] = &self->publications [i];
    qsort (listed, count, sizeof (publication_t *), newest_first);
    char *name = escaped (provider->name);
    char *html = ow_printf ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                            "<title>%s - Ofsted</title></head><body>\n<main><h1>%s</h1>\n"
                            "<p>Local authority children's services</p>\n"
                            "<h2>Reports</h2>\n<ul class=\"%s\">\n", name, name,
                            provider->markup_changed ? "documents" : "publications");
    free (name);
    for (size_t i = 0; i < count; i++) {
        char *title = escaped (listed [i]->title);
        char *date = listed_words (listed [i]->listed_on);
        if (provider->markup_changed)
            append (&html, "<li><a class=\"document-download\" data-href=\"%s\">%s "
                    "<time>%s</time></a></li>\n", listed [i]->url, title, date);
        else
            append (&html, "<li class=\"publication\"><a class=\"publication-link\" "
                    "href=\"%s\"><span class=\"title\">%s</span> <span class=\"nonvisual\">"
                    "%s - %s, pdf</span></a></li>\n", listed [i]->url, title, title, date);
        free (title);
        free (date);
    }
    append (&html, "</ul></main></body></html>\n");
    free (listed);
    set_page (answer, 200, html);
}

static void
route_site (it_ofsted_t *self, struct MHD_Connection *connection, const char *url,
            answer_t *answer)
{
    if (streq (url, SEARCH_PATH)) {
        search_page (self, connection, answer);
        return;
    }
    if (strncmp (url, PROVIDER_PATH, strlen (PROVIDER_PATH)) == 0)
        for (size_t i = 0; i < self->n_providers; i++)
            if (streq (url + strlen (PROVIDER_PATH), self->providers [i].urn)) {
                provider_page (self, connection, &self->providers [i], answer);
                return;
            }
    set_page (answer, 404, ow_strdup ("<!DOCTYPE html><html><body><h1>Page not found</h1>"
                                      "</body></html>\n"));
}

static void
route_files (it_ofsted_t *self, const char *url, answer_t *answer)
{
    if (strncmp (url, FILE_PATH, strlen (FILE_PATH)) == 0) {
        unsigned number = (unsigned) strtoul (url + strlen (FILE_PATH), NULL, 10);
        for (size_t i = 0; i < self->n_publications; i++)
            if (self->publications [i].number == number) {
                answer->status = 200;
                answer->file = &self->publications [i];
                answer->content_type = self->publications [i].content_type;
                return;
            }
    }
    set_page (answer, 404, ow_strdup ("Not found\n"));
    answer->content_type = "text/plain";
}

//  ---------------------------------------------------------------------------
//  Files, which may stall halfway

typedef struct {
    it_ofsted_t *self;
    size_t request;             // its index in the log
    unsigned number;
    uint8_t *bytes;             // a copy: the test may add publications meanwhile
    size_t size;
} reader_t;

static publication_t *
publication_of (it_ofsted_t *self, unsigned number)
{
    for (size_t i = 0; i < self->n_publications; i++)
        if (self->publications [i].number == number)
            return &self->publications [i];
    return NULL;
}

static bool
still_stalled (it_ofsted_t *self, unsigned number)
{
    publication_t *publication = publication_of (self, number);
    return publication && publication->stall && !self->stopping;
}

static ssize_t
read_file (void *cls, uint64_t position, char *buffer, size_t max)
{
    reader_t *reader = cls;
    it_ofsted_t *self = reader->self;
    size_t half = reader->size / 2;
    if (position >= half) {
        bool cut = false;
        pthread_mutex_lock (&self->lock);
        if (still_stalled (self, reader->number)) {
            self->stalled++;
            while (still_stalled (self, reader->number))
                pthread_cond_wait (&self->changed, &self->lock);
            self->stalled--;
            publication_t *publication = publication_of (self, reader->number);
            cut = publication && publication->cut;
            if (cut)
                publication->cut = false;
        }
        pthread_mutex_unlock (&self->lock);
        if (cut)
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t end = position < half ? half : reader->size;
    size_t count = end - (size_t) position < max ? end - (size_t) position : max;
    memcpy (buffer, reader->bytes + position, count);
    if (position + count == reader->size)
        mark_end (self, reader->request);
    return (ssize_t) count;
}

static void
free_reader (void *cls)
{
    reader_t *reader = cls;
    free (reader->bytes);
    free (reader);
}

//  ---------------------------------------------------------------------------
//  Answering

static struct MHD_Response *
response_for (it_ofsted_t *self, answer_t *answer, size_t request)
{
    if (answer->file) {
        reader_t *reader = ow_calloc (1, sizeof (reader_t));
        reader->self = self;
        reader->request = request;
        reader->number = answer->file->number;
        reader->size = answer->file->size;
        reader->bytes = ow_malloc (reader->size + 1);
        memcpy (reader->bytes, answer->file->bytes, reader->size);
        return MHD_create_response_from_callback (reader->size, 16 * 1024, read_file, reader,
                                                  free_reader);
    }
    return MHD_create_response_from_buffer (answer->size, answer->body, MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result
respond (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
         const char *version, const char *data, size_t *size, void **state)
{
    host_t *host = cls;
    it_ofsted_t *self = host->self;
    if (*state)
        return MHD_YES;             // answered at the first call: a GET has no body
    answer_t answer = { 0 };
    pthread_mutex_lock (&self->lock);
    size_t index = log_arrival (self, host, connection, url);
    *state = (void *) (uintptr_t) (index + 1);
    const char *path = self->requests [index].path;
    if (self->unavailable_count > 0 && self->unavailable_prefix
        && strncmp (path, self->unavailable_prefix, strlen (self->unavailable_prefix)) == 0) {
        self->unavailable_count--;
        set_page (&answer, 503, ow_strdup ("<!DOCTYPE html><html><body><h1>Service "
                                           "unavailable</h1></body></html>\n"));
        answer.retry_after = ow_printf ("%d", self->unavailable_seconds);
    }
    else
    if (streq (url, "/robots.txt")) {
        const char *robots = self->robots [host->files_host];
        if (robots && *robots) {
            set_page (&answer, 200, ow_strdup (robots));
            answer.content_type = "text/plain";
        }
        else
            set_page (&answer, 404, ow_strdup ("Not found\n"));
    }
    else
    if (host->files_host)
        route_files (self, url, &answer);
    else
        route_site (self, connection, url, &answer);
    self->requests [index].status = answer.status;
    struct MHD_Response *response = response_for (self, &answer, index);
    pthread_mutex_unlock (&self->lock);

    MHD_add_response_header (response, "Content-Type", answer.content_type);
    if (answer.etag)
        MHD_add_response_header (response, "ETag", answer.etag);
    if (answer.last_modified)
        MHD_add_response_header (response, "Last-Modified", answer.last_modified);
    if (answer.retry_after)
        MHD_add_response_header (response, "Retry-After", answer.retry_after);
    enum MHD_Result result = MHD_queue_response (connection, (unsigned) answer.status, response);
    MHD_destroy_response (response);
    //  An answer in hand is over for the server once queued (a file's, once
    //  its last byte is read out): the client cannot have read its last
    //  byte before then. libmicrohttpd may tell of a kept-alive request's
    //  end only when the next one comes, too late to show the order.
    if (!answer.file)
        mark_end (self, index);
    free (answer.body);
    free (answer.etag);
    free (answer.last_modified);
    free (answer.retry_after);
    return result;
}

static bool
start_host (it_ofsted_t *self, host_t *host, bool files_host)
{
    host->self = self;
    host->files_host = files_host;
    struct sockaddr_in address = { 0 };
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    //  No error log: an answer cut off by a client that went away is
    //  what some tests make happen, and the log records it.
    host->daemon = MHD_start_daemon (MHD_USE_THREAD_PER_CONNECTION
                                     | MHD_USE_INTERNAL_POLLING_THREAD,
                                     0, NULL, NULL, respond, host,
                                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &address,
                                     MHD_OPTION_NOTIFY_COMPLETED, completed, host,
                                     MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
    if (!host->daemon)
        return false;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info (host->daemon,
                                                            MHD_DAEMON_INFO_BIND_PORT);
    host->port = info ? info->port : 0;
    return host->port != 0;
}

it_ofsted_t *
it_ofsted_new (void)
{
    it_ofsted_t *self = ow_calloc (1, sizeof (it_ofsted_t));
    pthread_mutex_init (&self->lock, NULL);
    pthread_cond_init (&self->changed, NULL);
    self->rows = 100;
    if (!start_host (self, &self->site, false) || !start_host (self, &self->files, true)) {
        it_ofsted_destroy (&self);
        return NULL;
    }
    snprintf (self->url, sizeof self->url, "http://127.0.0.1:%u/", self->site.port);
    snprintf (self->files_url, sizeof self->files_url, "http://127.0.0.1:%u", self->files.port);
    return self;
}

void
it_ofsted_destroy (it_ofsted_t **self_p)
{
    it_ofsted_t *self = *self_p;
    if (!self)
        return;
    pthread_mutex_lock (&self->lock);
    self->stopping = true;
    pthread_cond_broadcast (&self->changed);
    pthread_mutex_unlock (&self->lock);
    if (self->site.daemon)
        MHD_stop_daemon (self->site.daemon);
    if (self->files.daemon)
        MHD_stop_daemon (self->files.daemon);
    for (size_t i = 0; i < self->n_providers; i++) {
        free (self->providers [i].urn);
        free (self->providers [i].name);
    }
    free (self->providers);
    for (size_t i = 0; i < self->n_publications; i++) {
        publication_t *p = &self->publications [i];
        free (p->url);
        free (p->urn);
        free (p->bytes);
        free (p->content_type);
        free (p->title);
        free (p->listed_on);
    }
    free (self->publications);
    it_requests_free (&self->requests, self->n_requests);
    free (self->robots [0]);
    free (self->robots [1]);
    free (self->unavailable_prefix);
    pthread_cond_destroy (&self->changed);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

const char *
it_ofsted_url (it_ofsted_t *self)
{
    return self->url;
}

void
it_ofsted_set_rows (it_ofsted_t *self, size_t rows)
{
    pthread_mutex_lock (&self->lock);
    self->rows = rows ? rows : 1;
    pthread_mutex_unlock (&self->lock);
}

void
it_ofsted_set_robots (it_ofsted_t *self, bool files_host, const char *text)
{
    pthread_mutex_lock (&self->lock);
    free (self->robots [files_host]);
    self->robots [files_host] = text ? ow_strdup (text) : NULL;
    pthread_mutex_unlock (&self->lock);
}

static provider_t *
provider_of (it_ofsted_t *self, const char *urn)
{
    for (size_t i = 0; i < self->n_providers; i++)
        if (streq (self->providers [i].urn, urn))
            return &self->providers [i];
    return NULL;
}

void
it_ofsted_add_provider (it_ofsted_t *self, const char *urn, const char *name)
{
    pthread_mutex_lock (&self->lock);
    self->providers = realloc (self->providers, (self->n_providers + 1) * sizeof (provider_t));
    assert (self->providers);
    self->providers [self->n_providers++] = (provider_t) {
        .urn = ow_strdup (urn), .name = ow_strdup (name), .modified = time (NULL) - 60,
    };
    pthread_mutex_unlock (&self->lock);
}

const char *
it_ofsted_add_bytes (it_ofsted_t *self, const char *urn, const void *bytes, size_t size,
                     const char *content_type, const char *title, const char *listed_on)
{
    pthread_mutex_lock (&self->lock);
    provider_t *provider = provider_of (self, urn);
    assert (provider);
    //  The page changed: its Last-Modified moves on, a second at least
    //  (HTTP dates have no finer grain), so a conditional request made
    //  before now is answered in full.
    time_t now = time (NULL);
    provider->modified = now > provider->modified ? now : provider->modified + 1;
    self->publications = realloc (self->publications,
                                  (self->n_publications + 1) * sizeof (publication_t));
    assert (self->publications);
    publication_t *p = &self->publications [self->n_publications];
    p->number = FIRST_FILE + (unsigned) self->n_publications;
    self->n_publications++;
    p->url = ow_printf ("%s" FILE_PATH "%u", self->files_url, p->number);
    p->urn = ow_strdup (urn);
    p->bytes = ow_malloc (size + 1);
    memcpy (p->bytes, bytes, size);
    p->size = size;
    p->content_type = ow_strdup (content_type);
    p->title = ow_strdup (title);
    p->listed_on = ow_strdup (listed_on);
    p->stall = false;
    const char *url = p->url;
    pthread_mutex_unlock (&self->lock);
    return url;
}

const char *
it_ofsted_add_file (it_ofsted_t *self, const char *urn, const char *path, const char *title,
                    const char *listed_on)
{
    zchunk_t *chunk = zchunk_slurp (path, 0);
    if (!chunk)
        return NULL;
    const char *url = it_ofsted_add_bytes (self, urn, zchunk_data (chunk), zchunk_size (chunk),
                                           "application/pdf", title, listed_on);
    zchunk_destroy (&chunk);
    return url;
}

void
it_ofsted_set_empty_search (it_ofsted_t *self, bool empty)
{
    pthread_mutex_lock (&self->lock);
    self->empty_search = empty;
    pthread_mutex_unlock (&self->lock);
}

void
it_ofsted_set_markup_changed (it_ofsted_t *self, const char *urn, bool changed)
{
    pthread_mutex_lock (&self->lock);
    provider_t *provider = provider_of (self, urn);
    assert (provider);
    provider->markup_changed = changed;
    provider->modified = time (NULL);
    pthread_mutex_unlock (&self->lock);
}

void
it_ofsted_set_provider_status (it_ofsted_t *self, const char *urn, int status)
{
    pthread_mutex_lock (&self->lock);
    provider_t *provider = provider_of (self, urn);
    assert (provider);
    provider->status = status;
    pthread_mutex_unlock (&self->lock);
}

void
it_ofsted_unavailable (it_ofsted_t *self, const char *prefix, int count, int seconds)
{
    pthread_mutex_lock (&self->lock);
    free (self->unavailable_prefix);
    self->unavailable_prefix = ow_strdup (prefix);
    self->unavailable_count = count;
    self->unavailable_seconds = seconds;
    pthread_mutex_unlock (&self->lock);
}

void
it_ofsted_stall (it_ofsted_t *self, const char *file_url, bool stall)
{
    pthread_mutex_lock (&self->lock);
    for (size_t i = 0; i < self->n_publications; i++)
        if (streq (self->publications [i].url, file_url))
            self->publications [i].stall = stall;
    pthread_cond_broadcast (&self->changed);
    pthread_mutex_unlock (&self->lock);
}

void
it_ofsted_cut (it_ofsted_t *self, const char *file_url)
{
    pthread_mutex_lock (&self->lock);
    for (size_t i = 0; i < self->n_publications; i++)
        if (streq (self->publications [i].url, file_url) && self->publications [i].stall) {
            self->publications [i].stall = false;
            self->publications [i].cut = true;
        }
    pthread_cond_broadcast (&self->changed);
    pthread_mutex_unlock (&self->lock);
}

bool
it_ofsted_stalled (it_ofsted_t *self)
{
    pthread_mutex_lock (&self->lock);
    bool stalled = self->stalled > 0;
    pthread_mutex_unlock (&self->lock);
    return stalled;
}

it_request_t *
it_ofsted_requests (it_ofsted_t *self, size_t *count)
{
    pthread_mutex_lock (&self->lock);
    it_request_t *copy = ow_calloc (self->n_requests + 1, sizeof (it_request_t));
    for (size_t i = 0; i < self->n_requests; i++) {
        copy [i] = self->requests [i];
        copy [i].path = ow_strdup (self->requests [i].path);
        copy [i].if_none_match = ow_strdup (self->requests [i].if_none_match);
        copy [i].if_modified_since = ow_strdup (self->requests [i].if_modified_since);
        copy [i].user_agent = ow_strdup (self->requests [i].user_agent);
    }
    *count = self->n_requests;
    pthread_mutex_unlock (&self->lock);
    return copy;
}

void
it_requests_free (it_request_t **requests_p, size_t count)
{
    it_request_t *requests = *requests_p;
    for (size_t i = 0; requests && i < count; i++) {
        free (requests [i].path);
        free (requests [i].if_none_match);
        free (requests [i].if_modified_since);
        free (requests [i].user_agent);
    }
    free (requests);
    *requests_p = NULL;
}

size_t
it_ofsted_request_count (it_ofsted_t *self)
{
    pthread_mutex_lock (&self->lock);
    size_t count = self->n_requests;
    pthread_mutex_unlock (&self->lock);
    return count;
}

const char *
it_ofsted_file_path (const char *file_url)
{
    const char *path = strstr (file_url, FILE_PATH);
    return path ? path : file_url;
}
