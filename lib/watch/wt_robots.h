/*  wt_robots — what a site's robots.txt lets ofwatch fetch.

    Read as RFC 9309 says: the groups whose user-agent line names our
    product token ("ofwatch", any case) apply, else the groups for "*",
    else nothing is forbidden. Within what applies, the longest matching
    Allow or Disallow pattern decides (Allow on a tie); patterns may hold
    `*` (any run of characters) and end with `$` (the end of the path).
    Crawl-delay, which the RFC leaves out but many sites use, is kept so
    the fetcher can wait longer than its own rate when a site asks.
*/
#ifndef WT_ROBOTS_H
#define WT_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct _wt_robots_t wt_robots_t;

//  The rules of text [0, size) for the product token `agent`. Never NULL.
wt_robots_t *wt_robots_parse (const char *text, size_t size, const char *agent);

//  Rules that allow everything (no robots.txt, or a 4xx for it) or
//  nothing (the site could not say: RFC 9309 treats that as "disallow").
wt_robots_t *wt_robots_allow_all (void);
wt_robots_t *wt_robots_deny_all (void);
void wt_robots_destroy (wt_robots_t **self_p);

//  Whether `path` (the URL's path and query, from its first "/") may be
//  fetched. /robots.txt itself always may.
bool wt_robots_allows (const wt_robots_t *self, const char *path);

//  Seconds the site asks between requests (Crawl-delay), 0 when none.
double wt_robots_crawl_delay (const wt_robots_t *self);

#endif
