/*  ofwatch keys — client certificates and what each may do.

        ofwatch keys new NAME (--authority CODE ... | --role inspectorate|subscriber)
                              [--ofsted] [--rate N] [-o FILE]
        ofwatch keys list [--json]
        ofwatch keys revoke NAME
        ofwatch keys services NAME...

    `keys services` makes, unless they exist, the servers' certificate and
    a service key for each service named (ingest, store, analytics,
    notify, watch): the certificate that service presents to the others.
    `make up`, the test harness, Compose's keys job and the Kubernetes
    Secret are made with it, from one list of services.

    Works on the files in OFWATCH_KEYS alone (ow_keys), so it needs no
    running service; the services read the same files on every
    connection, so a new or revoked key counts at once.
*/

#include "cli.h"
#include "ow_json.h"
#include "ow_keys.h"

#include <getopt.h>

static void
say_server (ow_keys_t *keys, bool created)
{
    if (created)
        printf ("made the services' certificate %s/server.cert (give server.cert, never "
                "server.cert_secret, to every client)\n", ow_keys_directory (keys));
}

//  Resolves each --authority to its ONS code; false after saying which
//  one is unknown.
static bool
resolve_authorities (cli_t *cli, char **spellings, size_t count, const char **codes)
{
    const ow_register_t *reg = count ? cli_register (cli) : NULL;
    if (count && !reg)
        return false;
    for (size_t i = 0; i < count; i++) {
        const ow_authority_t *authority = ow_register_find (reg, spellings [i]);
        if (!authority) {
            cli_fail ("keys new: no authority is known as \"%s\"", spellings [i]);
            return false;
        }
        codes [i] = authority->code;
    }
    return true;
}

static int
keys_new (cli_t *cli, ow_keys_t *keys, int argc, char **argv)
{
    static const struct option options [] = {
        { "authority", required_argument, NULL, 'a' },
        { "role", required_argument, NULL, 'r' },
        { "ofsted", no_argument, NULL, 'O' },
        { "rate", required_argument, NULL, 'R' },
        { "output", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 }
    };
    char **spellings = ow_calloc ((size_t) argc, sizeof (char *));
    size_t n_spellings = 0;
    ow_key_spec_t spec = { .role = OW_ROLE_NONE, .rate = -1 };
    const char *output = NULL;
    int option, rc = 0;
    while (rc == 0 && (option = getopt_long (argc, argv, "a:r:o:", options, NULL)) != -1) {
        char *end = NULL;
        switch (option) {
            case 'a':
                spellings [n_spellings++] = optarg;
                break;
            case 'r':
                spec.role = ow_role_from_word (optarg);
                if (spec.role == OW_ROLE_SERVICE) {
                    cli_fail ("keys new: service keys are made with `ofwatch keys services "
                              "NAME`");
                    rc = 2;
                }
                else
                if (spec.role == OW_ROLE_NONE) {
                    cli_fail ("keys new: a role is council, inspectorate or subscriber, "
                              "not \"%s\"", optarg);
                    rc = 2;
                }
                break;
            case 'O':
                spec.ofsted = true;
                break;
            case 'R':
                spec.rate = (int) strtol (optarg, &end, 10);
                if (*end || spec.rate < 0) {
                    cli_fail ("keys new: --rate is requests a minute, 0 for no limit");
                    rc = 2;
                }
                break;
            case 'o':
                output = optarg;
                break;
            default:
                rc = 2;
        }
    }
    if (rc == 0 && optind != argc - 1) {
        cli_fail ("keys new needs one NAME, and --authority CODE or --role");
        rc = 2;
    }
    if (rc == 0 && spec.role == OW_ROLE_NONE)
        spec.role = n_spellings ? OW_ROLE_COUNCIL : OW_ROLE_NONE;
    const char **codes = ow_calloc (n_spellings + 1, sizeof (char *));
    if (rc == 0 && !resolve_authorities (cli, spellings, n_spellings, codes))
        rc = 1;
    bool created = false;
    char *error = NULL;
    if (rc == 0 && !ow_keys_make_server (keys, &created, &error))
        rc = 1;
    ow_key_t *key = NULL;
    if (rc == 0) {
        say_server (keys, created);
        spec.name = argv [optind];
        spec.authorities = codes;
        spec.n_authorities = n_spellings;
        key = ow_keys_create (keys, &spec, output, &error);
        rc = key ? 0 : 1;
    }
    if (key) {
        printf ("made key %s (%s", key->name, ow_role_word (key->role));
        for (size_t i = 0; i < key->n_authorities; i++)
            printf ("%s%s", i ? " " : ": ", key->authorities [i]);
        printf ("%s)\n", key->ofsted ? ", trusted for Ofsted's documents" : "");
        if (output)
            printf ("the certificate to give its holder: %s and %s_secret, with server.cert\n",
                    output, output);
        else
            printf ("its certificate: %s/%s.cert (and %s.cert_secret)\n",
                    ow_keys_directory (keys), key->name, key->name);
    }
    else
    if (error)
        cli_fail ("keys new: %s", error);
    ow_key_destroy (&key);
    free (error);
    free (codes);
    free (spellings);
    return rc;
}

static void
print_json (const ow_key_t *key)
{
    json_t *line = json_object ();
    ow_json_set_string (line, "name", key->name);
    ow_json_set_string (line, "role", ow_role_word (key->role));
    json_t *authorities = json_array ();
    for (size_t i = 0; i < key->n_authorities; i++)
        json_array_append_new (authorities, ow_json_string (key->authorities [i]));
    json_object_set_new (line, "authorities", authorities);
    json_object_set_new (line, "ofsted",
                         json_boolean (key->ofsted || key->role == OW_ROLE_INSPECTORATE));
    json_object_set_new (line, "rate", key->rate >= 0 ? json_integer (key->rate) : json_null ());
    ow_json_set_string (line, "public_key", key->public_key);
    ow_json_set_string (line, "created", key->created);
    ow_json_set_string (line, "revoked", key->revoked);
    char *text = ow_json_dump (line);
    puts (text);
    free (text);
    json_decref (line);
}

static int
keys_list (ow_keys_t *keys, int argc, char **argv)
{
    bool json = argc == 2 && streq (argv [1], "--json");
    if (argc > 1 && !json) {
        cli_fail ("keys list takes only --json");
        return 2;
    }
    ow_key_t **list = NULL;
    size_t count = ow_keys_list (keys, &list);
    cli_table_t *table = cli_table_new (7, "NAME", "ROLE", "AUTHORITIES", "OFSTED", "RATE",
                                        "CREATED", "REVOKED", NULL);
    for (size_t i = 0; i < count; i++) {
        const ow_key_t *key = list [i];
        if (json) {
            print_json (key);
            continue;
        }
        cli_table_add (table, key->name);
        cli_table_add (table, ow_role_word (key->role));
        char *codes = ow_strdup ("");
        for (size_t a = 0; a < key->n_authorities; a++) {
            char *longer = ow_printf ("%s%s%s", codes, a ? " " : "", key->authorities [a]);
            free (codes);
            codes = longer;
        }
        bool all = key->role == OW_ROLE_INSPECTORATE || key->role == OW_ROLE_SERVICE;
        cli_table_add (table, all ? "any" : codes);
        free (codes);
        cli_table_add (table, key->ofsted || all ? "yes" : "no");
        if (ow_rights_unlimited (key))
            cli_table_add (table, "none");
        else
        if (key->rate >= 0)
            cli_table_addf (table, "%d", key->rate);
        else
            cli_table_add (table, "default");
        cli_table_add (table, key->created);
        cli_table_add (table, key->revoked);
    }
    if (!json && count)
        cli_table_print (table);
    else
    if (!json)
        printf ("no keys in %s; make one with `ofwatch keys new`\n", ow_keys_directory (keys));
    cli_table_destroy (&table);
    ow_keys_list_free (&list, count);
    return 0;
}

static int
keys_revoke (ow_keys_t *keys, int argc, char **argv)
{
    if (argc != 2) {
        cli_fail ("keys revoke needs one NAME");
        return 2;
    }
    char *error = NULL;
    if (!ow_keys_revoke (keys, argv [1], &error)) {
        cli_fail ("keys revoke: %s", error);
        free (error);
        return 1;
    }
    printf ("revoked key %s: it is refused from its next connection and request\n", argv [1]);
    return 0;
}

static int
keys_services (ow_keys_t *keys, int argc, char **argv)
{
    if (argc < 2) {
        cli_fail ("keys services needs the names of the services (ingest store analytics "
                  "notify ...)");
        return 2;
    }
    bool created = false;
    char *error = NULL;
    if (!ow_keys_make_server (keys, &created, &error)) {
        cli_fail ("keys services: %s", error);
        free (error);
        return 1;
    }
    say_server (keys, created);
    for (int i = 1; i < argc; i++) {
        if (!ow_keys_make_service (keys, argv [i], &created, &error)) {
            cli_fail ("keys services: %s", error);
            free (error);
            return 1;
        }
        if (created)
            printf ("made the service key %s: %s/%s.cert and %s.cert_secret, presented by "
                    "ofwatch-%s\n", argv [i], ow_keys_directory (keys), argv [i], argv [i],
                    argv [i]);
    }
    return 0;
}

int
cli_keys (cli_t *cli, int argc, char **argv)
{
    if (argc < 2) {
        cli_fail ("keys needs new, list, revoke or services");
        return 2;
    }
    ow_keys_t *keys = ow_keys_new (cli->config.keys);
    int rc = 2;
    if (streq (argv [1], "new"))
        rc = keys_new (cli, keys, argc - 1, argv + 1);
    else if (streq (argv [1], "list"))
        rc = keys_list (keys, argc - 1, argv + 1);
    else if (streq (argv [1], "revoke"))
        rc = keys_revoke (keys, argc - 1, argv + 1);
    else if (streq (argv [1], "services"))
        rc = keys_services (keys, argc - 1, argv + 1);
    else
        cli_fail ("keys needs new, list, revoke or services, not \"%s\"", argv [1]);
    ow_keys_destroy (&keys);
    return rc;
}
