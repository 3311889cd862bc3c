/*  The exports spreadsheets and BI tools read, from a stack holding the
    corpus's reports, the bundled samples and a records feed whose
    inspector "names" are spreadsheet formulas.

    `ofwatch export summary` is a drop-in for the community ILACS summary
    sheet: its 20 columns in its order, one row for each of the register's
    153 authorities, the register's names and codes as the sheet writes
    them, in UTF-8 with a byte order mark and CRLF, no cell a spreadsheet
    would run; the workbook (read by openpyxl) and the JSON hold the same.
    `ofwatch export history` has one row per stored inspection or visit,
    oldest first.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "it_analytics.h"
#include "it_support.h"
#include "ow_csv.h"
#include "ow_json.h"

#include <sys/stat.h>
#include <unistd.h>

#define SETTLE_MS 300000

static const char *s_sheet_columns [] = {
    "urn", "la_code", "region_code", "ltla23cd", "stat_neighbours",
    "stat_neighbour_judgement", "local_authority", "inspection_link",
    "overall_effectiveness_grade", "inspection_framework", "inspector_name",
    "inspection_start_date", "inspection_end_date", "publication_date",
    "local_link_to_all_inspections", "impact_of_leaders_grade",
    "help_and_protection_grade", "in_care_grade", "care_leavers_grade",
    "inspectors_inspections_count", NULL
};

//  A records feed about two authorities with no report in the corpus,
//  whose lead inspectors are formulas a spreadsheet would run.
static const char s_feed [] =
    "[{\"authority\": {\"code\": \"E06000053\"}, \"published_on\": \"2025-09-01\","
    "  \"events\": [{\"kind\": \"ilacs_standard\", \"start_date\": \"2025-06-02\","
    "    \"end_date\": \"2025-06-13\","
    "    \"lead_inspector\": \"=HYPERLINK(\\\"http://evil.example\\\",\\\"click\\\")\","
    "    \"judgements\": {\"leaders\": \"good\", \"help_and_protection\": \"good\","
    "      \"in_care\": \"good\", \"care_leavers\": \"good\", \"overall\": \"good\"}}]},"
    " {\"authority\": {\"code\": \"E06000017\"}, \"published_on\": \"2025-09-01\","
    "  \"events\": [{\"kind\": \"ilacs_short\", \"start_date\": \"2025-05-12\","
    "    \"end_date\": \"2025-05-16\", \"lead_inspector\": \"+cmd|' /C calc'!A0\","
    "    \"judgements\": {\"leaders\": \"outstanding\", \"help_and_protection\": \"good\","
    "      \"in_care\": \"good\", \"care_leavers\": \"good\", \"overall\": \"good\"}}]}]";

static struct {
    char *dir;                  // this test's files
    bool corpus;                // the corpus's reports were loaded
} s;

static void
run_cli (const char *arguments)
{
    int rc = -1;
    free (it_cli (arguments, &rc));
    assert_int_equal (rc, 0);
}

static int
setup (void **state)
{
    const char *top = getenv ("OFWATCH_TEST_TOP");
    s.dir = ow_strdup ("/tmp/ofwatch-exports.XXXXXX");
    assert_non_null (mkdtemp (s.dir));
    char *feed = ow_printf ("%s/formulas.json", s.dir);
    FILE *file = fopen (feed, "w");
    assert_non_null (file);
    fputs (s_feed, file);
    fclose (file);
    char *corpus = ow_printf ("%s/../shared/corpus/reports", top);
    struct stat info;
    s.corpus = stat (corpus, &info) == 0;
    if (s.corpus) {
        //  Exit 1: the corpus holds a "report not found" page, refused.
        int rc = -1;
        char *command = ow_printf ("submit '%s' >/dev/null 2>&1", corpus);
        free (it_cli (command, &rc));
        free (command);
    }
    else
        printf ("  (no corpus at %s: the samples and the feed only)\n", corpus);
    char *commands [] = {
        ow_printf ("submit '%s/samples' >/dev/null 2>&1", top),
        ow_printf ("submit '%s' >/dev/null", feed),
    };
    for (size_t i = 0; i < 2; i++) {
        run_cli (commands [i]);
        free (commands [i]);
    }
    free (corpus);
    free (feed);
    return it_analytics_settle (SETTLE_MS) ? 0 : -1;
}

static int
teardown (void **state)
{
    char *command = ow_printf ("rm -rf '%s'", s.dir);
    assert_int_equal (system (command), 0);
    free (command);
    free (s.dir);
    return 0;
}

//  Runs `ofwatch export ARGUMENTS -o DIR/NAME`; the path (caller frees).
static char *
export_to (const char *arguments, const char *name)
{
    char *path = ow_printf ("%s/%s", s.dir, name);
    char *command = ow_printf ("export %s -o '%s'", arguments, path);
    int rc = -1;
    free (it_cli (command, &rc));
    assert_int_equal (rc, 0);
    free (command);
    return path;
}

//  The value of column `name` in the current record of csv, by header.
static const char *
column (ow_csv_t *csv, char **header, size_t columns, const char *name)
{
    for (size_t c = 0; c < columns; c++)
        if (strcmp (header [c], name) == 0)
            return ow_csv_field (csv, c);
    fail_msg ("no column %s", name);
    return NULL;
}

//  A data file's rows by URN: the value of `wanted` for `urn`, or NULL.
static char *
data_value (const char *file, const char *urn, const char *wanted)
{
    ow_config_t config;
    ow_config_load (&config);
    char *path = ow_printf ("%s/%s", config.data, file), *error = NULL;
    ow_csv_t *csv = ow_csv_open (path, &error);
    assert_non_null (csv);
    ow_csv_set_comment (csv, '#');
    assert_true (ow_csv_next (csv));
    int at_urn = ow_csv_find (csv, "urn"), at = ow_csv_find (csv, wanted);
    assert_true (at_urn >= 0 && at >= 0);
    char *found = NULL;
    while (!found && ow_csv_next (csv))
        if (strcmp (ow_csv_field (csv, (size_t) at_urn), urn) == 0)
            found = ow_strdup (ow_csv_field (csv, (size_t) at));
    ow_csv_destroy (&csv);
    free (path);
    return found;
}

static char *
slurp (const char *path, size_t *size)
{
    FILE *file = fopen (path, "rb");
    assert_non_null (file);
    fseek (file, 0, SEEK_END);
    *size = (size_t) ftell (file);
    rewind (file);
    char *bytes = ow_malloc (*size + 1);
    assert_int_equal (fread (bytes, 1, *size, file), *size);
    bytes [*size] = 0;
    fclose (file);
    return bytes;
}

static void
test_the_summary_is_the_sheets_drop_in (void **state)
{
    char *path = export_to ("summary --format csv", "summary.csv");
    size_t size = 0;
    char *bytes = slurp (path, &size);
    //  UTF-8 with a byte order mark, records ended by CRLF.
    assert_memory_equal (bytes, "\xEF\xBB\xBFurn,la_code,region_code,", 26);
    assert_non_null (strstr (bytes, "inspectors_inspections_count,ons_code,region,"
                                    "inspection_kind,source_sha256\r\n"));
    ow_csv_t *csv = ow_csv_new (bytes, size);
    assert_true (ow_csv_next (csv));
    size_t columns = ow_csv_count (csv);
    char **header = ow_calloc (columns, sizeof (char *));
    for (size_t c = 0; c < columns; c++)
        header [c] = ow_strdup (ow_csv_field (csv, c));
    for (size_t c = 0; s_sheet_columns [c]; c++)
        assert_string_equal (header [c], s_sheet_columns [c]);
    size_t rows = 0, inspected = 0, formulas = 0;
    while (ow_csv_next (csv)) {
        rows++;
        const char *urn = column (csv, header, columns, "urn");
        static const char *register_columns [] = { "la_code", "region_code", "ltla23cd",
                                                   "stat_neighbours", NULL };
        for (size_t c = 0; register_columns [c]; c++) {
            char *expected = data_value ("la_lookup.csv", urn, register_columns [c]);
            assert_non_null (expected);
            assert_string_equal (column (csv, header, columns, register_columns [c]), expected);
            free (expected);
        }
        char *name = data_value ("sheet_names.csv", urn, "local_authority");
        assert_non_null (name);
        assert_string_equal (column (csv, header, columns, "local_authority"), name);
        free (name);
        //  One judgement per neighbour, in the sheet's text form.
        const char *judgements = column (csv, header, columns, "stat_neighbour_judgement");
        assert_true (judgements [0] == '[' && judgements [strlen (judgements) - 1] == ']');
        size_t pairs = 0;
        for (const char *p = strstr (judgements, ", '"); p; p = strstr (p + 1, ", '"))
            pairs++;
        size_t neighbours = 1;
        for (const char *p = column (csv, header, columns, "stat_neighbours"); *p; p++)
            neighbours += *p == ',';
        assert_int_equal (pairs, neighbours);
        inspected += *column (csv, header, columns, "source_sha256") != 0;
        for (size_t c = 0; c < columns; c++) {
            const char *value = ow_csv_field (csv, c);
            //  No cell a spreadsheet would run.
            assert_false (ow_csv_is_formula (value));
            formulas += value [0] == '\'' && ow_csv_is_formula (value + 1);
        }
        if (strcmp (urn, "80455") == 0) {       // Isles of Scilly, from the feed
            assert_string_equal (column (csv, header, columns, "inspector_name"),
                                 "'=hyperlink(\"http://evil.example\",\"click\")");
            assert_string_equal (column (csv, header, columns, "overall_effectiveness_grade"),
                                 "good");
            assert_string_equal (column (csv, header, columns, "inspection_start_date"),
                                 "02/06/2025");
        }
        if (strcmp (urn, "80547") == 0)         // Rutland
            assert_string_equal (column (csv, header, columns, "inspector_name"),
                                 "'+cmd|' /c calc'!a0");
        if (strcmp (urn, "80450") == 0)
            assert_string_equal (column (csv, header, columns, "local_authority"),
                                 "london corporation");
    }
    assert_null (ow_csv_error (csv));
    printf ("  export summary: %zu rows, %zu with an inspection, %zu formulas made text\n",
            rows, inspected, formulas);
    assert_int_equal (rows, 153);
    assert_int_equal (formulas, 2);
    assert_true (inspected >= (s.corpus ? 75u : 4u));
    for (size_t c = 0; c < columns; c++)
        free (header [c]);
    free (header);
    ow_csv_destroy (&csv);
    free (bytes);
    free (path);
}

//  inspectors_inspections_count is how many rows name the same lead.
static void
test_inspector_counts_are_the_rows_naming_them (void **state)
{
    char *path = export_to ("summary", "counts.csv");
    char *error = NULL;
    ow_csv_t *csv = ow_csv_open (path, &error);
    assert_non_null (csv);
    assert_true (ow_csv_next (csv));
    size_t name_at = (size_t) ow_csv_find (csv, "inspector_name");
    size_t count_at = (size_t) ow_csv_find (csv, "inspectors_inspections_count");
    char *names [200], *counts [200];
    size_t n = 0;
    while (ow_csv_next (csv) && n < 200) {
        names [n] = ow_strdup (ow_csv_field (csv, name_at));
        counts [n++] = ow_strdup (ow_csv_field (csv, count_at));
    }
    size_t named = 0;
    for (size_t i = 0; i < n; i++) {
        size_t same = 0;
        for (size_t j = 0; j < n; j++)
            same += strcmp (names [i], names [j]) == 0;
        char expected [16] = "";
        if (*names [i]) {
            snprintf (expected, sizeof expected, "%zu", same);
            named++;
        }
        assert_string_equal (counts [i], expected);
    }
    assert_true (named >= 4);
    for (size_t i = 0; i < n; i++) {
        free (names [i]);
        free (counts [i]);
    }
    ow_csv_destroy (&csv);
    free (path);
}

static void
compare_workbook (const char *book, const char *table, const char *sheet)
{
    const char *top = getenv ("OFWATCH_TEST_TOP");
    char *command = ow_printf ("/usr/bin/python3 '%s/tests/integration/compare_xlsx.py' "
                               "'%s' '%s' '%s'", top, book, table, sheet);
    int rc = system (command);
    free (command);
    assert_int_equal (rc, 0);
}

static void
test_the_workbook_holds_the_same_rows (void **state)
{
    char *csv = export_to ("summary --format csv", "book.csv");
    char *book = export_to ("summary --format xlsx", "summary.xlsx");
    compare_workbook (book, csv, "ofsted_cs_inspections_overview");
    //  Without -o the workbook goes to stdout (not a terminal here).
    int rc = -1;
    char *command = ow_printf ("export summary --format xlsx > '%s/piped.xlsx'", s.dir);
    free (it_cli (command, &rc));
    assert_int_equal (rc, 0);
    char *piped = ow_printf ("%s/piped.xlsx", s.dir);
    compare_workbook (piped, csv, "ofsted_cs_inspections_overview");
    free (piped);
    free (command);
    free (book);
    free (csv);
}

static void
test_json_has_one_object_per_row (void **state)
{
    int rc = -1;
    char *out = it_cli ("export summary --format json", &rc);
    assert_int_equal (rc, 0);
    size_t lines = 0, named = 0;
    for (char *line = out, *end; *line; line = end + 1) {
        end = strchr (line, '\n');
        assert_non_null (end);
        char *error = NULL;
        json_t *row = ow_json_parse (line, (size_t) (end - line), &error);
        assert_non_null (row);
        assert_non_null (ow_json_get_string (row, "urn"));
        assert_non_null (ow_json_get_string (row, "local_authority"));
        //  JSON is not a spreadsheet: the value as it is.
        named += ow_json_get_string (row, "inspector_name")
              && strcmp (ow_json_get_string (row, "inspector_name"),
                         "=hyperlink(\"http://evil.example\",\"click\")") == 0;
        json_decref (row);
        lines++;
    }
    assert_int_equal (lines, 153);
    assert_int_equal (named, 1);
    free (out);
}

//  The number PostgreSQL holds of what a query counts.
static long
count_in_database (const char *query)
{
    char *command = ow_printf ("psql '%s' -Atc '%s'", getenv ("OFWATCH_PG"), query);
    FILE *pipe = popen (command, "r");
    free (command);
    assert_non_null (pipe);
    long count = -1;
    assert_int_equal (fscanf (pipe, "%ld", &count), 1);
    pclose (pipe);
    return count;
}

//  dd/mm/yyyy as yyyymmdd, or 0.
static long
sortable (const char *day)
{
    int d, m, y;
    return sscanf (day, "%d/%d/%d", &d, &m, &y) == 3 ? y * 10000L + m * 100 + d : 0;
}

static void
test_history_has_one_row_per_inspection_or_visit (void **state)
{
    char *path = export_to ("history --format csv", "history.csv");
    char *error = NULL;
    ow_csv_t *csv = ow_csv_open (path, &error);
    assert_non_null (csv);
    assert_true (ow_csv_next (csv));
    static const char *first [] = { "urn", "local_authority", "inspection_link",
                                    "publication_date", "inspection_framework" };
    for (size_t c = 0; c < 5; c++)
        assert_string_equal (ow_csv_field (csv, c), first [c]);
    size_t kind_at = (size_t) ow_csv_find (csv, "inspection_kind");
    size_t start_at = (size_t) ow_csv_find (csv, "inspection_start_date");
    size_t rows = 0, visits = 0;
    long last = 0;
    bool ordered = true;
    while (ow_csv_next (csv)) {
        rows++;
        const char *kind = ow_csv_field (csv, kind_at);
        visits += strstr (kind, "visit") != NULL;
        long day = sortable (ow_csv_field (csv, start_at));
        if (day) {
            ordered &= day >= last;
            last = day;
        }
    }
    long stored = count_in_database ("select count(*) from inspection");
    printf ("  export history: %zu rows (%zu visits); %ld inspections and visits stored\n",
            rows, visits, stored);
    assert_int_equal ((long) rows, stored);
    assert_true (visits >= 1);              // the samples' monitoring visit at least
    assert_true (ordered);
    char *book = export_to ("history --format xlsx", "history.xlsx");
    compare_workbook (book, path, "ofsted_cs_inspections_history");
    free (book);
    ow_csv_destroy (&csv);
    free (path);
}

static void
test_bad_requests_say_why_and_write_nothing (void **state)
{
    int rc = -1;
    char *command = ow_printf ("export summary --format pdf -o '%s/x.pdf' 2>&1", s.dir);
    char *out = it_cli (command, &rc);
    assert_int_equal (rc, 2);
    assert_non_null (strstr (out, "--format is csv, xlsx or json"));
    free (out);
    free (command);
    char *never = ow_printf ("%s/x.pdf", s.dir);
    assert_int_equal (access (never, F_OK), -1);
    free (never);
    out = it_cli ("export everything 2>&1", &rc);
    assert_int_equal (rc, 2);
    assert_non_null (strstr (out, "export summary|history"));
    free (out);
    out = it_cli ("export summary -o /nonexistent/dir/x.csv 2>&1", &rc);
    assert_int_equal (rc, 1);
    assert_non_null (strstr (out, "cannot write /nonexistent/dir/x.csv"));
    free (out);
}

//  Every line of `ofwatch events` says what happened, not only its type:
//  recurring themes with their findings and dates, overdue visits with
//  their days.
static void
test_every_event_line_says_what_happened (void **state)
{
    int rc = -1;
    char *out = it_cli ("events --from 1", &rc);
    assert_int_equal (rc, 0);
    size_t lines = 0, recurring = 0, overdue = 0;
    for (char *line = out, *end; *line; line = end + 1) {
        end = strchr (line, '\n');
        assert_non_null (end);
        *end = 0;
        //  seq, day, type, authority, then what happened.
        if (strlen (line) < 56 || line [53] == ' ')
            fail_msg ("an event line says nothing: %s", line);
        if (strstr (line, " theme.recurring ")) {
            recurring++;
            assert_non_null (strstr (line, " weaknesses, "));
            assert_non_null (strstr (line, " inspections or visits: "));
        }
        if (strstr (line, " visit.overdue ")) {
            overdue++;
            assert_non_null (strstr (line, "no monitoring visit for "));
        }
        lines++;
    }
    printf ("  events: %zu lines, %zu theme.recurring, %zu visit.overdue\n", lines, recurring,
            overdue);
    assert_true (recurring >= 1);
    free (out);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_the_summary_is_the_sheets_drop_in),
        cmocka_unit_test (test_inspector_counts_are_the_rows_naming_them),
        cmocka_unit_test (test_the_workbook_holds_the_same_rows),
        cmocka_unit_test (test_json_has_one_object_per_row),
        cmocka_unit_test (test_history_has_one_row_per_inspection_or_visit),
        cmocka_unit_test (test_bad_requests_say_why_and_write_nothing),
        cmocka_unit_test (test_every_event_line_says_what_happened),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
