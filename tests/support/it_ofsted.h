/*  it_ofsted — a stand-in for Ofsted's reports site on loopback, for the
    watch's tests: two real HTTP servers (libmicrohttpd), the site and its
    files host, serving the shape the watch reads (the README's "Watching
    Ofsted's site") from real documents the test adds:

    - /robots.txt on both, as the test sets it;
    - the search of local authorities' children's services, `rows` results
      a page at most whatever is asked for, each linking its provider page,
      with a `ul.pagination li.next a` to the next page; an ETag, and 304
      to a matching If-None-Match;
    - /provider/44/URN, every publication newest first as
      `a.publication-link` with its `span.nonvisual` title; Last-Modified
      (moved on when a publication is added), and 304 to an
      If-Modified-Since not older;
    - the files, under /v1/file/N on the files host.

    And what the real site does now and then: a search that is empty, a
    provider page whose markup changed, one that answers an error, a 503
    with Retry-After for the next requests of a path, a file whose answer
    stalls halfway until released.

    Every request is logged when it arrives, with the headers that matter,
    when the server handed over the last byte of its answer (the client
    cannot have had it sooner), and whether the whole answer was sent.
*/
#ifndef IT_OFSTED_H
#define IT_OFSTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    bool files_host;            // the files host, else the site
    char *path;                 // path and query as requested
    char *if_none_match;        // "" when absent
    char *if_modified_since;
    char *user_agent;
    int status;
    int64_t start_us;           // monotonic, on arrival
    int64_t end_us;             // when its last byte was handed over; 0 before
    bool complete;              // every byte of the answer was handed over
} it_request_t;

typedef struct _it_ofsted_t it_ofsted_t;

//  Both servers on free loopback ports; NULL when one cannot start.
it_ofsted_t *it_ofsted_new (void);
void it_ofsted_destroy (it_ofsted_t **self_p);

//  "http://127.0.0.1:PORT/": OFWATCH_OFSTED_URL.
const char *it_ofsted_url (it_ofsted_t *self);

//  Results a search page shows at most (the real site: 100).
void it_ofsted_set_rows (it_ofsted_t *self, size_t rows);

//  robots.txt of the site or the files host ("" or NULL: 404).
void it_ofsted_set_robots (it_ofsted_t *self, bool files_host, const char *text);

//  An authority in the search, with its provider page.
void it_ofsted_add_provider (it_ofsted_t *self, const char *urn, const char *name);

//  A publication on urn's provider page: `bytes` (copied) served at a new
//  file URL, returned (valid while self lives). `title` is the link's
//  text before " - D Month YYYY, pdf"; listed_on is YYYY-MM-DD.
const char *it_ofsted_add_bytes (it_ofsted_t *self, const char *urn, const void *bytes,
                                 size_t size, const char *content_type, const char *title,
                                 const char *listed_on);

//  The same with a file's bytes; NULL when it cannot be read.
const char *it_ofsted_add_file (it_ofsted_t *self, const char *urn, const char *path,
                                const char *title, const char *listed_on);

//  Misbehaviour.
void it_ofsted_set_empty_search (it_ofsted_t *self, bool empty);
void it_ofsted_set_markup_changed (it_ofsted_t *self, const char *urn, bool changed);
void it_ofsted_set_provider_status (it_ofsted_t *self, const char *urn, int status);
//  The next `count` requests whose path starts with `prefix` are answered
//  503 with Retry-After: seconds.
void it_ofsted_unavailable (it_ofsted_t *self, const char *prefix, int count, int seconds);
//  The answer for file_url sends half its bytes and waits there until
//  released (or the fixture is destroyed).
void it_ofsted_stall (it_ofsted_t *self, const char *file_url, bool stall);
//  Ends the answer waiting there without the rest of its bytes; the next
//  answer for file_url is whole.
void it_ofsted_cut (it_ofsted_t *self, const char *file_url);
//  Whether a stalled answer is waiting now.
bool it_ofsted_stalled (it_ofsted_t *self);

//  A copy of the request log, in arrival order; free with
//  it_requests_free.
it_request_t *it_ofsted_requests (it_ofsted_t *self, size_t *count);
void it_requests_free (it_request_t **requests_p, size_t count);

//  How many requests have arrived so far.
size_t it_ofsted_request_count (it_ofsted_t *self);

//  The path of a file URL on the files host ("/v1/file/N").
const char *it_ofsted_file_path (const char *file_url);

#endif
