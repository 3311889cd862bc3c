/*  ofwatch extract — facts from files, offline, with ingest's own code.  */

#include "cli.h"
#include "extract.h"
#include "ow_vocab.h"

#include <getopt.h>

static void
print_summary (const Ofwatch__V1__Extraction *facts)
{
    const Ofwatch__V1__Authority *a = facts->authority;
    const char *kind = ow_doc_kind_word (facts->doc_kind);
    printf ("%s\n  authority   %s (%s)\n  kind        %s\n  published   %s\n", facts->file,
            a && *a->name ? a->name : "-", a && *a->code ? a->code : "-",
            kind ? kind : "-", *facts->published_on ? facts->published_on : "-");
    for (size_t i = 0; i < facts->n_events; i++) {
        const Ofwatch__V1__InspectionFacts *e = facts->events [i];
        const char *event_kind = ow_kind_word (e->kind);
        char *grades = cli_grades_text (e);
        printf ("  event       %s %s to %s%s%s\n", event_kind ? event_kind : "-",
                *e->start_date ? e->start_date : "?", *e->end_date ? e->end_date : "?",
                *e->lead_inspector ? ", lead inspector " : "", e->lead_inspector);
        if (*grades)
            printf ("              %s\n", grades);
        if (e->n_improvements || e->n_findings)
            printf ("              %zu to improve, %zu findings\n", e->n_improvements,
                    e->n_findings);
        free (grades);
    }
    for (size_t i = 0; i < facts->n_deadlines; i++)
        printf ("  deadline    %s due %s (%s)\n", facts->deadlines [i]->kind,
                facts->deadlines [i]->due, facts->deadlines [i]->basis);
    for (size_t i = 0; i < facts->n_warnings; i++)
        printf ("  warning     %s\n", facts->warnings [i]);
}

int
cli_extract (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 }
    };
    bool json = false;
    int option;
    while ((option = getopt_long (argc, argv, "j", options, NULL)) != -1) {
        if (option != 'j')
            return 2;
        json = true;
    }
    if (optind >= argc) {
        cli_fail ("extract needs at least one FILE");
        return 2;
    }
    const ow_register_t *reg = cli_register (cli);
    if (!reg)
        return 1;
    int rc = 0;
    for (int i = optind; i < argc; i++) {
        size_t size = 0;
        char *error = NULL;
        uint8_t *bytes = cli_read_file (argv [i], EXTRACT_MAX_DOCUMENT, &size, &error);
        Ofwatch__V1__Extraction *facts = NULL;
        if (bytes) {
            extract_input_t input = { .bytes = bytes, .size = size, .file_name = argv [i] };
            char *reason = NULL;
            facts = extract_document (reg, &input, NULL, &reason);
            if (!facts)
                error = ow_printf ("%s: %s", argv [i], reason ? reason : "nothing could be extracted");
            free (reason);
        }
        if (facts) {
            if (json)
                cli_print_json (&facts->base);
            else
                print_summary (facts);
        }
        else {
            cli_fail ("%s", error);
            rc = 1;
        }
        free (error);
        free (bytes);
        ow_pb_free (&facts);
    }
    return rc;
}
