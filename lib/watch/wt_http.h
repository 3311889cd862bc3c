/*  wt_http — asking Ofsted's site for something, politely.

    Everything the site sees of ofwatch goes through here, so the manners
    are kept in one place whatever is fetched:

    - one request at a time (one libcurl handle, used synchronously), the
      next starting no sooner than 1/rate seconds after the last one
      ended, or the site's Crawl-delay when that is longer;
    - a User-Agent naming ofwatch and its operator's contact;
    - robots.txt of each host read before anything else there, and a URL
      it forbids never requested;
    - 429 and 503 wait for their Retry-After (seconds or a date), other
      5xx and network failures for a backoff that doubles, each up to a
      few attempts; a wait longer than the settings allow gives up until
      the next pass rather than holding the pass;
    - a conditional request when a page's validators are known;
    - timeouts on every request and a limit on the bytes of each answer;
    - redirects followed here (so each hop is paced and checked against
      robots.txt), at most five, http and https only.

    Every request is counted (ofwatch_watch_requests_total{status},
    ofwatch_watch_bytes_total), and so is what it cost: a pass reports
    its requests and bytes.
*/
#ifndef WT_HTTP_H
#define WT_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ow_metrics.h"
#include "wt_settings.h"
#include "wt_stop.h"

typedef enum {
    WT_HTTP_OK,                 // 200, the body in hand
    WT_HTTP_NOT_MODIFIED,       // 304 to a conditional request
    WT_HTTP_FAILED,             // the site answered something else, after retries
    WT_HTTP_UNREACHABLE,        // no answer: name, connection, timeout, after retries
    WT_HTTP_FORBIDDEN,          // robots.txt forbids it; nothing was requested
    WT_HTTP_TOO_LARGE,          // over the size limit; cut off
    WT_HTTP_STOPPED,            // a stop was asked for
} wt_http_outcome_t;

typedef struct {
    wt_http_outcome_t outcome;
    long status;                // the last HTTP status, 0 when none came
    uint8_t *body;              // WT_HTTP_OK: the bytes (NUL-terminated beyond size)
    size_t size;
    char *etag;                 // validators of a 200, NULL when absent
    char *last_modified;
    char *content_type;
    char *error;                // a sentence, for every outcome but OK and NOT_MODIFIED
} wt_response_t;

typedef struct _wt_http_t wt_http_t;

//  settings, stop and metrics (may be NULL) are borrowed. One object
//  serves a process's passes one after another, so the pace holds across
//  them too.
wt_http_t *wt_http_new (const wt_settings_t *settings, wt_stop_t *stop, ow_metrics_t *metrics);
void wt_http_destroy (wt_http_t **self_p);

//  Starts a pass: robots.txt is read again and the tallies start at 0.
void wt_http_begin (wt_http_t *self);

//  GETs url, conditionally when etag or last_modified is not NULL, taking
//  at most max_size bytes. The response is reset first; free it with
//  wt_response_free.
void wt_http_get (wt_http_t *self, const char *url, const char *etag,
                  const char *last_modified, size_t max_size, wt_response_t *response);
void wt_response_free (wt_response_t *response);

//  Requests made and bytes received (headers and bodies) since
//  wt_http_begin.
size_t wt_http_requests (const wt_http_t *self);
uint64_t wt_http_bytes (const wt_http_t *self);

//  Seconds a Retry-After value asks for, at time `now` (seconds since the
//  epoch): delta-seconds or an HTTP date; -1 when it is neither.
int64_t wt_http_retry_after (const char *value, int64_t now);

#endif
