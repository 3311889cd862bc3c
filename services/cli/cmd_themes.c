/*  ofwatch themes — weakness themes: in how many inspections and visits
    each was found, by how many authorities, and where it recurs; for
    England or one authority, optionally since a date.
*/

#include "cli.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <getopt.h>

static void
print_themes (const Ofwatch__V1__ThemesReply *reply)
{
    if (reply->authority)
        printf ("%s (%s)", reply->authority->name, reply->authority->code);
    else
        printf ("England");
    printf (": %u inspections and visits with findings%s%s\n\n", reply->inspections,
            *reply->since ? " since " : "", reply->since);
    cli_table_t *table = reply->authority
        ? cli_table_new (6, "THEME", "INSPECTIONS", "FINDINGS", "FIRST SEEN", "LAST SEEN",
                         "RECURRING", NULL)
        : cli_table_new (7, "THEME", "INSPECTIONS", "FINDINGS", "AUTHORITIES", "RECURS IN",
                         "FIRST SEEN", "LAST SEEN", NULL);
    for (size_t i = 0; i < reply->n_themes; i++) {
        const Ofwatch__V1__ThemeCount *t = reply->themes [i];
        cli_table_add (table, ow_theme_word (t->theme));
        cli_table_addf (table, "%u", t->inspections);
        cli_table_addf (table, "%u", t->findings);
        if (!reply->authority) {
            cli_table_addf (table, "%u", t->authorities);
            cli_table_addf (table, "%u", t->recurring_authorities);
        }
        cli_table_add (table, t->first_seen);
        cli_table_add (table, t->last_seen);
        if (reply->authority)
            cli_table_add (table, t->recurring_authorities ? "yes" : "no");
    }
    cli_table_print (table);
    cli_table_destroy (&table);
}

int
cli_themes (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "authority", required_argument, NULL, 'a' },
        { "since", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 }
    };
    Ofwatch__V1__ThemesQuery query = OFWATCH__V1__THEMES_QUERY__INIT;
    bool json = false;
    int option;
    while ((option = getopt_long (argc, argv, "a:s:j", options, NULL)) != -1) {
        if (option == 'a')
            query.authority = optarg;
        else if (option == 's')
            query.since = optarg;
        else if (option == 'j')
            json = true;
        else
            return 2;
    }
    if (optind != argc) {
        cli_fail ("themes takes no arguments, only --authority CODE and --since DATE");
        return 2;
    }
    if (*query.since && ow_date_from_iso (query.since) == OW_DATE_NONE) {
        cli_fail ("--since needs a date YYYY-MM-DD, not \"%s\"", query.since);
        return 2;
    }
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_THEMES;
    request.themes = &query;
    Ofwatch__V1__Reply *reply = cli_ask_analytics (cli, &request, OFWATCH__V1__REPLY__BODY_THEMES,
                                                   "themes");
    if (!reply)
        return 1;
    if (json)
        cli_print_json (&reply->themes->base);
    else
        print_themes (reply->themes);
    ow_pb_free (&reply);
    return 0;
}
