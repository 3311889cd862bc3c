/*  wt_site — reading the site's pages; see wt_site.h.  */

#include "wt_site.h"
#include "ow_date.h"
#include "ow_pb.h"

#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>
#include <string.h>
#include <strings.h>

//  What the pages are made of. `class~="x"` in XPath 1.0.
#define HAS_CLASS(name) "contains(concat(' ', normalize-space(@class), ' '), ' " name " ')"
#define PROVIDER_LINKS  "//a[@href][contains(@href, 'provider/44/')]"
#define NEXT_LINK       "//ul[" HAS_CLASS ("pagination") "]//li[" HAS_CLASS ("next") "]//a/@href"
#define PUBLICATIONS    "//a[" HAS_CLASS ("publication-link") "]"
#define NONVISUAL       ".//span[" HAS_CLASS ("nonvisual") "]"
#define SEARCH_QUERY    "search?q=&location=&lat=&lon=&radius=&level_1_types=3" \
                        "&level_2_types%5B%5D=12&start=0&rows=100"

void
wt_site_init (void)
{
    xmlInitParser ();
}

//  The document, or NULL when libxml2 can make nothing of the bytes.
static htmlDocPtr
parse (const void *html, size_t size, const char *url)
{
    if (size == 0 || size > INT32_MAX)
        return NULL;
    return htmlReadMemory (html, (int) size, url, NULL,
                           HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
                           | HTML_PARSE_NONET | HTML_PARSE_COMPACT);
}

static xmlXPathObjectPtr
select_nodes (xmlXPathContextPtr context, const char *xpath, xmlNodePtr from)
{
    context->node = from;
    xmlXPathObjectPtr found = xmlXPathEvalExpression ((const xmlChar *) xpath, context);
    assert (found);             // the expressions are fixed and valid
    return found;
}

static int
node_count (xmlXPathObjectPtr found)
{
    return found && found->nodesetval ? found->nodesetval->nodeNr : 0;
}

//  A node's text with runs of blanks (no-break spaces too) made one
//  space, trimmed. Caller frees.
static char *
node_text (xmlNodePtr node)
{
    xmlChar *raw = xmlNodeGetContent (node);
    const char *in = raw ? (const char *) raw : "";
    char *text = ow_malloc (strlen (in) + 1);
    size_t length = 0;
    bool blank = true;              // drops leading blanks
    for (const unsigned char *c = (const unsigned char *) in; *c; c++) {
        bool is_blank = isspace (*c) || (c [0] == 0xC2 && c [1] == 0xA0);
        if (c [0] == 0xC2 && c [1] == 0xA0)
            c++;
        if (is_blank) {
            if (!blank)
                text [length++] = ' ';
            blank = true;
        }
        else {
            text [length++] = (char) *c;
            blank = false;
        }
    }
    if (length && text [length - 1] == ' ')
        length--;
    text [length] = '\0';
    xmlFree (raw);
    return text;
}

static char *
attribute (xmlNodePtr node, const char *name)
{
    xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
    char *copy = value ? ow_strdup ((const char *) value) : NULL;
    xmlFree (value);
    return copy;
}

char *
wt_site_resolve (const char *base, const char *href)
{
    if (!href || !*href)
        return NULL;
    xmlChar *built = xmlBuildURI ((const xmlChar *) href, (const xmlChar *) base);
    if (!built)
        return NULL;
    char *url = NULL;
    xmlURIPtr uri = xmlParseURI ((const char *) built);
    if (uri && uri->scheme && uri->server
        && (strcasecmp (uri->scheme, "http") == 0 || strcasecmp (uri->scheme, "https") == 0))
        url = ow_strdup ((const char *) built);
    xmlFreeURI (uri);
    xmlFree (built);
    return url;
}

//  The absolute http(s) URL a link points at, or NULL. Caller frees.
static char *
link_url (xmlNodePtr link, const char *page_url)
{
    char *href = attribute (link, "href");
    char *url = wt_site_resolve (page_url, href);
    free (href);
    return url;
}

//  An XPath context over the page (free it and its document with
//  close_page), or NULL with *problem when there is no HTML to read.
static xmlXPathContextPtr
open_page (const void *html, size_t size, const char *page_url, const char *kind,
           char **problem)
{
    htmlDocPtr doc = parse (html, size, page_url);
    if (!doc) {
        *problem = ow_printf ("the %s page %s is empty or not HTML", kind, page_url);
        return NULL;
    }
    return xmlXPathNewContext (doc);
}

static void
close_page (xmlXPathContextPtr context)
{
    xmlDocPtr doc = context->doc;
    xmlXPathFreeContext (context);
    xmlFreeDoc (doc);
}

//  The URN of a provider page's URL: the digits of the path segment after
//  "/provider/44/". NULL when the URL is not such a page.
static char *
provider_urn (const char *url)
{
    xmlURIPtr uri = xmlParseURI (url);
    char *urn = NULL;
    const char *path = uri ? uri->path : NULL;
    const char *marker = "/provider/44/";
    const char *at = path ? strstr (path, marker) : NULL;
    if (at) {
        at += strlen (marker);
        size_t digits = strspn (at, "0123456789");
        if (digits > 0 && digits <= 12 && (at [digits] == '\0' || at [digits] == '/'))
            urn = ow_strndup (at, digits);
    }
    xmlFreeURI (uri);
    return urn;
}

static void
add_provider (wt_search_page_t *page, const char *url, const char *urn, const char *name)
{
    for (size_t i = 0; i < page->n_providers; i++)
        if (strcmp (page->providers [i].urn, urn) == 0) {
            //  A result may link its provider twice (its name, "view");
            //  the name is the text that says more.
            if (!*page->providers [i].name && *name)
                ow_pb_set_string (&page->providers [i].name, name);
            return;
        }
    page->providers = realloc (page->providers, (page->n_providers + 1) * sizeof (wt_provider_t));
    if (!page->providers)
        abort ();
    wt_provider_t *provider = &page->providers [page->n_providers++];
    provider->url = ow_strdup (url);
    provider->urn = ow_strdup (urn);
    provider->name = ow_strdup (name);
}

static char *
next_link (xmlXPathContextPtr context, const char *page_url)
{
    xmlXPathObjectPtr found = select_nodes (context, NEXT_LINK, NULL);
    char *next = NULL;
    for (int i = 0; !next && i < node_count (found); i++) {
        xmlChar *href = xmlNodeGetContent (found->nodesetval->nodeTab [i]);
        next = wt_site_resolve (page_url, (const char *) href);
        xmlFree (href);
    }
    xmlXPathFreeObject (found);
    //  A next link to the page itself would never end.
    if (next && strcmp (next, page_url) == 0) {
        free (next);
        next = NULL;
    }
    return next;
}

bool
wt_site_search_page (const void *html, size_t size, const char *page_url,
                     wt_search_page_t *page, char **problem)
{
    memset (page, 0, sizeof *page);
    xmlXPathContextPtr context = open_page (html, size, page_url, "search", problem);
    if (!context)
        return false;
    xmlXPathObjectPtr links = select_nodes (context, PROVIDER_LINKS, NULL);
    for (int i = 0; i < node_count (links); i++) {
        xmlNodePtr link = links->nodesetval->nodeTab [i];
        char *url = link_url (link, page_url);
        char *urn = url ? provider_urn (url) : NULL;
        if (urn) {
            char *name = node_text (link);
            add_provider (page, url, urn, name);
            free (name);
        }
        free (urn);
        free (url);
    }
    xmlXPathFreeObject (links);
    page->next_url = next_link (context, page_url);
    close_page (context);
    if (page->n_providers == 0) {
        *problem = ow_printf ("the search page %s links no provider page (a link to "
                              ".../provider/44/URN): the search is empty or its markup has "
                              "changed", page_url);
        wt_search_page_free (page);
        return false;
    }
    return true;
}

void
wt_search_page_free (wt_search_page_t *page)
{
    for (size_t i = 0; i < page->n_providers; i++) {
        free (page->providers [i].url);
        free (page->providers [i].urn);
        free (page->providers [i].name);
    }
    free (page->providers);
    free (page->next_url);
    memset (page, 0, sizeof *page);
}

//  Where the title ends and the date begins: the last " - " (or en dash).
static const char *
last_separator (const char *text, size_t *width)
{
    const char *found = NULL;
    for (const char *c = text; *c; c++) {
        if (strncmp (c, " - ", 3) == 0) {
            found = c;
            *width = 3;
        }
        else
        if (strncmp (c, " \xE2\x80\x93 ", 5) == 0) {
            found = c;
            *width = 5;
        }
    }
    return found;
}

void
wt_site_read_title (const char *text, char **title, char **listed_on, char **format)
{
    size_t width = 0;
    const char *separator = last_separator (text, &width);
    const char *rest = separator ? separator + width : text;
    int day = ow_date_parse (rest, strlen (rest), 0, NULL);
    char iso [11] = "";
    ow_date_to_iso (day, iso);
    *title = separator && day != OW_DATE_NONE ? ow_strndup (text, (size_t) (separator - text))
                                              : ow_strdup (text);
    *listed_on = ow_strdup (iso);
    const char *comma = strrchr (rest, ',');
    char *kind = ow_strdup (day != OW_DATE_NONE && comma ? comma + 1 : "");
    char *start = kind;
    while (*start == ' ')
        start++;
    for (char *c = start; *c; c++)
        *c = (char) tolower ((unsigned char) *c);
    *format = ow_strdup (start);
    free (kind);
}

static void
add_publication (wt_provider_page_t *page, const char *url, const char *text)
{
    for (size_t i = 0; i < page->n_publications; i++)
        if (strcmp (page->publications [i].url, url) == 0)
            return;
    page->publications = realloc (page->publications,
                                  (page->n_publications + 1) * sizeof (wt_publication_t));
    if (!page->publications)
        abort ();
    wt_publication_t *publication = &page->publications [page->n_publications++];
    publication->url = ow_strdup (url);
    wt_site_read_title (text, &publication->title, &publication->listed_on,
                        &publication->format);
}

bool
wt_site_provider_page (const void *html, size_t size, const char *page_url,
                       wt_provider_page_t *page, char **problem)
{
    memset (page, 0, sizeof *page);
    xmlXPathContextPtr context = open_page (html, size, page_url, "provider", problem);
    if (!context)
        return false;
    xmlXPathObjectPtr links = select_nodes (context, PUBLICATIONS, NULL);
    for (int i = 0; i < node_count (links); i++) {
        xmlNodePtr link = links->nodesetval->nodeTab [i];
        char *url = link_url (link, page_url);
        if (url) {
            xmlXPathObjectPtr spans = select_nodes (context, NONVISUAL, link);
            char *text = node_count (spans) ? node_text (spans->nodesetval->nodeTab [0])
                                            : ow_strdup ("");
            add_publication (page, url, text);
            free (text);
            xmlXPathFreeObject (spans);
        }
        free (url);
    }
    xmlXPathFreeObject (links);
    close_page (context);
    if (page->n_publications == 0) {
        *problem = ow_printf ("the provider page %s lists no publication (a.publication-link "
                              "with an http or https href): its markup has changed", page_url);
        return false;
    }
    return true;
}

void
wt_provider_page_free (wt_provider_page_t *page)
{
    for (size_t i = 0; i < page->n_publications; i++) {
        free (page->publications [i].url);
        free (page->publications [i].title);
        free (page->publications [i].listed_on);
        free (page->publications [i].format);
    }
    free (page->publications);
    memset (page, 0, sizeof *page);
}

//  base with a "/" at its end, so relative references resolve beneath it.
static char *
directory_of (const char *base)
{
    size_t length = strlen (base);
    return length && base [length - 1] == '/' ? ow_strdup (base) : ow_printf ("%s/", base);
}

char *
wt_site_search_url (const char *base)
{
    char *directory = directory_of (base);
    char *url = ow_printf ("%s%s", directory, SEARCH_QUERY);
    free (directory);
    return url;
}

char *
wt_site_provider_url (const char *base, const char *urn)
{
    char *directory = directory_of (base);
    char *url = ow_printf ("%sprovider/44/%s", directory, urn);
    free (directory);
    return url;
}
