/*  test_watch_site — reading Ofsted's site without the network: the
    search and provider pages as the site writes them (and as it might
    change them), publication titles, robots.txt, Retry-After, URLs.
*/

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wt_http.h"
#include "wt_robots.h"
#include "wt_site.h"

#define SITE "https://reports.ofsted.gov.uk/"
#define FIRST_PAGE SITE "search?q=&location=&lat=&lon=&radius=&level_1_types=3" \
                   "&level_2_types%5B%5D=12&start=0&rows=100"

static bool
read_search (const char *html, wt_search_page_t *page, char **problem)
{
    *problem = NULL;
    return wt_site_search_page (html, strlen (html), FIRST_PAGE, page, problem);
}

static bool
read_provider (const char *html, wt_provider_page_t *page, char **problem)
{
    *problem = NULL;
    return wt_site_provider_page (html, strlen (html), SITE "provider/44/80474", page,
                                  problem);
}

//  ---------------------------------------------------------------------------
//  Search pages

static void
test_search_page (void **state)
{
    const char *html =
        "<!DOCTYPE html><html><head><title>Search</title></head><body>"
        "<ul class=\"results-list\">"
        "<li><h3><a href=\"/provider/44/80474\">Herefordshire</a></h3>"
        "<p><a href=\"https://reports.ofsted.gov.uk/provider/44/80474\">View</a></p></li>"
        "<li><h3><a href=\"provider/44/2637548\">\n  West\n Northamptonshire </a></h3></li>"
        "<li><a href=\"/provider/21/123456\">A school</a></li>"
        "<li><a href=\"/provider/44/\">No URN</a></li>"
        "<li><a href=\"/provider/44/80474x\">Not a URN</a></li>"
        "</ul>"
        "<ul class=\"govuk-pagination pagination\"><li class=\"previous\"><a href=\"/search?start=0\">"
        "Previous</a></li><li class=\"next page\"><a href=\"/search?q=&amp;start=100&amp;rows=100\">"
        "Next</a></li></ul></body></html>";
    wt_search_page_t page;
    char *problem;
    assert_true (read_search (html, &page, &problem));
    assert_null (problem);
    //  Each provider once, in page order, the first link's text kept.
    assert_int_equal (page.n_providers, 2);
    assert_string_equal (page.providers [0].urn, "80474");
    assert_string_equal (page.providers [0].url, SITE "provider/44/80474");
    assert_string_equal (page.providers [0].name, "Herefordshire");
    assert_string_equal (page.providers [1].urn, "2637548");
    assert_string_equal (page.providers [1].name, "West Northamptonshire");
    assert_string_equal (page.next_url, SITE "search?q=&start=100&rows=100");
    wt_search_page_free (&page);
}

static void
test_last_search_page (void **state)
{
    const char *html =
        "<html><body><a href=\"/provider/44/80474\">Herefordshire</a>"
        "<ul class=\"pagination\"><li class=\"previous\"><a href=\"/search?start=0\">Previous"
        "</a></li></ul></body></html>";
    wt_search_page_t page;
    char *problem;
    assert_true (read_search (html, &page, &problem));
    assert_null (page.next_url);
    wt_search_page_free (&page);

    //  A next link to the page itself would never end.
    char *looping = NULL;
    if (asprintf (&looping, "<a href=\"/provider/44/1\">A</a><ul class=\"pagination\">"
                  "<li class=\"next\"><a href=\"%s\">Next</a></li></ul>", FIRST_PAGE) < 0)
        fail ();
    assert_true (read_search (looping, &page, &problem));
    assert_null (page.next_url);
    wt_search_page_free (&page);
    free (looping);
}

static void
test_empty_or_changed_search (void **state)
{
    const char *pages [] = {
        "<html><body><p>No results</p></body></html>",
        //  Results in a markup that no longer links provider pages.
        "<html><body><div data-provider=\"80474\">Herefordshire</div></body></html>",
        "",
        "\x01\x02\x03 not html at all",
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages [0]; i++) {
        wt_search_page_t page;
        char *problem;
        assert_false (read_search (pages [i], &page, &problem));
        assert_non_null (problem);
        assert_non_null (strstr (problem, FIRST_PAGE));
        assert_int_equal (page.n_providers, 0);
        free (problem);
    }
}

//  ---------------------------------------------------------------------------
//  Provider pages

static void
test_provider_page (void **state)
{
    const char *html =
        "<html><body><h1>Herefordshire</h1><ul>"
        "<li><a class=\"publication-link\" href=\"https://files.ofsted.gov.uk/v1/file/50197524\">"
        "<span class=\"title\">Inspection report</span>"
        "<span class=\"nonvisual\">Children&#39;s services inspection - 21 September 2022, pdf"
        "</span></a></li>"
        "<li><a class=\"link publication-link\" href=\"https://files.ofsted.gov.uk/v1/file/2747093\">"
        "<span class=\"nonvisual\">Children's services focused visit\xC2\xA0-\xC2\xA0"
        "22 June 2023, PDF</span></a></li>"
        "<li><a class=\"publication-link\" href=\"https://files.ofsted.gov.uk/v1/file/50197524\">"
        "<span class=\"nonvisual\">The same file again - 1 May 2020, pdf</span></a></li>"
        "<li><a class=\"publication-link\" href=\"/v1/file/77\">No title</a></li>"
        "<li><a class=\"publication-link\" href=\"mailto:someone@ofsted.gov.uk\">Mail</a></li>"
        "<li><a class=\"publication-link\">No href</a></li>"
        "</ul></body></html>";
    wt_provider_page_t page;
    char *problem;
    assert_true (read_provider (html, &page, &problem));
    assert_int_equal (page.n_publications, 3);
    const wt_publication_t *p = page.publications;
    assert_string_equal (p [0].url, "https://files.ofsted.gov.uk/v1/file/50197524");
    assert_string_equal (p [0].title, "Children's services inspection");
    assert_string_equal (p [0].listed_on, "2022-09-21");
    assert_string_equal (p [0].format, "pdf");
    //  No-break spaces are spaces; the format in any case.
    assert_string_equal (p [1].title, "Children's services focused visit");
    assert_string_equal (p [1].listed_on, "2023-06-22");
    assert_string_equal (p [1].format, "pdf");
    //  A relative link resolves against the page; no text, no date.
    assert_string_equal (p [2].url, SITE "v1/file/77");
    assert_string_equal (p [2].title, "");
    assert_string_equal (p [2].listed_on, "");
    wt_provider_page_free (&page);
}

static void
test_changed_provider_page (void **state)
{
    const char *pages [] = {
        //  Publications still there, but not as publication links.
        "<html><body><ul class=\"documents\"><li><a class=\"document-download\" "
        "data-href=\"https://files.ofsted.gov.uk/v1/file/1\">Inspection <time>1 May 2020"
        "</time></a></li></ul></body></html>",
        "<html><body><h1>Sorry, there is a problem with the service</h1></body></html>",
        "<html><body><a class=\"publication-link\" href=\"javascript:void(0)\">x</a></body></html>",
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages [0]; i++) {
        wt_provider_page_t page;
        char *problem;
        assert_false (read_provider (pages [i], &page, &problem));
        assert_non_null (strstr (problem, "markup has changed"));
        assert_non_null (strstr (problem, SITE "provider/44/80474"));
        free (problem);
        wt_provider_page_free (&page);
    }
}

static void
test_titles (void **state)
{
    const struct { const char *text, *title, *date, *format; } cases [] = {
        { "Children's services inspection - 12 January 2026, pdf",
          "Children's services inspection", "2026-01-12", "pdf" },
        { "Area SEND full inspection - 15 May 2024, pdf", "Area SEND full inspection",
          "2024-05-15", "pdf" },
        //  A dash inside the title: the last one separates the date.
        { "Joint targeted area inspection - neglect - 3 March 2020, pdf",
          "Joint targeted area inspection - neglect", "2020-03-03", "pdf" },
        { "Monitoring visit \xE2\x80\x93 1 February 2021, docx", "Monitoring visit",
          "2021-02-01", "docx" },
        //  No date: the whole text is the title, nothing is guessed.
        { "Annual engagement meeting notes", "Annual engagement meeting notes", "", "" },
        { "Inspection - soon, pdf", "Inspection - soon, pdf", "", "" },
        { "", "", "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        char *title, *date, *format;
        wt_site_read_title (cases [i].text, &title, &date, &format);
        assert_string_equal (title, cases [i].title);
        assert_string_equal (date, cases [i].date);
        assert_string_equal (format, cases [i].format);
        free (title);
        free (date);
        free (format);
    }
}

static void
test_urls (void **state)
{
    char *url = wt_site_search_url ("http://127.0.0.1:8080");
    assert_string_equal (url, "http://127.0.0.1:8080/search?q=&location=&lat=&lon=&radius="
                              "&level_1_types=3&level_2_types%5B%5D=12&start=0&rows=100");
    free (url);
    url = wt_site_provider_url (SITE, "80474");
    assert_string_equal (url, SITE "provider/44/80474");
    free (url);
    url = wt_site_resolve (SITE "provider/44/1", "../../v1/file/9");
    assert_string_equal (url, SITE "v1/file/9");
    free (url);
    assert_null (wt_site_resolve (SITE, "ftp://example.org/x"));
    assert_null (wt_site_resolve (SITE, "mailto:x@y"));
    assert_null (wt_site_resolve (SITE, ""));
    assert_null (wt_site_resolve (SITE, NULL));
}

//  ---------------------------------------------------------------------------
//  robots.txt

static const char *s_robots =
    "# Ofsted\n"
    "User-agent: *\n"
    "Disallow: /search\n"
    "Crawl-delay: 10\n"
    "\n"
    "User-agent: OfWatch/2.0\n"
    "User-agent: otherbot\n"
    "Disallow: /private\n"
    "Allow: /private/published$\n"
    "Disallow: /*.docx$\n"
    "Disallow: /provider/44/9*9/\n"
    "Sitemap: https://reports.ofsted.gov.uk/sitemap.xml\n"
    "Disallow:\n"
    "Crawl-delay: 2.5\r\n"
    "\n"
    "User-agent: ofwatch\n"
    "Disallow: /admin   # and below\n";

static void
test_robots_groups (void **state)
{
    wt_robots_t *robots = wt_robots_parse (s_robots, strlen (s_robots), "ofwatch");
    //  Our groups apply, not "*"'s: the search is allowed to us.
    assert_true (wt_robots_allows (robots, "/search?q=&start=0"));
    assert_false (wt_robots_allows (robots, "/private"));
    assert_false (wt_robots_allows (robots, "/private/drafts/1"));
    //  The longest match decides.
    assert_true (wt_robots_allows (robots, "/private/published"));
    assert_false (wt_robots_allows (robots, "/private/published/more"));
    assert_false (wt_robots_allows (robots, "/v1/file/1.docx"));
    assert_true (wt_robots_allows (robots, "/v1/file/1.docx?x"));
    assert_false (wt_robots_allows (robots, "/provider/44/909/x"));
    assert_true (wt_robots_allows (robots, "/provider/44/80474"));
    //  Both groups naming us count.
    assert_false (wt_robots_allows (robots, "/admin/users"));
    assert_true (wt_robots_allows (robots, "/robots.txt"));
    assert_true (wt_robots_crawl_delay (robots) > 2.49 && wt_robots_crawl_delay (robots) < 2.51);
    wt_robots_destroy (&robots);

    //  Anyone else gets "*".
    robots = wt_robots_parse (s_robots, strlen (s_robots), "somebot");
    assert_false (wt_robots_allows (robots, "/search?q="));
    assert_true (wt_robots_allows (robots, "/private"));
    assert_true (wt_robots_crawl_delay (robots) > 9.9);
    wt_robots_destroy (&robots);
}

static void
test_robots_edges (void **state)
{
    //  Allow wins a tie; an empty file, or one with only comments, allows all.
    const char *tie = "User-agent: *\nDisallow: /page\nAllow: /page\n";
    wt_robots_t *robots = wt_robots_parse (tie, strlen (tie), "ofwatch");
    assert_true (wt_robots_allows (robots, "/page"));
    wt_robots_destroy (&robots);
    robots = wt_robots_parse ("# nothing\n", 10, "ofwatch");
    assert_true (wt_robots_allows (robots, "/anything"));
    assert_true (wt_robots_crawl_delay (robots) == 0);
    wt_robots_destroy (&robots);
    //  Everything forbidden.
    const char *all = "User-agent: *\nDisallow: /\n";
    robots = wt_robots_parse (all, strlen (all), "ofwatch");
    assert_false (wt_robots_allows (robots, "/"));
    assert_false (wt_robots_allows (robots, "/search"));
    assert_true (wt_robots_allows (robots, "/robots.txt"));
    wt_robots_destroy (&robots);
    robots = wt_robots_deny_all ();
    assert_false (wt_robots_allows (robots, "/search"));
    wt_robots_destroy (&robots);
    robots = wt_robots_allow_all ();
    assert_true (wt_robots_allows (robots, "/search"));
    wt_robots_destroy (&robots);
    //  Many stars and a long path cost a little, not an age.
    char pattern [600] = "User-agent: *\nDisallow: /";
    for (int i = 0; i < 200; i++)
        strcat (pattern, "*a");
    strcat (pattern, "b\n");
    robots = wt_robots_parse (pattern, strlen (pattern), "ofwatch");
    char path [4001];
    memset (path, 'a', sizeof path - 1);
    path [0] = '/';
    path [sizeof path - 1] = 0;
    assert_true (wt_robots_allows (robots, path));
    wt_robots_destroy (&robots);
    //  A line far too long is skipped, not half read; binary junk is harmless.
    char junk [5000];
    memset (junk, 'x', sizeof junk);
    memcpy (junk, "User-agent: *\nDisallow: /", 25);
    robots = wt_robots_parse (junk, sizeof junk, "ofwatch");
    assert_true (wt_robots_allows (robots, "/xxxx"));
    wt_robots_destroy (&robots);
}

//  ---------------------------------------------------------------------------
//  Retry-After

static void
test_retry_after (void **state)
{
    int64_t now = 1700000000;       // Tue, 14 Nov 2023 22:13:20 GMT
    assert_int_equal (wt_http_retry_after ("120", now), 120);
    assert_int_equal (wt_http_retry_after (" 0 ", now), 0);
    assert_int_equal (wt_http_retry_after ("Tue, 14 Nov 2023 22:14:20 GMT", now), 60);
    //  A date already past: at once.
    assert_int_equal (wt_http_retry_after ("Tue, 14 Nov 2023 22:00:00 GMT", now), 0);
    assert_int_equal (wt_http_retry_after ("soon", now), -1);
    assert_int_equal (wt_http_retry_after ("12 seconds", now), -1);
    assert_int_equal (wt_http_retry_after ("", now), -1);
    assert_int_equal (wt_http_retry_after (NULL, now), -1);
}

int
main (void)
{
    wt_site_init ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_search_page),
        cmocka_unit_test (test_last_search_page),
        cmocka_unit_test (test_empty_or_changed_search),
        cmocka_unit_test (test_provider_page),
        cmocka_unit_test (test_changed_provider_page),
        cmocka_unit_test (test_titles),
        cmocka_unit_test (test_urls),
        cmocka_unit_test (test_robots_groups),
        cmocka_unit_test (test_robots_edges),
        cmocka_unit_test (test_retry_after),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
