/*  ofwatch export summary — one row per authority for its latest full
    inspection, as CSV (CONTRACTS.md section 6) or JSON lines.

    The columns are SummaryRow's fields in order (proto/ofwatch/v1/
    analytics.proto), so the header is written from its descriptor and a
    column added there appears here by itself. Values come from analytics
    already written as the community sheet writes them; fields holding a
    comma, a quote or a line break are quoted (RFC 4180).
*/

#include "cli.h"

#include <getopt.h>

static void
write_field (const char *value)
{
    if (!strpbrk (value, ",\"\r\n")) {
        fputs (value, stdout);
        return;
    }
    putchar ('"');
    for (const char *c = value; *c; c++) {
        if (*c == '"')
            putchar ('"');
        putchar (*c);
    }
    putchar ('"');
}

static void
write_csv (const Ofwatch__V1__Summary *summary)
{
    const ProtobufCMessageDescriptor *d = &ofwatch__v1__summary_row__descriptor;
    for (unsigned f = 0; f < d->n_fields; f++)
        printf ("%s%s", f ? "," : "", d->fields [f].name);
    putchar ('\n');
    for (size_t r = 0; r < summary->n_rows; r++) {
        const char *row = (const char *) summary->rows [r];
        for (unsigned f = 0; f < d->n_fields; f++) {
            //  Every column is a string field.
            const char *value = *(char *const *) (row + d->fields [f].offset);
            if (f)
                putchar (',');
            write_field (value ? value : "");
        }
        putchar ('\n');
    }
}

int
cli_export (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "format", required_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 }
    };
    const char *format = "csv";
    int option;
    while ((option = getopt_long (argc, argv, "f:", options, NULL)) != -1) {
        if (option != 'f')
            return 2;
        format = optarg;
    }
    if (optind != argc - 1 || strcmp (argv [optind], "summary") != 0) {
        cli_fail ("export knows one table: export summary [--format csv|json]");
        return 2;
    }
    if (strcmp (format, "csv") != 0 && strcmp (format, "json") != 0) {
        cli_fail ("--format is csv or json, not \"%s\"", format);
        return 2;
    }
    Ofwatch__V1__SummaryQuery query = OFWATCH__V1__SUMMARY_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SUMMARY;
    request.summary = &query;
    Ofwatch__V1__Reply *reply = cli_ask_analytics (cli, &request,
                                                   OFWATCH__V1__REPLY__BODY_SUMMARY,
                                                   "export summary");
    if (!reply)
        return 1;
    if (strcmp (format, "csv") == 0)
        write_csv (reply->summary);
    else
        for (size_t r = 0; r < reply->summary->n_rows; r++)
            cli_print_json (&reply->summary->rows [r]->base);
    ow_pb_free (&reply);
    return 0;
}
