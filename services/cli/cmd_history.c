/*  ofwatch history — every inspection, visit, judgement and deadline of
    one authority, oldest first.
*/

#include "cli.h"
#include "ow_vocab.h"

#include <getopt.h>

static void
print_history (const Ofwatch__V1__HistoryReply *history)
{
    const Ofwatch__V1__Authority *a = history->authority;
    printf ("%s (%s), DfE %s, URN %s\n\n", a->name, a->code, a->la_code,
            *a->urn ? a->urn : "-");
    printf ("%-10s  %-10s  %-22s  %5s  %-10s  %-20s  %s\n", "START", "END", "KIND", "VISIT",
            "PUBLISHED", "OVERALL", "LEAD INSPECTOR");
    for (size_t i = 0; i < history->n_inspections; i++) {
        const Ofwatch__V1__InspectionFacts *e = history->inspections [i];
        const char *overall = NULL;
        for (size_t j = 0; j < e->n_judgements; j++)
            if (strcmp (e->judgements [j]->key, "overall") == 0)
                overall = ow_grade_word (e->judgements [j]->value);
        char visit [16] = "-";
        if (e->visit_number > 0)
            snprintf (visit, sizeof visit, "%d", e->visit_number);
        const char *kind = ow_kind_word (e->kind);
        printf ("%-10s  %-10s  %-22s  %5s  %-10s  %-20s  %s\n",
                *e->start_date ? e->start_date : "-", *e->end_date ? e->end_date : "-",
                kind ? kind : "-", visit, *e->published_on ? e->published_on : "-",
                overall ? overall : "-", *e->lead_inspector ? e->lead_inspector : "-");
        for (size_t j = 0; j < e->n_judgements; j++) {
            if (strcmp (e->judgements [j]->key, "overall") == 0)
                continue;
            const char *grade = ow_grade_word (e->judgements [j]->value);
            printf ("%12s%-34s %s\n", "", e->judgements [j]->key, grade ? grade : "-");
        }
    }
    if (history->n_deadlines)
        printf ("\n%-14s  %-10s  %s\n", "DEADLINE", "DUE", "BASIS");
    for (size_t i = 0; i < history->n_deadlines; i++)
        printf ("%-14s  %-10s  %s\n", history->deadlines [i]->kind, history->deadlines [i]->due,
                history->deadlines [i]->basis);
}

int
cli_history (cli_t *cli, int argc, char **argv)
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
    if (optind != argc - 1) {
        cli_fail ("history needs one AUTHORITY (ONS code, DfE code, URN or name)");
        return 2;
    }
    Ofwatch__V1__HistoryQuery query = OFWATCH__V1__HISTORY_QUERY__INIT;
    query.authority = argv [optind];
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HISTORY;
    request.history = &query;
    ow_client_t *store = cli_client (cli->config.store, "store");
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (store, &request, 10000, &error);
    ow_client_destroy (&store);
    const char *problem = reply ? cli_reply_problem (reply, OFWATCH__V1__REPLY__BODY_HISTORY)
                                : error;
    int rc = 0;
    if (problem) {
        cli_fail ("history of %s: %s", argv [optind], problem);
        rc = 1;
    }
    else if (json)
        cli_print_json (&reply->history->base);
    else
        print_history (reply->history);
    free (error);
    ow_pb_free (&reply);
    return rc;
}
