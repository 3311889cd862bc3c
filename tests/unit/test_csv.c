/*  ow_csv: reading what spreadsheets and the community sheet write, and
    writing what spreadsheets read back unchanged and cannot run.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ow_csv.h"
#include "ow_pb.h"

#include <stdlib.h>
#include <string.h>

//  Reads every record of text into one line per record, fields joined by
//  '|', records by '\n'; caller frees.
static char *
read_all (const char *text, size_t size)
{
    ow_csv_t *csv = ow_csv_new (text, size);
    char *out = ow_strdup ("");
    while (ow_csv_next (csv)) {
        for (size_t i = 0; i < ow_csv_count (csv); i++) {
            char *longer = ow_printf ("%s%s%s", out, i ? "|" : "", ow_csv_field (csv, i));
            free (out);
            out = longer;
        }
        char *longer = ow_printf ("%s\n", out);
        free (out);
        out = longer;
    }
    assert_null (ow_csv_error (csv));
    ow_csv_destroy (&csv);
    return out;
}

static void
test_reads_quotes_bom_crlf_and_line_breaks_in_fields (void **state)
{
    const char text [] = "\xEF\xBB\xBFurn,name,note\r\n"
                         "80474,\"Herefordshire\",\"said \"\"inadequate\"\"\"\r\n"
                         "\r\n"
                         "80560,\"St. Helens, Merseyside\",\"two\r\nlines\"\n"
                         "1,,";
    char *all = read_all (text, sizeof text - 1);
    assert_string_equal (all, "urn|name|note\n"
                              "80474|Herefordshire|said \"inadequate\"\n"
                              "80560|St. Helens, Merseyside|two\r\nlines\n"
                              "1||\n");
    free (all);
}

static void
test_finds_columns_lines_and_skips_comments (void **state)
{
    const char text [] = "# a table of ofwatch's\nurn,local_authority\n# between\n80450,london corporation\n";
    ow_csv_t *csv = ow_csv_new (text, sizeof text - 1);
    ow_csv_set_comment (csv, '#');
    assert_true (ow_csv_next (csv));
    assert_int_equal (ow_csv_find (csv, "local_authority"), 1);
    assert_int_equal (ow_csv_find (csv, "la_code"), -1);
    assert_int_equal (ow_csv_line (csv), 2);
    assert_true (ow_csv_next (csv));
    assert_int_equal (ow_csv_line (csv), 4);
    assert_string_equal (ow_csv_field (csv, 1), "london corporation");
    assert_string_equal (ow_csv_field (csv, 7), "");
    assert_false (ow_csv_next (csv));
    ow_csv_destroy (&csv);
    assert_null (csv);
}

static void
test_an_unclosed_quote_is_an_error (void **state)
{
    const char text [] = "a,\"b\nc";
    ow_csv_t *csv = ow_csv_new (text, sizeof text - 1);
    assert_false (ow_csv_next (csv));
    assert_non_null (ow_csv_error (csv));
    assert_false (ow_csv_next (csv));
    ow_csv_destroy (&csv);
}

//  What a writer wrote; caller frees.
static char *
written (void (*fill) (ow_csv_writer_t *), size_t *size)
{
    char *text = NULL;
    FILE *out = open_memstream (&text, size);
    ow_csv_writer_t *writer = ow_csv_writer_new (out);
    fill (writer);
    assert_true (ow_csv_writer_destroy (&writer));
    fclose (out);
    return text;
}

static void
fill_tricky (ow_csv_writer_t *w)
{
    ow_csv_write (w, "urn");
    ow_csv_write (w, "name");
    ow_csv_write (w, "note");
    ow_csv_end_record (w);
    ow_csv_write (w, "80560");
    ow_csv_write (w, "St. Helens, Merseyside");
    ow_csv_write (w, "said \"inadequate\"\nthen \"good\"");
    ow_csv_end_record (w);
    ow_csv_write (w, "80474");
    ow_csv_write (w, NULL);
    ow_csv_write (w, "m\xc3\xa1ire atherton");
    ow_csv_end_record (w);
}

static void
test_writes_bom_crlf_and_quotes_what_needs_it (void **state)
{
    size_t size = 0;
    char *text = written (fill_tricky, &size);
    assert_string_equal (text, "\xEF\xBB\xBFurn,name,note\r\n"
                               "80560,\"St. Helens, Merseyside\",\"said \"\"inadequate\"\"\nthen \"\"good\"\"\"\r\n"
                               "80474,,m\xc3\xa1ire atherton\r\n");
    //  And reads back as it was given.
    char *all = read_all (text, size);
    assert_string_equal (all, "urn|name|note\n"
                              "80560|St. Helens, Merseyside|said \"inadequate\"\nthen \"good\"\n"
                              "80474||m\xc3\xa1ire atherton\n");
    free (all);
    free (text);
}

static void
fill_formulas (ow_csv_writer_t *w)
{
    ow_csv_write (w, "=HYPERLINK(\"http://x.example\",\"click\")");
    ow_csv_write (w, "+cmd|' /C calc'!A0");
    ow_csv_write (w, "-2+3");
    ow_csv_write (w, "@SUM(A1)");
    ow_csv_write (w, "\tx");
    ow_csv_write (w, "lisa summers = lead");
    ow_csv_end_record (w);
}

static void
test_a_cell_that_looks_like_a_formula_is_written_as_text (void **state)
{
    size_t size = 0;
    char *text = written (fill_formulas, &size);
    assert_string_equal (text, "\xEF\xBB\xBF\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\","
                               "'+cmd|' /C calc'!A0,'-2+3,'@SUM(A1),'\tx,lisa summers = lead\r\n");
    free (text);
    assert_true (ow_csv_is_formula ("=1"));
    assert_false (ow_csv_is_formula (""));
    assert_false (ow_csv_is_formula (NULL));
    assert_false (ow_csv_is_formula ("good"));
    char *cell = ow_csv_cell ("@x");
    assert_string_equal (cell, "'@x");
    free (cell);
    cell = ow_csv_cell (NULL);
    assert_string_equal (cell, "");
    free (cell);
}

static void
test_a_failed_write_is_reported (void **state)
{
    FILE *full = fopen ("/dev/full", "w");
    if (!full) {
        printf ("SKIP: /dev/full is not there to make a write fail\n");
        skip ();
    }
    setvbuf (full, NULL, _IONBF, 0);
    ow_csv_writer_t *writer = ow_csv_writer_new (full);
    ow_csv_write (writer, "x");
    ow_csv_end_record (writer);
    assert_false (ow_csv_writer_destroy (&writer));
    fclose (full);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_reads_quotes_bom_crlf_and_line_breaks_in_fields),
        cmocka_unit_test (test_finds_columns_lines_and_skips_comments),
        cmocka_unit_test (test_an_unclosed_quote_is_an_error),
        cmocka_unit_test (test_writes_bom_crlf_and_quotes_what_needs_it),
        cmocka_unit_test (test_a_cell_that_looks_like_a_formula_is_written_as_text),
        cmocka_unit_test (test_a_failed_write_is_reported),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
