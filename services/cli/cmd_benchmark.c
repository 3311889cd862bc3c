/*  ofwatch benchmark — an authority against its statistical neighbours,
    its region and England: their latest grades, its rank, how long
    leaving inadequate took.
*/

#include "cli.h"
#include "ow_vocab.h"

#include <getopt.h>

static const char *
word (const char *text)
{
    return text ? text : "-";
}

//  "3" or "3/9"; "-" when not ranked.
static void
add_rank (cli_table_t *table, uint32_t rank, uint32_t of)
{
    if (!rank)
        cli_table_add (table, NULL);
    else if (of)
        cli_table_addf (table, "%u/%u", rank, of);
    else
        cli_table_addf (table, "%u", rank);
}

static void
print_neighbours (const Ofwatch__V1__Benchmark *b)
{
    cli_table_t *table = cli_table_new (6, "STATISTICAL NEIGHBOUR", "CODE", "OVERALL",
                                        "INSPECTED", "KIND", "RANK", NULL);
    for (size_t i = 0; i < b->n_neighbours; i++) {
        const Ofwatch__V1__Standing *s = b->neighbours [i];
        cli_table_add (table, s->authority->name);
        cli_table_add (table, s->authority->code);
        cli_table_add (table, ow_grade_word (s->overall));
        cli_table_add (table, s->inspected_on);
        cli_table_add (table, ow_kind_word (s->kind));
        add_rank (table, s->rank, 0);
    }
    cli_table_print (table);
    cli_table_destroy (&table);
}

static uint32_t
count_of (const Ofwatch__V1__Group *group, Ofwatch__V1__Grade grade)
{
    for (size_t i = 0; i < group->n_grades; i++)
        if (group->grades [i]->grade == grade)
            return group->grades [i]->count;
    return 0;
}

static void
print_groups (const Ofwatch__V1__Benchmark *b)
{
    cli_table_t *table = cli_table_new (11, "GROUP", "MEMBERS", "GRADED", "OUTSTANDING", "GOOD",
                                        "RI", "ADEQUATE", "INADEQUATE", "RANK", "SPELLS ENDED",
                                        "MEDIAN MONTHS", NULL);
    for (size_t i = 0; i < b->n_groups; i++) {
        const Ofwatch__V1__Group *g = b->groups [i];
        cli_table_add (table, g->name);
        cli_table_addf (table, "%u", g->authorities);
        cli_table_addf (table, "%u", g->graded);
        cli_table_addf (table, "%u", count_of (g, OFWATCH__V1__GRADE__GRADE_OUTSTANDING));
        cli_table_addf (table, "%u", count_of (g, OFWATCH__V1__GRADE__GRADE_GOOD));
        cli_table_addf (table, "%u", count_of (g, OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT));
        cli_table_addf (table, "%u", count_of (g, OFWATCH__V1__GRADE__GRADE_ADEQUATE));
        cli_table_addf (table, "%u", count_of (g, OFWATCH__V1__GRADE__GRADE_INADEQUATE));
        add_rank (table, g->rank, g->graded);
        cli_table_addf (table, "%u", g->improved_spells);
        if (g->improved_spells)
            cli_table_addf (table, "%u", g->median_months_to_improve);
        else
            cli_table_add (table, NULL);
    }
    cli_table_print (table);
    cli_table_destroy (&table);
}

static void
print_benchmark (const Ofwatch__V1__Benchmark *b)
{
    const Ofwatch__V1__Standing *s = b->authority;
    printf ("%s (%s), %s, as of %s\n", s->authority->name, s->authority->code,
            *s->region ? s->region : "-", b->as_of);
    const Ofwatch__V1__Group *neighbours = b->n_groups ? b->groups [0] : NULL;
    if (s->overall && neighbours)
        printf ("latest overall: %s (%s of %s); rank %u of the %u graded among it and its"
                " %zu statistical neighbours\n", ow_grade_word (s->overall),
                word (ow_kind_word (s->kind)), s->inspected_on, s->rank, neighbours->graded,
                b->n_neighbours);
    else
        printf ("no graded full inspection is known\n");
    for (size_t i = 0; i < b->n_spells; i++)
        printf ("inadequate from %s %s%s: %u months\n", b->spells [i]->from,
                b->spells [i]->ongoing ? "until now" : "to ",
                b->spells [i]->ongoing ? "" : b->spells [i]->to, b->spells [i]->months);
    printf ("\n");
    print_neighbours (b);
    printf ("\n");
    print_groups (b);
}

int
cli_benchmark (cli_t *cli, int argc, char **argv)
{
    bool json = false;
    int rc = cli_json_option (argc, argv, 1, &json,
                              "benchmark needs one AUTHORITY (ONS code, DfE code, URN or name)");
    if (rc)
        return rc;
    Ofwatch__V1__BenchmarkQuery query = OFWATCH__V1__BENCHMARK_QUERY__INIT;
    query.authority = argv [optind];
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_BENCHMARK;
    request.benchmark = &query;
    char *what = ow_printf ("benchmark of %s", argv [optind]);
    Ofwatch__V1__Reply *reply = cli_ask_analytics (cli, &request,
                                                   OFWATCH__V1__REPLY__BODY_BENCHMARK, what);
    free (what);
    if (!reply)
        return 1;
    if (json)
        cli_print_json (&reply->benchmark->base);
    else
        print_benchmark (reply->benchmark);
    ow_pb_free (&reply);
    return 0;
}
