/*  it_http — one HTTP request from a test: analytics' pages and every
    service's /metrics. The caller owns libcurl's global initialisation.
*/
#ifndef IT_HTTP_H
#define IT_HTTP_H

//  Requests url (method NULL: GET) and returns the body (caller frees)
//  with the status in *status, or NULL (the reason printed) when no
//  answer came within timeout_s.
char *it_http (const char *url, const char *method, long timeout_s, long *status);

//  GET http://127.0.0.1:PORT/metrics: the body (caller frees), or NULL,
//  the reason printed, unless it answered 200.
char *it_http_metrics (const char *port);

//  A TCP port on 127.0.0.1 nothing listens on now, for a server a test
//  starts (analytics' pages).
int it_http_free_port (void);

#endif
