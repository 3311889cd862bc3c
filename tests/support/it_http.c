/*  it_http — one HTTP request from a test; see it_http.h.  */

#include "it_http.h"
#include "ow_pb.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *data;
    size_t size;
} body_t;

static size_t
collect (char *data, size_t size, size_t count, void *context)
{
    body_t *body = context;
    body->data = realloc (body->data, body->size + size * count + 1);
    memcpy (body->data + body->size, data, size * count);
    body->size += size * count;
    body->data [body->size] = 0;
    return size * count;
}

char *
it_http (const char *url, const char *method, long timeout_s, long *status)
{
    body_t body = { ow_strdup (""), 0 };
    CURL *curl = curl_easy_init ();
    curl_easy_setopt (curl, CURLOPT_URL, url);
    curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt (curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt (curl, CURLOPT_TIMEOUT, timeout_s);
    if (method)
        curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, method);
    CURLcode rc = curl_easy_perform (curl);
    *status = 0;
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup (curl);
    if (rc != CURLE_OK) {
        fprintf (stderr, "%s %s: %s\n", method ? method : "GET", url, curl_easy_strerror (rc));
        free (body.data);
        return NULL;
    }
    return body.data;
}

char *
it_http_metrics (const char *port)
{
    char *url = ow_printf ("http://127.0.0.1:%s/metrics", port);
    long status = 0;
    char *body = it_http (url, NULL, 5, &status);
    if (body && status != 200) {
        fprintf (stderr, "%s answered %ld\n", url, status);
        free (body);
        body = NULL;
    }
    free (url);
    return body;
}

int
it_http_free_port (void)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = { .sin_family = AF_INET,
                                   .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
    socklen_t length = sizeof address;
    if (fd < 0 || bind (fd, (struct sockaddr *) &address, sizeof address) != 0
    ||  getsockname (fd, (struct sockaddr *) &address, &length) != 0)
        abort ();
    close (fd);
    return ntohs (address.sin_port);
}
