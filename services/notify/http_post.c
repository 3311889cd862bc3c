/*  http_post — one webhook POST with libcurl, which a stop request can cut
    short.

    The easy handle runs on a multi handle of its own, polled in slices of
    POLL_MS, so that between slices the delivery thread can look at its
    pipe: removing a subscription or stopping notify never waits for a
    slow endpoint. The multi handle keeps the connection to the endpoint
    open between POSTs. Redirects are not followed (a redirect is not a
    2xx, so it is a failure the subscriber can see in `webhook list`), and
    only http and https are spoken.
*/

#include "notify.h"

#define CONNECT_TIMEOUT_MS  5000
#define TOTAL_TIMEOUT_MS    10000
#define POLL_MS             50

struct _http_post_t {
    CURLM *multi;
    CURL *easy;
    char detail [CURL_ERROR_SIZE];
};

//  The endpoint's answer is not read: only its status matters.
static size_t
discard (char *data, size_t size, size_t count, void *argument)
{
    return size * count;
}

http_post_t *
http_post_new (void)
{
    http_post_t *self = ow_calloc (1, sizeof *self);
    self->multi = curl_multi_init ();
    self->easy = curl_easy_init ();
    assert (self->multi && self->easy);
    return self;
}

void
http_post_destroy (http_post_t **self_p)
{
    http_post_t *self = *self_p;
    if (self) {
        curl_easy_cleanup (self->easy);
        curl_multi_cleanup (self->multi);
        free (self);
        *self_p = NULL;
    }
}

//  True once the pipe has delivered "$TERM"; anything else waiting there
//  (a wake-up) is consumed, since the thread looks at the log afterwards
//  anyway.
static bool
stop_requested (zsock_t *pipe)
{
    bool stop = false;
    while (!stop && (zsock_events (pipe) & ZMQ_POLLIN)) {
        char *message = zstr_recv (pipe);
        stop = !message || streq (message, "$TERM");
        zstr_free (&message);
    }
    return stop;
}

static void
set_options (http_post_t *self, const char *url, struct curl_slist *headers,
             const char *body, size_t size)
{
    CURL *easy = self->easy;
    curl_easy_reset (easy);
    curl_easy_setopt (easy, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt (easy, CURLOPT_PROTOCOLS, (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt (easy, CURLOPT_POST, 1L);
    curl_easy_setopt (easy, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) size);
    curl_easy_setopt (easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt (easy, CURLOPT_USERAGENT, "ofwatch-notify");
    curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) CONNECT_TIMEOUT_MS);
    curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) TOTAL_TIMEOUT_MS);
    curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);      // threads: no SIGALRM
    curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, self->detail);
}

bool
http_post (http_post_t *self, const char *url, const char *const *headers,
           const char *body, size_t size, zsock_t *pipe, bool *stop,
           char *error, size_t error_size)
{
    struct curl_slist *list = NULL;
    for (size_t i = 0; headers [i]; i++)
        list = curl_slist_append (list, headers [i]);
    //  No "Expect: 100-continue" pause before the body.
    list = curl_slist_append (list, "Expect:");
    self->detail [0] = 0;
    set_options (self, url, list, body, size);
    curl_multi_add_handle (self->multi, self->easy);

    int running = 1;
    while (running && !*stop) {
        if (curl_multi_perform (self->multi, &running) != CURLM_OK)
            break;
        if (running) {
            curl_multi_poll (self->multi, NULL, 0, POLL_MS, NULL);
            *stop = stop_requested (pipe);
        }
    }
    CURLcode code = CURLE_ABORTED_BY_CALLBACK;
    CURLMsg *message;
    int left = 0;
    while ((message = curl_multi_info_read (self->multi, &left)) != NULL)
        if (message->msg == CURLMSG_DONE)
            code = message->data.result;
    long status = 0;
    curl_easy_getinfo (self->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle (self->multi, self->easy);
    curl_slist_free_all (list);

    if (code == CURLE_OK && status >= 200 && status < 300)
        return true;
    if (*stop)
        snprintf (error, error_size, "stopped before the endpoint answered");
    else if (code != CURLE_OK)
        snprintf (error, error_size, "%s", *self->detail ? self->detail
                                                           : curl_easy_strerror (code));
    else
        snprintf (error, error_size, "the endpoint answered HTTP %ld", status);
    return false;
}
