/*  http_post — how one webhook POST is made with libcurl: the options of
    its easy handle, the check of every address it connects to, and what
    its outcome means. The transfers themselves run together on the
    delivery engine's multi handle (delivery.c).

    Redirects are not followed (a redirect is not a 2xx, so it is a
    failure the subscriber sees in `webhook list`), only http and https
    are spoken, and each connection's address is checked as it is made
    (webhook_url.h), so a name that resolves to a metadata service or a
    link-local address later than `webhook add` is refused all the same.
*/

#include "notify.h"
#include "webhook_url.h"

#define CONNECT_TIMEOUT_MS  5000
#define TOTAL_TIMEOUT_MS    10000

//  The endpoint's answer is not read: only its status matters.
static size_t
discard (char *data, size_t size, size_t count, void *argument)
{
    return size * count;
}

//  Opens the socket for a connection unless its address is refused;
//  `argument` is where the refusal is noted for the outcome.
static curl_socket_t
open_socket (void *argument, curlsocktype purpose, struct curl_sockaddr *address)
{
    const char **refusal = argument;
    const char *problem = webhook_address_problem (&address->addr);
    if (problem) {
        *refusal = problem;
        return CURL_SOCKET_BAD;
    }
    return socket (address->family, address->socktype, address->protocol);
}

void
http_post_prepare (CURL *easy, const char *url, struct curl_slist *headers, const char *body,
                   size_t size, char *detail, const char **refusal)
{
    curl_easy_reset (easy);
    *detail = 0;
    *refusal = NULL;
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
    curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt (easy, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt (easy, CURLOPT_OPENSOCKETDATA, refusal);
}

bool
http_post_outcome (CURL *easy, CURLcode code, const char *detail, const char *refusal,
                   char *error, size_t size)
{
    long status = 0;
    curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &status);
    if (code == CURLE_OK && status >= 200 && status < 300)
        return true;
    if (refusal)
        snprintf (error, size, "%s", refusal);
    else
    if (code != CURLE_OK)
        snprintf (error, size, "%s", *detail ? detail : curl_easy_strerror (code));
    else
        snprintf (error, size, "the endpoint answered HTTP %ld", status);
    return false;
}
