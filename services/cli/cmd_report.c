/*  ofwatch report — one self-contained HTML page with inline SVG: an
    authority's report, or England's ("national"), as analytics draws it
    (the same page its HTTP server serves).
*/

#include "cli.h"

#include <errno.h>
#include <getopt.h>

static bool
write_page (const char *path, const char *html)
{
    if (strcmp (path, "-") == 0)
        return fputs (html, stdout) >= 0;
    FILE *file = fopen (path, "w");
    if (!file) {
        cli_fail ("%s: %s", path, strerror (errno));
        return false;
    }
    bool ok = fputs (html, file) >= 0;
    ok = fclose (file) == 0 && ok;
    if (!ok)
        cli_fail ("%s: cannot write the page", path);
    return ok;
}

int
cli_report (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 }
    };
    const char *output = "-";
    int option;
    while ((option = getopt_long (argc, argv, "o:", options, NULL)) != -1) {
        if (option != 'o')
            return 2;
        output = optarg;
    }
    if (optind != argc - 1) {
        cli_fail ("report needs one AUTHORITY (ONS code, DfE code, URN or name) or \"national\"");
        return 2;
    }
    Ofwatch__V1__ReportQuery query = OFWATCH__V1__REPORT_QUERY__INIT;
    query.national = strcmp (argv [optind], "national") == 0;
    query.authority = argv [optind];
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_REPORT;
    request.report = &query;
    char *what = ow_printf ("report of %s", argv [optind]);
    Ofwatch__V1__Reply *reply = cli_ask_analytics (cli, &request, OFWATCH__V1__REPLY__BODY_REPORT,
                                                   what);
    free (what);
    bool ok = reply && write_page (output, reply->report->html);
    ow_pb_free (&reply);
    return ok ? 0 : 1;
}
