/*  ofwatch national — England: latest overall grades by region, the
    transition matrix between consecutive full inspections, and the
    themes found most, by year.
*/

#include "cli.h"
#include "ow_vocab.h"


//  Grades as the tables' columns, in order.
static const Ofwatch__V1__Grade s_grades [] = {
    OFWATCH__V1__GRADE__GRADE_OUTSTANDING, OFWATCH__V1__GRADE__GRADE_GOOD,
    OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT, OFWATCH__V1__GRADE__GRADE_ADEQUATE,
    OFWATCH__V1__GRADE__GRADE_INADEQUATE
};
#define GRADE_COUNT (sizeof s_grades / sizeof s_grades [0])
#define MAX_YEARS   64

static uint32_t
count_of (Ofwatch__V1__GradeCount **counts, size_t n, Ofwatch__V1__Grade grade)
{
    for (size_t i = 0; i < n; i++)
        if (counts [i]->grade == grade)
            return counts [i]->count;
    return 0;
}

static void
add_counts (cli_table_t *table, const char *name, size_t members,
            Ofwatch__V1__GradeCount **counts, size_t n)
{
    cli_table_add (table, name);
    cli_table_addf (table, "%zu", members);
    for (size_t g = 0; g < GRADE_COUNT; g++)
        cli_table_addf (table, "%u", count_of (counts, n, s_grades [g]));
    cli_table_addf (table, "%u", count_of (counts, n, 0));
}

static void
print_regions (const Ofwatch__V1__National *n)
{
    cli_table_t *table = cli_table_new (8, "REGION", "AUTHORITIES", "OUTSTANDING", "GOOD", "RI",
                                        "ADEQUATE", "INADEQUATE", "NOT KNOWN", NULL);
    for (size_t r = 0; r < n->n_regions; r++)
        add_counts (table, n->regions [r]->name, n->regions [r]->n_authorities,
                    n->regions [r]->grades, n->regions [r]->n_grades);
    add_counts (table, "England", n->authorities, n->grades, n->n_grades);
    cli_table_print (table);
    cli_table_destroy (&table);
}

static void
print_transitions (const Ofwatch__V1__National *n)
{
    printf ("\nConsecutive full inspections (rows: earlier overall grade, columns: next)\n");
    cli_table_t *table = cli_table_new (6, "FROM", "OUTSTANDING", "GOOD", "RI", "ADEQUATE",
                                        "INADEQUATE", NULL);
    //  The cells come from-major, grades in the columns' order.
    for (size_t i = 0; i < n->n_transitions && i < GRADE_COUNT * GRADE_COUNT; i++) {
        if (i % GRADE_COUNT == 0)
            cli_table_add (table, ow_grade_word (n->transitions [i]->from));
        cli_table_addf (table, "%u", n->transitions [i]->count);
    }
    cli_table_print (table);
    cli_table_destroy (&table);
}

//  Per cent of inspections with findings that found each theme, by year.
static void
print_theme_years (const Ofwatch__V1__National *n)
{
    uint32_t years [MAX_YEARS];
    size_t n_years = 0;
    for (size_t i = 0; i < n->n_themes_by_year; i++) {
        uint32_t year = n->themes_by_year [i]->year;
        size_t y = 0;
        while (y < n_years && years [y] != year)
            y++;
        if (y == n_years && n_years < MAX_YEARS)
            years [n_years++] = year;
    }
    for (size_t i = 1; i < n_years; i++)
        for (size_t j = i; j > 0 && years [j - 1] > years [j]; j--) {
            uint32_t swap = years [j];
            years [j] = years [j - 1];
            years [j - 1] = swap;
        }
    printf ("\nPer cent of inspections and visits finding a weakness of each theme, by year\n");
    //  The header: THEME, then one column per year.
    cli_table_t *table = cli_table_new (n_years + 1, "THEME", NULL);
    for (size_t y = 0; y < n_years; y++)
        cli_table_addf (table, "%u", years [y]);
    int theme = -1;
    size_t column = 0;
    for (size_t i = 0; i < n->n_themes_by_year; i++) {
        const Ofwatch__V1__ThemePrevalence *p = n->themes_by_year [i];
        if ((int) p->theme != theme) {
            while (theme >= 0 && column++ < n_years)
                cli_table_add (table, NULL);
            theme = p->theme;
            column = 0;
            cli_table_add (table, ow_theme_word (p->theme));
        }
        while (column < n_years && years [column] != p->year) {
            cli_table_add (table, NULL);
            column++;
        }
        if (column < n_years) {
            cli_table_addf (table, "%u", p->of ? (p->inspections * 100 + p->of / 2) / p->of : 0);
            column++;
        }
    }
    while (theme >= 0 && column++ < n_years)
        cli_table_add (table, NULL);
    cli_table_print (table);
    cli_table_destroy (&table);
}

static void
print_national (const Ofwatch__V1__National *n)
{
    printf ("England, as of %s: %u authorities, %u inadequate now; median %u months to leave"
            " inadequate over %u spells that ended\n\n", n->as_of, n->authorities,
            n->inadequate_now, n->median_months_to_improve, n->improved_spells);
    print_regions (n);
    print_transitions (n);
    print_theme_years (n);
}

int
cli_national (cli_t *cli, int argc, char **argv)
{
    bool json = false;
    int rc = cli_json_option (argc, argv, 0, &json, "national takes no arguments");
    if (rc)
        return rc;
    Ofwatch__V1__NationalQuery query = OFWATCH__V1__NATIONAL_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_NATIONAL;
    request.national = &query;
    Ofwatch__V1__Reply *reply = cli_ask_analytics (cli, &request,
                                                   OFWATCH__V1__REPLY__BODY_NATIONAL, "national");
    if (!reply)
        return 1;
    if (json)
        cli_print_json (&reply->national->base);
    else
        print_national (reply->national);
    ow_pb_free (&reply);
    return 0;
}
