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
    extract_input_t input = { (const uint8_t *) letter, strlen (letter), "letter.txt", NULL, NULL };
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
    extract_input_t input = { (const uint8_t *) letter, strlen (letter), "l.txt", "St Helens", NULL };
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
    extract_input_t input = { bytes, size, "reports/2022-09-21.pdf", NULL, NULL };
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
    extract_input_t input = { (const uint8_t *) letter, strlen (letter), "2024-12-04-x.txt", NULL, "2024-12-05" };
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
    extract_input_t input = { (const uint8_t *) page, strlen (page), "letter.pdf", NULL, NULL };
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
    };
    return cmocka_run_group_tests (tests, load_register, free_register);
}
