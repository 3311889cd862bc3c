/*  wt_site — the shape of Ofsted's reports site, read with libxml2's HTML
    parser and XPath.

    Two kinds of page matter (the README's "Watching Ofsted's site"):

    - the search of local authorities' children's services, a page of
      results each linking a provider page `.../provider/44/<urn>`, and a
      `ul.pagination li.next a` linking the next page;
    - a provider page, every publication about that authority, each an
      `a.publication-link` to the file's absolute URL holding a
      `span.nonvisual` "TITLE - D Month YYYY, pdf".

    The site has changed its markup before, so nothing is guessed: a page
    that holds none of what is expected is reported as such, in a sentence
    saying what was looked for, and the caller counts it and carries on.
    The title is kept only to be shown: what a document is, is decided by
    reading the document.
*/
#ifndef WT_SITE_H
#define WT_SITE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *url;                  // absolute
    char *urn;                  // the Ofsted URN the URL ends with
    char *name;                 // the link's text, blanks collapsed
} wt_provider_t;

typedef struct {
    wt_provider_t *providers;   // each URN once, in page order
    size_t n_providers;
    char *next_url;             // absolute; NULL on the last page
} wt_search_page_t;

typedef struct {
    char *url;                  // absolute
    char *title;                // "Children's services inspection"; "" when none
    char *listed_on;            // the date listed, YYYY-MM-DD; "" when none
    char *format;               // "pdf" as the link says; "" when it does not
} wt_publication_t;

typedef struct {
    wt_publication_t *publications;     // each URL once, newest first as listed
    size_t n_publications;
} wt_provider_page_t;

//  Calls libxml2's one-time set-up; call once before threads use this.
void wt_site_init (void);

//  Reads a search page fetched from page_url. False with *problem (a
//  sentence; caller frees) when it links no provider page.
bool wt_site_search_page (const void *html, size_t size, const char *page_url,
                          wt_search_page_t *page, char **problem);
void wt_search_page_free (wt_search_page_t *page);

//  Reads a provider page fetched from page_url. False with *problem when
//  it holds no publication link.
bool wt_site_provider_page (const void *html, size_t size, const char *page_url,
                            wt_provider_page_t *page, char **problem);
void wt_provider_page_free (wt_provider_page_t *page);

//  The first page of the search, on the site at base ("https://host/").
//  Caller frees.
char *wt_site_search_url (const char *base);

//  An authority's provider page. Caller frees.
char *wt_site_provider_url (const char *base, const char *urn);

//  href resolved against base: an absolute http or https URL (caller
//  frees), or NULL when it is neither.
char *wt_site_resolve (const char *base, const char *href);

//  Splits a publication's text "TITLE - D Month YYYY, pdf" into its
//  parts (each caller frees; "" when missing).
void wt_site_read_title (const char *text, char **title, char **listed_on, char **format);

#endif
