/*  it_http — one HTTP request from a test: analytics' pages and every
    service's /metrics. The caller owns libcurl's global initialisation.
*/
#ifndef IT_HTTP_H
#define IT_HTTP_H

//  Requests url (method NULL: GET) and returns the body (caller frees)
//  with the status in *status, or NULL (the reason printed) when no
//  answer came within timeout_s.
char *it_http (const char *url, const char *method, long timeout_s, long *status);

#endif
