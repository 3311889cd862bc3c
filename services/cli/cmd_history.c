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
        //  An area SEND inspection has an outcome where others have an
        //  overall grade.
        const char *overall = e->outcome
            ? ow_vocab_word (&ofwatch__v1__send_outcome__descriptor, e->outcome) : NULL;
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

//  Where the authority stands now (analytics' state).
static void
print_state (const Ofwatch__V1__AuthorityState *s)
{
    printf ("\nSTATE as of %s\n", s->as_of);
    for (size_t i = 0; i < s->n_areas; i++)
        printf ("  %-26s  %-20s  since %s\n", s->areas [i]->area,
                ow_grade_word (s->areas [i]->grade), s->areas [i]->since);
    if (s->inadequate)
        printf ("  %-26s  since %s: %u months; %u monitoring visits since, the last ending %s\n",
                "inadequate", s->inadequate_since, s->months_inadequate, s->monitoring_visits,
                *s->last_visit ? s->last_visit : "-");
    if (s->next)
        printf ("  %-26s  %s between %s and %s%s\n  %-26s  (%s)\n", "expected next",
                ow_kind_word (s->next->kind), s->next->earliest, s->next->latest,
                s->next->overdue ? ", overdue" : "", "", s->next->rule);
    if (s->send_outcome)
        printf ("  %-26s  %s (%s of %s)\n", "area SEND",
                ow_vocab_word (&ofwatch__v1__send_outcome__descriptor, s->send_outcome),
                ow_kind_word (s->send_kind), s->send_inspected_on);
    if (s->send_next)
        printf ("  %-26s  %s by %s\n  %-26s  (%s)\n", "area SEND next",
                ow_kind_word (s->send_next->kind), s->send_next->latest, "", s->send_next->rule);
    for (size_t i = 0; i < s->n_spells; i++)
        if (!s->spells [i]->ongoing)
            printf ("  %-26s  from %s to %s: %u months\n", "was inadequate",
                    s->spells [i]->from, s->spells [i]->to, s->spells [i]->months);
    for (size_t i = 0; i < s->n_open_deadlines; i++)
        printf ("  %-26s  %s due %s\n", "open deadline", s->open_deadlines [i]->kind,
                s->open_deadlines [i]->due);
    for (size_t i = 0; i < s->n_recurring; i++) {
        const Ofwatch__V1__ThemeRecurring *r = s->recurring [i];
        printf ("  %-26s  %s, %zu findings:\n", "recurring weakness", ow_theme_word (r->theme),
                r->n_occurrences);
        for (size_t j = 0; j < r->n_occurrences; j++)
            printf ("  %-26s    %s  %.90s  [%.12s]\n", "", r->occurrences [j]->date,
                    r->occurrences [j]->text, r->occurrences [j]->source_sha256);
    }
}

int
cli_history (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "json", no_argument, NULL, 'j' },
        { "sources", no_argument, NULL, 's' },
        { NULL, 0, NULL, 0 }
    };
    bool json = false, sources = false;
    int option;
    while ((option = getopt_long (argc, argv, "js", options, NULL)) != -1) {
        if (option == 'j')
            json = true;
        else if (option == 's')
            sources = true;
        else
            return 2;
    }
    if (optind != argc - 1) {
        cli_fail ("history needs one AUTHORITY (ONS code, DfE code, URN or name)");
        return 2;
    }
    //  Analytics answers with store's history and the authority's state.
    Ofwatch__V1__HistoryQuery query = OFWATCH__V1__HISTORY_QUERY__INIT;
    query.authority = argv [optind];
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_AUTHORITY_HISTORY;
    request.authority_history = &query;
    char *what = ow_printf ("history of %s", argv [optind]);
    Ofwatch__V1__Reply *reply = cli_ask_analytics (cli, &request,
                                                   OFWATCH__V1__REPLY__BODY_AUTHORITY_HISTORY, what);
    free (what);
    if (!reply)
        return 1;
    const Ofwatch__V1__AuthorityHistory *answer = reply->authority_history;
    if (json)
        cli_print_json (&answer->base);
    else {
        //  Its first fields are a HistoryReply's.
        Ofwatch__V1__HistoryReply history = OFWATCH__V1__HISTORY_REPLY__INIT;
        history.authority = answer->authority;
        history.n_inspections = answer->n_inspections;
        history.inspections = answer->inspections;
        history.n_deadlines = answer->n_deadlines;
        history.deadlines = answer->deadlines;
        print_history (&history);
        if (answer->state)
            print_state (answer->state);
    }
    ow_pb_free (&reply);
    return sources ? cli_sources (cli, argv [optind], json) : 0;
}
