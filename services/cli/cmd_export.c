/*  ofwatch export summary|history — the tables spreadsheets and BI tools
    read (README.md, "The exports"), as CSV, JSON lines or an Excel
    workbook, on stdout or into -o FILE.

    A table's columns are its row message's fields in order (SummaryRow,
    HistoryRow in proto/ofwatch/v1/analytics.proto), every one a string,
    so the header is written from the descriptor and a column added there
    appears here by itself. Values come from analytics already written as
    the community sheet writes them. CSV goes through ow_csv's writer (a
    byte order mark, CRLF, RFC 4180 quoting, formula-looking cells made
    text); the workbook holds the same cells, made safe the same way, and
    whole numbers (URNs, LA codes, counts) as numbers, as the sheet has
    them. JSON is one object per row per line, the values as analytics
    gave them.
*/

#include "cli.h"
#include "ow_csv.h"
#include "ow_pbjson.h"

#include <errno.h>

#include <ctype.h>
#include <getopt.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef struct {
    const char *name;                               // summary, history
    const char *sheet;                              // the workbook's sheet name
    const ProtobufCMessageDescriptor *row;
    Ofwatch__V1__Request__BodyCase request;
    Ofwatch__V1__Reply__BodyCase reply;
} table_t;

static const table_t s_tables [] = {
    { "summary", "ofsted_cs_inspections_overview", &ofwatch__v1__summary_row__descriptor,
      OFWATCH__V1__REQUEST__BODY_SUMMARY, OFWATCH__V1__REPLY__BODY_SUMMARY },
    { "history", "ofsted_cs_inspections_history", &ofwatch__v1__history_row__descriptor,
      OFWATCH__V1__REQUEST__BODY_HISTORY_EXPORT, OFWATCH__V1__REPLY__BODY_HISTORY_EXPORT },
};

static const char *
cell (const ProtobufCMessage *row, const ProtobufCFieldDescriptor *field)
{
    assert (field->type == PROTOBUF_C_TYPE_STRING);
    const char *value = *(char *const *) ((const char *) row + field->offset);
    return value ? value : "";
}

static bool
write_csv (FILE *out, const table_t *table, ProtobufCMessage **rows, size_t count)
{
    ow_csv_writer_t *csv = ow_csv_writer_new (out);
    for (unsigned f = 0; f < table->row->n_fields; f++)
        ow_csv_write (csv, table->row->fields [f].name);
    ow_csv_end_record (csv);
    for (size_t r = 0; r < count; r++) {
        for (unsigned f = 0; f < table->row->n_fields; f++)
            ow_csv_write (csv, cell (rows [r], &table->row->fields [f]));
        ow_csv_end_record (csv);
    }
    return ow_csv_writer_destroy (&csv);
}

static bool
write_json (FILE *out, ProtobufCMessage **rows, size_t count)
{
    for (size_t r = 0; r < count; r++) {
        char *text = ow_pbjson_text (rows [r]);
        fprintf (out, "%s\n", text);
        free (text);
    }
    return fflush (out) == 0 && !ferror (out);
}

//  "80474" is a number to a spreadsheet; "0123", "E06000019" and "" not.
static bool
whole_number (const char *text)
{
    if (!*text || (*text == '0' && text [1]) || strlen (text) > 15)
        return false;
    for (const char *c = text; *c; c++)
        if (!isdigit ((unsigned char) *c))
            return false;
    return true;
}

//  NULL, or why the workbook could not be written (caller frees).
static char *
write_xlsx (const char *path, const table_t *table, ProtobufCMessage **rows, size_t count)
{
    lxw_workbook *workbook = workbook_new (path);
    if (!workbook)
        return ow_printf ("cannot create the workbook %s", path);
    lxw_worksheet *sheet = workbook_add_worksheet (workbook, table->sheet);
    lxw_format *header = workbook_add_format (workbook);
    format_set_bold (header);
    for (unsigned f = 0; f < table->row->n_fields; f++)
        worksheet_write_string (sheet, 0, (lxw_col_t) f, table->row->fields [f].name, header);
    for (size_t r = 0; r < count; r++)
        for (unsigned f = 0; f < table->row->n_fields; f++) {
            const char *value = cell (rows [r], &table->row->fields [f]);
            lxw_row_t at = (lxw_row_t) (r + 1);
            if (!*value)
                continue;
            if (whole_number (value))
                worksheet_write_number (sheet, at, (lxw_col_t) f, strtod (value, NULL), NULL);
            else {
                char *safe = ow_csv_cell (value);
                worksheet_write_string (sheet, at, (lxw_col_t) f, safe, NULL);
                free (safe);
            }
        }
    worksheet_freeze_panes (sheet, 1, 0);
    lxw_error error = workbook_close (workbook);
    return error == LXW_NO_ERROR ? NULL
         : ow_printf ("cannot write the workbook %s: %s", path, lxw_strerror (error));
}

//  A workbook is written to a file; for stdout, to a temporary one first.
static char *
xlsx_to_stdout (const table_t *table, ProtobufCMessage **rows, size_t count)
{
    char path [] = "/tmp/ofwatch-export-XXXXXX";
    int fd = mkstemp (path);
    if (fd < 0)
        return ow_printf ("cannot make a temporary file: %s", strerror (errno));
    close (fd);
    char *error = write_xlsx (path, table, rows, count);
    size_t size = 0;
    uint8_t *bytes = error ? NULL : cli_read_file (path, SIZE_MAX / 2, &size, &error);
    if (bytes && (fwrite (bytes, 1, size, stdout) != size || fflush (stdout) != 0))
        error = ow_strdup ("cannot write the workbook to standard output");
    free (bytes);
    unlink (path);
    return error;
}

//  Writes the rows in `format` to `path` (NULL: stdout); 0, or 1 after
//  saying why not.
static int
write_table (const table_t *table, const char *format, const char *path,
             ProtobufCMessage **rows, size_t count)
{
    char *error = NULL;
    if (strcmp (format, "xlsx") == 0)
        error = path ? write_xlsx (path, table, rows, count) : xlsx_to_stdout (table, rows, count);
    else {
        FILE *out = path ? fopen (path, "wb") : stdout;
        if (!out)
            error = ow_printf ("cannot write %s: %s", path, strerror (errno));
        else {
            bool ok = strcmp (format, "csv") == 0 ? write_csv (out, table, rows, count)
                                                  : write_json (out, rows, count);
            if ((path && fclose (out) != 0) || !ok)
                error = ow_printf ("cannot write %s", path ? path : "standard output");
        }
    }
    if (error)
        cli_fail ("export %s: %s", table->name, error);
    free (error);
    return error ? 1 : 0;
}

int
cli_export (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 }
    };
    const char *format = "csv", *path = NULL;
    int option;
    while ((option = getopt_long (argc, argv, "f:o:", options, NULL)) != -1) {
        if (option == 'f')
            format = optarg;
        else if (option == 'o')
            path = optarg;
        else
            return 2;
    }
    const table_t *table = NULL;
    for (size_t i = 0; optind == argc - 1 && i < sizeof s_tables / sizeof s_tables [0]; i++)
        if (strcmp (argv [optind], s_tables [i].name) == 0)
            table = &s_tables [i];
    if (!table) {
        cli_fail ("export knows two tables: export summary|history [--format csv|xlsx|json] [-o FILE]");
        return 2;
    }
    if (strcmp (format, "csv") && strcmp (format, "json") && strcmp (format, "xlsx")) {
        cli_fail ("--format is csv, xlsx or json, not \"%s\"", format);
        return 2;
    }
    if (!path && strcmp (format, "xlsx") == 0 && isatty (STDOUT_FILENO)) {
        cli_fail ("export %s: a workbook is not for a terminal; give -o FILE.xlsx", table->name);
        return 2;
    }
    Ofwatch__V1__SummaryQuery summary = OFWATCH__V1__SUMMARY_QUERY__INIT;
    Ofwatch__V1__HistoryExportQuery history = OFWATCH__V1__HISTORY_EXPORT_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = table->request;
    if (table->request == OFWATCH__V1__REQUEST__BODY_SUMMARY)
        request.summary = &summary;
    else
        request.history_export = &history;
    char *what = ow_printf ("export %s", table->name);
    Ofwatch__V1__Reply *reply = cli_ask_analytics (cli, &request, table->reply, what);
    free (what);
    if (!reply)
        return 1;
    int rc = table->reply == OFWATCH__V1__REPLY__BODY_SUMMARY
        ? write_table (table, format, path, (ProtobufCMessage **) reply->summary->rows,
                       reply->summary->n_rows)
        : write_table (table, format, path, (ProtobufCMessage **) reply->history_export->rows,
                       reply->history_export->n_rows);
    ow_pb_free (&reply);
    return rc;
}
