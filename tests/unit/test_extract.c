/*  test_extract — extract_document's contract for any input: media types
    by content, text decoding, and one clear error (never a crash) for
    what cannot be read.
*/

#include "test_extract_support.h"

static void
test_empty_file_is_refused (void **state)
{
    (void) state;
    char *error = extract_refused ((const uint8_t *) "", 0, "empty.txt");
    assert_string_equal (error, "the file is empty");
    free (error);
}

static void
test_file_over_the_limit_is_refused (void **state)
{
    (void) state;
    //  The size is checked before a byte is read.
    static const uint8_t byte = 'x';
    char *error = extract_refused (&byte, EXTRACT_MAX_DOCUMENT + 1, "huge.pdf");
    assert_non_null (strstr (error, "over the limit of 64 MiB"));
    free (error);
}

static void
test_binary_garbage_is_refused (void **state)
{
    (void) state;
    uint8_t garbage [4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof garbage; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        garbage [i] = (uint8_t) x;
    }
    char *error = extract_refused (garbage, sizeof garbage, "garbage.bin");
    assert_non_null (strstr (error, "binary"));
    free (error);
}

static void
test_invalid_utf8_is_refused (void **state)
{
    (void) state;
    //  Valid UTF-8 (’) and a stray continuation byte: damaged, not 1252.
    const char *text = "Monitoring visit to Herefordshire children\xE2\x80\x99s services \x80\x80 here";
    char *error = extract_refused ((const uint8_t *) text, strlen (text), "mixed.txt");
    assert_non_null (strstr (error, "UTF-8"));
    free (error);
}

static void
test_windows_1252_is_converted (void **state)
{
    (void) state;
    const char *letter =
        "4 December 2024\n\nMonitoring visit to Herefordshire children\x92s services\n\n"
        "This letter summarises the findings of the monitoring visit to Herefordshire "
        "children\x92s services on 22 and 23 October 2024. His Majesty\x92s Inspectors for "
        "this visit were Alison Smale and Ceri Evans.\n";
    extract_input_t input = { (const uint8_t *) letter, strlen (letter), "letter.txt", NULL, NULL, false };
    char *text = NULL, *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, &text, &error);
    if (!x)
        fail_msg ("refused: %s", error);
    assert_non_null (strstr (text, "children\xE2\x80\x99s services"));
    assert_string_equal (x->media_type, "text/plain");
    assert_string_equal (x->authority->code, "E06000019");
    assert_string_equal (x->events [0]->start_date, "2024-10-22");
    free (text);
    ow_pb_free (&x);
}

static void
test_unknown_authority_is_refused (void **state)
{
    (void) state;
    const char *letter =
        "Monitoring visit to Atlantis children's services\n\nThis letter summarises the "
        "findings of the monitoring visit on 22 and 23 October 2024.\n";
    char *error = extract_refused ((const uint8_t *) letter, strlen (letter), "atlantis.txt");
    assert_non_null (strstr (error, "no local authority"));
    free (error);
}

static void
test_declared_authority_is_only_a_fallback (void **state)
{
    (void) state;
    const char *letter =
        "Monitoring visit to Herefordshire children's services\n\nThis letter summarises "
        "the findings of the monitoring visit on 22 and 23 October 2024.\n";
    extract_input_t input = { (const uint8_t *) letter, strlen (letter), "l.txt", "St Helens", NULL, false };
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, NULL, &error);
    assert_non_null (x);
    assert_string_equal (x->authority->code, "E06000019");
    ow_pb_free (&x);

    const char *anonymous = "Monitoring visit to the council's children's services\n\n"
        "This letter summarises the findings of the monitoring visit on 22 and 23 October 2024.\n";
    input.bytes = (const uint8_t *) anonymous;
    input.size = strlen (anonymous);
    x = extract_document (s_register, &input, NULL, &error);
    assert_non_null (x);
    assert_string_equal (x->authority->code, "E08000013");
    assert_true (x->n_warnings >= 1);
    ow_pb_free (&x);
}

static void
test_truncated_pdf_is_refused (void **state)
{
    (void) state;
    size_t size = 0;
    uint8_t *bytes = read_file ("samples/herefordshire/2022-09-21.pdf", &size);
    assert_non_null (bytes);
    char *error = extract_refused (bytes, 3000, "truncated.pdf");
    assert_non_null (strstr (error, "PDF"));
    free (error);
    free (bytes);
}

static void
test_encrypted_pdf_is_refused (void **state)
{
    (void) state;
    size_t size = 0;
    uint8_t *bytes = read_file ("tests/fixtures/encrypted.pdf", &size);
    assert_non_null (bytes);
    char *error = extract_refused (bytes, size, "encrypted.pdf");
    assert_string_equal (error, "the PDF is encrypted");
    free (error);
    free (bytes);
}

static void
test_image_only_pdf_is_refused (void **state)
{
    (void) state;
    size_t size = 0;
    uint8_t *bytes = read_file ("tests/fixtures/image-only.pdf", &size);
    assert_non_null (bytes);
    char *error = extract_refused (bytes, size, "scan.pdf");
    assert_non_null (strstr (error, "scan"));
    free (error);
    free (bytes);
}

static void
test_report_not_found_page_is_refused_by_content (void **state)
{
    (void) state;
    //  An HTML page with a report's name: recognised by what it says.
    size_t size = 0;
    uint8_t *bytes = read_file ("tests/fixtures/report-not-found-2012-08-17.pdf", &size);
    assert_non_null (bytes);
    char *error = extract_refused (bytes, size, "80490-bromley/2012-08-17.pdf");
    assert_non_null (strstr (error, "Report not found"));
    free (error);
    free (bytes);
}

static void
test_text_pdf_is_read (void **state)
{
    (void) state;
    size_t size = 0;
    uint8_t *bytes = read_file ("tests/fixtures/text.pdf", &size);
    assert_non_null (bytes);
    extract_input_t input = { bytes, size, "reports/2022-09-21.pdf", NULL, NULL, false };
    char *text = NULL, *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, &text, &error);
    if (!x)
        fail_msg ("refused: %s", error);
    assert_string_equal (x->media_type, "application/pdf");
    assert_string_equal (ow_doc_kind_word (x->doc_kind), "inspection_report");
    assert_string_equal (x->authority->code, "E06000019");
    //  Nothing printed: the date is the file name's.
    assert_string_equal (x->published_on, "2022-09-21");
    assert_int_equal (strlen (x->sha256), 64);
    assert_non_null (strstr (text, "Herefordshire"));
    free (text);
    free (bytes);
    ow_pb_free (&x);
}

static void
test_publication_date_fallbacks (void **state)
{
    (void) state;
    const char *letter = "Monitoring visit to Herefordshire children's services\n";
    extract_input_t input = { (const uint8_t *) letter, strlen (letter), "2024-12-04-x.txt", NULL, "2024-12-05", false };
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, NULL, &error);
    assert_non_null (x);
    assert_string_equal (x->published_on, "2024-12-05");      //  declared beats the name
    ow_pb_free (&x);
    input.declared_published = NULL;
    x = extract_document (s_register, &input, NULL, &error);
    assert_string_equal (x->published_on, "2024-12-04");
    ow_pb_free (&x);
    const char *dated = "4 December 2024\n\nMonitoring visit to Herefordshire children's services\n";
    input.bytes = (const uint8_t *) dated;
    input.size = strlen (dated);
    input.declared_published = "2020-01-01";
    x = extract_document (s_register, &input, NULL, &error);
    assert_string_equal (x->published_on, "2024-12-04");      //  printed beats both
    ow_pb_free (&x);
}

static void
test_html_is_read_as_text (void **state)
{
    (void) state;
    const char *page =
        "<!DOCTYPE html><html><head><title>Letter</title><style>p{}</style></head><body>"
        "<p>4 December 2024</p><h1>Monitoring visit to Herefordshire children&rsquo;s services</h1>"
        "<p>This letter summarises the findings of the monitoring visit to Herefordshire "
        "children&#8217;s services on 22 and 23&nbsp;October 2024. This was the fifth "
        "monitoring visit.</p><script>var x = '<p>';</script></body></html>";
    extract_input_t input = { (const uint8_t *) page, strlen (page), "letter.pdf", NULL, NULL, false };
    char *text = NULL, *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, &text, &error);
    if (!x)
        fail_msg ("refused: %s", error);
    assert_string_equal (x->media_type, "text/html");
    assert_null (strstr (text, "<p>"));
    assert_null (strstr (text, "var x"));
    assert_non_null (strstr (text, "children\xE2\x80\x99s services on 22 and 23 October 2024."));
    assert_int_equal (x->events [0]->visit_number, 5);
    free (text);
    ow_pb_free (&x);
}

//  Decodes bytes as extraction does and returns the text (caller frees).
static char *
decoded (const char *bytes, size_t size, const char *name, const char **media_type)
{
    extract_input_t input = { (const uint8_t *) bytes, size, name, NULL, NULL, false };
    size_t length = 0;
    char *error = NULL;
    char *text = extract_decode (&input, media_type, &length, &error);
    if (!text)
        fail_msg ("%s: %s", name, error);
    assert_int_equal (strlen (text), length);
    return text;
}

static void
test_html_structure_through_libxml2 (void **state)
{
    (void) state;
    //  Unclosed paragraphs and list items, a table, a comment, entities
    //  named and numeric: the tree a browser builds, written as lines.
    const char *page =
        "<!DOCTYPE html><html><head><title>Cabinet - 22 June 2023</title>"
        "<script>var p = '<p>';</script></head><body><!-- nav --><nav><ul><li>Home<li>Meetings"
        "</ul></nav><h2>What needs to improve</h2>"
        "<ul><li>The quality of supervision.<li>Life-story work &amp; direct work.</ul>"
        "<p>Children&#8217;s services were judged inadequate in July&nbsp;2022.<p>Second"
        "<table><tr><th>Judgement<th>Grade<tr><td>Overall effectiveness<td>Inadequate</table>"
        "</body></html>";
    const char *media_type = NULL;
    char *text = decoded (page, strlen (page), "page.html", &media_type);
    assert_string_equal (media_type, "text/html");
    assert_non_null (strstr (text, "Cabinet - 22 June 2023\n"));
    assert_non_null (strstr (text, "\n\xE2\x80\xA2 The quality of supervision.\n"
                                   "\xE2\x80\xA2 Life-story work & direct work.\n"));
    assert_non_null (strstr (text, "\nChildren\xE2\x80\x99s services were judged inadequate in July 2022.\n"));
    assert_non_null (strstr (text, "\nJudgement\tGrade\nOverall effectiveness\tInadequate\n"));
    assert_null (strstr (text, "var p"));
    assert_null (strstr (text, "nav"));
    assert_null (strstr (text, "Meetings"));
    free (text);
}

static void
test_html_in_its_declared_charset (void **state)
{
    (void) state;
    //  Windows-1252 declared: 0x92 is a right quote, 0x96 an en dash.
    const char *declared =
        "<html><head><meta charset=\"windows-1252\"></head><body>"
        "<p>Children\x92s services, 10 \x96 12 August 2020</p></body></html>";
    const char *media_type = NULL;
    char *text = decoded (declared, strlen (declared), "page.html", &media_type);
    assert_non_null (strstr (text, "Children\xE2\x80\x99s services, 10 \xE2\x80\x93 12 August 2020"));
    free (text);
    //  Nothing declared, not UTF-8: Windows-1252, the old councils' own.
    const char *undeclared = "<html><body><p>Caf\xE9 and children\x92s services</p></body></html>";
    text = decoded (undeclared, strlen (undeclared), "page.html", &media_type);
    assert_non_null (strstr (text, "Caf\xC3\xA9 and children\xE2\x80\x99s services"));
    free (text);
    //  UTF-8 with nothing declared stays UTF-8.
    const char *utf8 = "<html><body><p>Caf\xC3\xA9 \xE2\x80\x93 children\xE2\x80\x99s</p></body></html>";
    text = decoded (utf8, strlen (utf8), "page.html", &media_type);
    assert_non_null (strstr (text, "Caf\xC3\xA9 \xE2\x80\x93 children\xE2\x80\x99s"));
    free (text);
}

static void
test_text_in_legacy_encodings (void **state)
{
    (void) state;
    const char *media_type = NULL;
    //  UTF-16, little-endian, with its byte order mark.
    static const char utf16 [] = "\xFF\xFE" "C\0a\0f\0\xE9\0\n\0";
    char *text = decoded (utf16, sizeof utf16 - 1, "notes.txt", &media_type);
    assert_string_equal (text, "Caf\xC3\xA9\n");
    free (text);
    //  ISO-8859-1 where Windows-1252 has no character (0x81), CRLF lines.
    const char *latin1 = "Caf\xE9\x81\r\nnext\r\n";
    text = decoded (latin1, strlen (latin1), "notes.txt", &media_type);
    assert_string_equal (text, "Caf\xC3\xA9\xC2\x81\nnext\n");
    free (text);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_empty_file_is_refused),
        cmocka_unit_test (test_file_over_the_limit_is_refused),
        cmocka_unit_test (test_binary_garbage_is_refused),
        cmocka_unit_test (test_invalid_utf8_is_refused),
        cmocka_unit_test (test_windows_1252_is_converted),
        cmocka_unit_test (test_unknown_authority_is_refused),
        cmocka_unit_test (test_declared_authority_is_only_a_fallback),
        cmocka_unit_test (test_truncated_pdf_is_refused),
        cmocka_unit_test (test_encrypted_pdf_is_refused),
        cmocka_unit_test (test_image_only_pdf_is_refused),
        cmocka_unit_test (test_report_not_found_page_is_refused_by_content),
        cmocka_unit_test (test_text_pdf_is_read),
        cmocka_unit_test (test_publication_date_fallbacks),
        cmocka_unit_test (test_html_is_read_as_text),
        cmocka_unit_test (test_html_structure_through_libxml2),
        cmocka_unit_test (test_html_in_its_declared_charset),
        cmocka_unit_test (test_text_in_legacy_encodings),
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
