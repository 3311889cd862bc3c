/*  ex_pdf — the text of a PDF, through poppler-glib.

    poppler copies the bytes it is given (GBytes), so the caller's buffer
    need not outlive the call. A document with pages but next to no text
    is a scan: ofwatch does no OCR, and says so rather than extracting
    nothing.

    Page furniture is removed before parsers see the text: page numbers,
    the running header Ofsted prints atop every page ("Norfolk County
    Council Inspection of looked after children services") and the running
    footer at its foot ("Area SEND inspection report: Bolton Local Area
    Partnership") and the page's footnotes would otherwise land in the
    middle of sentences and list items that cross a page.
*/

#include "ex_pdf.h"
#include "ex_text.h"
#include "ow_pb.h"

#include <ctype.h>

#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FURNITURE_LINES 3

typedef struct {
    ex_span_t span;             // the page, without its form feed
    ex_span_t first;            // first non-blank line
    ex_span_t last [MAX_FURNITURE_LINES];   // last non-blank lines, last first
    size_t n_last;
} page_t;

static bool
is_page_number (const char *text, ex_span_t line)
{
    line = ex_trim (text, line);
    if (line.end == line.start || line.end - line.start > 4)
        return false;
    for (size_t i = line.start; i < line.end; i++)
        if (!isdigit ((unsigned char) text [i]))
            return false;
    return true;
}

static bool
same_line (const char *text, ex_span_t a, ex_span_t b)
{
    a = ex_trim (text, a);
    b = ex_trim (text, b);
    return a.end - a.start == b.end - b.start && a.end > a.start
        && memcmp (text + a.start, text + b.start, a.end - a.start) == 0;
}

//  A line is a running header when it opens at least three pages and a
//  third of them.
static bool
is_running_header (const char *text, const page_t *pages, size_t n_pages, ex_span_t line)
{
    size_t seen = 0;
    for (size_t i = 0; i < n_pages; i++)
        if (same_line (text, pages [i].first, line))
            seen++;
    return seen >= 3 && seen * 3 >= n_pages;
}

//  A line is a running footer when it is among the last lines of at
//  least three pages and a third of them ("Area SEND inspection report:
//  Bolton Local Area Partnership", then the dates, at every page's foot).
static bool
is_running_footer (const char *text, const page_t *pages, size_t n_pages, ex_span_t line)
{
    size_t seen = 0;
    for (size_t i = 0; i < n_pages; i++)
        for (size_t k = 0; k < pages [i].n_last; k++)
            if (same_line (text, pages [i].last [k], line)) {
                seen++;
                break;
            }
    return seen >= 3 && seen * 3 >= n_pages;
}

#define FOOTNOTE_LINES 8        // a page's footnotes: its last lines

//  True when the page's text in [start, end) refers to footnote `number`
//  ("Children Board1", "cared for children2 receive").
static bool
refers_to_note (const char *text, size_t start, size_t end, const char *number, size_t n)
{
    for (size_t at = start + 1; at + n <= end; at++)
        if (memcmp (text + at, number, n) == 0
        &&  (isalpha ((unsigned char) text [at - 1]) || text [at - 1] == ')')
        &&  (at + n == end || !isdigit ((unsigned char) text [at + n])))
            return true;
    return false;
}

//  Where the page's footnotes start (a line that is only the note's
//  number, with the note after it, the page referring to the number),
//  else end.
static size_t
footnotes_start (const char *text, size_t start, size_t end)
{
    size_t found = end, pos = end;
    for (int k = 0; k < FOOTNOTE_LINES && pos > start; k++) {
        ex_span_t line = ex_line_at (text, pos, pos - 1);
        if (line.start < start)
            line.start = start;
        ex_span_t number = ex_trim (text, line);
        size_t n = number.end - number.start;
        if (n >= 1 && n <= 2 && isdigit ((unsigned char) text [number.start])
        &&  (n == 1 || isdigit ((unsigned char) text [number.start + 1]))
        &&  line.end < end && refers_to_note (text, start, line.start, text + number.start, n))
            found = line.start;
        pos = line.start;
    }
    return found;
}

//  Appends one page without its furniture.
static void
put_page (GString *out, const char *text, const page_t *pages, size_t n_pages, size_t p)
{
    const page_t *page = &pages [p];
    size_t start = page->span.start, end = page->span.end, pos = start;
    ex_span_t line;
    for (int k = 0; k < MAX_FURNITURE_LINES && ex_next_line (text, end, &pos, &line); k++) {
        if (ex_blank (text, line) || is_page_number (text, line)
        ||  is_running_header (text, pages, n_pages, line))
            start = pos;
        else
            break;
    }
    for (int k = 0; k < MAX_FURNITURE_LINES && end > start; k++) {
        ex_span_t last = ex_line_at (text, end, end - 1);
        if (last.start < start)
            break;
        if (ex_blank (text, last) || is_page_number (text, last)
        ||  is_running_footer (text, pages, n_pages, last))
            end = last.start;
        else
            break;
    }
    end = footnotes_start (text, start, end);
    if (end > start) {
        if (out->len && out->str [out->len - 1] != '\n')
            g_string_append_c (out, '\n');
        g_string_append_len (out, text + start, (gssize) (end - start));
    }
}

static char *
clean_pages (const char *text, size_t length, size_t *out_length)
{
    size_t n_pages = 1;
    for (size_t i = 0; i < length; i++)
        n_pages += text [i] == '\f';
    page_t *pages = ow_calloc (n_pages, sizeof (page_t));
    size_t start = 0, p = 0;
    for (size_t i = 0; i <= length; i++)
        if (i == length || text [i] == '\f') {
            page_t *page = &pages [p++];
            page->span = (ex_span_t) { start, i };
            size_t pos = start;
            ex_span_t line;
            while (ex_next_line (text, i, &pos, &line))
                if (!ex_blank (text, line)) {
                    page->first = line;
                    break;
                }
            for (size_t end = i; end > start && page->n_last < MAX_FURNITURE_LINES;) {
                ex_span_t last = ex_line_at (text, end, end - 1);
                if (last.start < start)
                    last.start = start;
                if (!ex_blank (text, last))
                    page->last [page->n_last++] = last;
                end = last.start;
            }
            start = i + 1;
        }
    GString *out = g_string_sized_new (length + 1);
    for (p = 0; p < n_pages; p++)
        put_page (out, text, pages, n_pages, p);
    g_string_append_c (out, '\n');
    free (pages);
    *out_length = out->len;
    char *result = ow_strndup (out->str, out->len);
    g_string_free (out, TRUE);
    return result;
}

//  Fewer characters than this per page on average: a scanned document.
#define MIN_TEXT_PER_PAGE 16

static char *
open_error (GError *gerror)
{
    char *error;
    if (gerror && gerror->domain == POPPLER_ERROR && gerror->code == POPPLER_ERROR_ENCRYPTED)
        error = ow_strdup ("the PDF is encrypted");
    else
        error = ow_printf ("the PDF is damaged or truncated (%s)",
                           gerror && gerror->message ? gerror->message : "poppler cannot open it");
    return error;
}

char *
ex_pdf_text (const uint8_t *bytes, size_t size, size_t *length, char **error)
{
    GBytes *gbytes = g_bytes_new (bytes, size);
    GError *gerror = NULL;
    PopplerDocument *document = poppler_document_new_from_bytes (gbytes, NULL, &gerror);
    g_bytes_unref (gbytes);
    if (!document) {
        *error = open_error (gerror);
        g_clear_error (&gerror);
        return NULL;
    }
    int pages = poppler_document_get_n_pages (document);
    if (pages <= 0) {
        g_object_unref (document);
        *error = ow_strdup ("the PDF has no pages");
        return NULL;
    }
    GString *text = g_string_sized_new (4096 * (size_t) pages);
    for (int i = 0; i < pages; i++) {
        PopplerPage *page = poppler_document_get_page (document, i);
        char *page_text = page ? poppler_page_get_text (page) : NULL;
        if (i)
            g_string_append_c (text, '\f');
        if (page_text)
            g_string_append (text, page_text);
        g_free (page_text);
        if (page)
            g_object_unref (page);
    }
    g_object_unref (document);
    size_t visible = 0;
    for (size_t i = 0; i < text->len; i++)
        if ((unsigned char) text->str [i] > ' ')
            visible++;
    if (visible < MIN_TEXT_PER_PAGE * (size_t) pages) {
        g_string_free (text, TRUE);
        *error = ow_strdup (visible ? "the PDF holds images with next to no text (scanned?); "
                                      "ofwatch does not read scans"
                                    : "the PDF holds no text (scanned images?); "
                                      "ofwatch does not read scans");
        return NULL;
    }
    char *result = clean_pages (text->str, text->len, length);
    g_string_free (text, TRUE);
    return result;
}
