/*  ofwatch audit — the submissions ingest refused because of who sent
    them, newest first: who (the key), when, what (the file and the
    authority it was about) and why. And the other side of the same
    question, `ofwatch history AUTHORITY --sources`: every document stored
    about an authority with the key that submitted it, and where it was
    published when the watch service found it there.

        ofwatch audit [--key NAME] [--authority CODE] [--limit N] [--json]
*/

#include "cli.h"
#include "ow_vocab.h"

#include <getopt.h>

//  Audit and sources are one query each on store's own tables.
#define STORE_TIMEOUT_MS 10000

static void
print_table (const Ofwatch__V1__AuditReply *audit)
{
    cli_table_t *table = cli_table_new (5, "WHEN", "KEY", "AUTHORITY", "FILE", "REASON", NULL);
    for (size_t i = 0; i < audit->n_records; i++) {
        const Ofwatch__V1__AuditRecord *record = audit->records [i];
        cli_table_add (table, record->recorded_at);
        cli_table_add (table, record->key);
        cli_table_add (table, *record->authority ? record->authority
                                                 : record->declared_authority);
        cli_table_add (table, record->file_name);
        cli_table_add (table, record->reason);
    }
    if (audit->n_records)
        cli_table_print (table);
    else
        printf ("no refused submissions\n");
    cli_table_destroy (&table);
}

int
cli_audit (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "key", required_argument, NULL, 'k' },
        { "authority", required_argument, NULL, 'a' },
        { "limit", required_argument, NULL, 'l' },
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 }
    };
    Ofwatch__V1__AuditQuery query = OFWATCH__V1__AUDIT_QUERY__INIT;
    bool json = false;
    int option;
    while ((option = getopt_long (argc, argv, "k:a:l:j", options, NULL)) != -1) {
        char *end = NULL;
        if (option == 'k')
            query.key = optarg;
        else if (option == 'a')
            query.authority = optarg;
        else if (option == 'l') {
            long limit = strtol (optarg, &end, 10);
            if (*end || limit < 1 || limit > 10000) {
                cli_fail ("audit: --limit is a number from 1 to 10000");
                return 2;
            }
            query.limit = (uint32_t) limit;
        }
        else if (option == 'j')
            json = true;
        else
            return 2;
    }
    if (optind != argc) {
        cli_fail ("audit takes only options");
        return 2;
    }
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_AUDIT;
    request.audit = &query;
    Ofwatch__V1__Reply *reply = cli_ask (cli->config.store, "store", &request, STORE_TIMEOUT_MS,
                                         OFWATCH__V1__REPLY__BODY_AUDIT, "audit");
    if (!reply)
        return 1;
    if (json)
        for (size_t i = 0; i < reply->audit->n_records; i++)
            cli_print_json (&reply->audit->records [i]->base);
    else
        print_table (reply->audit);
    ow_pb_free (&reply);
    return 0;
}

int
cli_sources (cli_t *cli, const char *authority, bool json)
{
    Ofwatch__V1__SourcesQuery query = OFWATCH__V1__SOURCES_QUERY__INIT;
    query.authority = (char *) authority;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SOURCES;
    request.sources = &query;
    char *what = ow_printf ("sources of %s", authority);
    Ofwatch__V1__Reply *reply = cli_ask (cli->config.store, "store", &request, STORE_TIMEOUT_MS,
                                         OFWATCH__V1__REPLY__BODY_SOURCES, what);
    free (what);
    if (!reply)
        return 1;
    if (json)
        cli_print_json (&reply->sources->base);
    else {
        printf ("\nSOURCES\n");
        cli_table_t *table = cli_table_new (7, "RECEIVED", "SUBMITTER", "KIND", "PUBLISHED",
                                            "SHA256", "FILE", "SOURCE", NULL);
        for (size_t i = 0; i < reply->sources->n_documents; i++) {
            const Ofwatch__V1__DocumentSource *document = reply->sources->documents [i];
            cli_table_add (table, document->received_at);
            cli_table_add (table, document->submitter);
            cli_table_add (table, ow_doc_kind_word (document->doc_kind));
            cli_table_add (table, document->published_on);
            cli_table_addf (table, "%.12s", document->sha256);
            cli_table_add (table, document->file_name);
            cli_table_add (table, document->source_url);
        }
        cli_table_print (table);
        cli_table_destroy (&table);
    }
    ow_pb_free (&reply);
    return 0;
}
