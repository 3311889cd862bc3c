/*  ofwatch webhook — webhook subscriptions on notify (its replay ROUTER).

        webhook add URL (--secret S | --secret-file FILE) [--type T] [--authority CODE]
                    [--theme X] [--from SEQ]
        webhook list [--json]
        webhook rm ID
        webhook enable ID | webhook disable ID

    `add` prints the new subscription's id and nothing else, for scripts.
    The secret goes to notify once and is never shown again: notify does
    not send it back, so no listing can print it. --secret-file keeps it
    off the command line, where other users of the machine could see it.
*/

#include "cli.h"
#include "ow_vocab.h"

#include <getopt.h>
#include <inttypes.h>

#define ADMIN_TIMEOUT_MS 5000
#define MAX_SECRET       1024

//  Sends a webhook request to notify; the WebhookReply, or NULL after
//  saying why not. Caller frees the reply.
static Ofwatch__V1__Reply *
ask (cli_t *cli, Ofwatch__V1__Request *request)
{
    return cli_ask (cli->config.notify_replay, "notify", request, ADMIN_TIMEOUT_MS,
                    OFWATCH__V1__REPLY__BODY_WEBHOOKS, "webhook");
}

//  Appends item, the index-th of list `name`, to a text "name=a,b name2=c".
static void
append_item (char **text, const char *name, size_t index, const char *item)
{
    char *longer = index == 0
                 ? ow_printf ("%s%s%s=%s", *text, **text ? " " : "", name, item ? item : "?")
                 : ow_printf ("%s,%s", *text, item ? item : "?");
    free (*text);
    *text = longer;
}

//  "types=a,b authorities=c" for a listing; caller frees.
static char *
filter_text (const Ofwatch__V1__Webhook *webhook)
{
    char *text = ow_strdup ("");
    for (size_t i = 0; i < webhook->n_types; i++)
        append_item (&text, "types", i, ow_event_type_word (webhook->types [i]));
    for (size_t i = 0; i < webhook->n_authorities; i++)
        append_item (&text, "authorities", i, webhook->authorities [i]);
    for (size_t i = 0; i < webhook->n_themes; i++)
        append_item (&text, "themes", i, ow_theme_word (webhook->themes [i]));
    if (!*text) {
        free (text);
        text = ow_strdup ("all events");
    }
    return text;
}

static void
print_listing (const Ofwatch__V1__WebhookReply *webhooks, bool json)
{
    if (!json && webhooks->n_webhooks == 0)
        printf ("no webhooks\n");
    else if (!json)
        printf ("%-5s  %-8s  %8s  %8s  %9s  %s\n", "ID", "STATE", "CURSOR", "FAILURES",
                "DELIVERED", "URL, FILTER, LAST ERROR");
    for (size_t i = 0; i < webhooks->n_webhooks; i++) {
        const Ofwatch__V1__Webhook *w = webhooks->webhooks [i];
        if (json) {
            cli_print_json (&w->base);
            continue;
        }
        char *filter = filter_text (w);
        printf ("%-5" PRIu64 "  %-8s  %8" PRIu64 "  %8" PRIu32 "  %9" PRIu64 "  %s  (%s)%s%s\n",
                w->id, w->state, w->cursor, w->failures, w->delivered, w->url, filter,
                *w->last_error ? "  last error: " : "", w->last_error);
        free (filter);
    }
}

//  The first line of a file, for --secret-file; NULL after saying why not.
//  Caller frees.
static char *
read_secret (const char *path)
{
    size_t size = 0;
    char *error = NULL;
    char *secret = (char *) cli_read_file (path, MAX_SECRET + 1, &size, &error);
    if (!secret) {
        cli_fail ("%s", error);
        free (error);
        return NULL;
    }
    secret [size] = 0;
    secret [strcspn (secret, "\r\n")] = 0;
    return secret;
}

static int
add (cli_t *cli, int argc, char **argv)
{
    static const struct option options [] = {
        { "secret", required_argument, NULL, 's' },
        { "secret-file", required_argument, NULL, 'S' },
        { "type", required_argument, NULL, 't' },
        { "authority", required_argument, NULL, 'a' },
        { "theme", required_argument, NULL, 'h' },
        { "from", required_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 }
    };
    Ofwatch__V1__EventFilter *filter = OW_PB_NEW (Ofwatch__V1__EventFilter,
                                                  ofwatch__v1__event_filter__init);
    Ofwatch__V1__WebhookAdd request = OFWATCH__V1__WEBHOOK_ADD__INIT;
    char *secret_read = NULL;
    bool ok = true;
    int option;
    while (ok && (option = getopt_long (argc, argv, "s:S:t:a:h:f:", options, NULL)) != -1) {
        char *end = NULL;
        if (option == 's')
            request.secret = optarg;
        else if (option == 'S') {
            free (secret_read);
            ok = (secret_read = read_secret (optarg)) != NULL;
            request.secret = ok ? secret_read : request.secret;
        }
        else if (option == 't' || option == 'a' || option == 'h')
            ok = cli_filter_add (cli, filter, option == 't' ? "type"
                                            : option == 'h' ? "theme" : "authority", optarg);
        else if (option == 'f') {
            request.from_seq = strtoull (optarg, &end, 10);
            ok = *end == 0 && request.from_seq > 0;
            if (!ok)
                cli_fail ("--from needs a seq, a whole number from 1");
        }
        else
            ok = false;
    }
    if (ok && optind != argc - 1) {
        cli_fail ("webhook add needs exactly one URL");
        ok = false;
    }
    if (ok && !*request.secret) {
        cli_fail ("webhook add needs --secret or --secret-file: the key receivers check"
                  " signatures with");
        ok = false;
    }
    Ofwatch__V1__Reply *reply = NULL;
    if (ok) {
        request.url = argv [optind];
        request.types = filter->types;
        request.n_types = filter->n_types;
        request.authorities = filter->authorities;
        request.n_authorities = filter->n_authorities;
        request.themes = filter->themes;
        request.n_themes = filter->n_themes;
        Ofwatch__V1__Request envelope = OFWATCH__V1__REQUEST__INIT;
        envelope.body_case = OFWATCH__V1__REQUEST__BODY_WEBHOOK_ADD;
        envelope.webhook_add = &request;
        reply = ask (cli, &envelope);
        if (reply && reply->webhooks->n_webhooks == 1)
            printf ("%" PRIu64 "\n", reply->webhooks->webhooks [0]->id);
    }
    ow_pb_free (&filter);
    if (secret_read)
        explicit_bzero (secret_read, strlen (secret_read));
    free (secret_read);
    int rc = !ok ? 2 : reply ? 0 : 1;
    ow_pb_free (&reply);
    return rc;
}

static int
list (cli_t *cli, int argc, char **argv)
{
    bool json = argc == 2 && streq (argv [1], "--json");
    if (argc > 2 || (argc == 2 && !json)) {
        cli_fail ("webhook list takes no argument but --json");
        return 2;
    }
    Ofwatch__V1__WebhookList query = OFWATCH__V1__WEBHOOK_LIST__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_WEBHOOK_LIST;
    request.webhook_list = &query;
    Ofwatch__V1__Reply *reply = ask (cli, &request);
    if (!reply)
        return 1;
    print_listing (reply->webhooks, json);
    ow_pb_free (&reply);
    return 0;
}

//  rm, enable and disable: one subscription named by its id.
static int
change (cli_t *cli, int argc, char **argv)
{
    const char *verb = argv [0];
    char *end = NULL;
    uint64_t id = argc == 2 ? strtoull (argv [1], &end, 10) : 0;
    if (argc != 2 || *end || id == 0) {
        cli_fail ("webhook %s needs one ID, as `ofwatch webhook list` shows it", verb);
        return 2;
    }
    Ofwatch__V1__WebhookRemove remove = OFWATCH__V1__WEBHOOK_REMOVE__INIT;
    Ofwatch__V1__WebhookEnable enable = OFWATCH__V1__WEBHOOK_ENABLE__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    if (streq (verb, "rm")) {
        remove.id = id;
        request.body_case = OFWATCH__V1__REQUEST__BODY_WEBHOOK_REMOVE;
        request.webhook_remove = &remove;
    }
    else {
        enable.id = id;
        enable.enabled = streq (verb, "enable");
        request.body_case = OFWATCH__V1__REQUEST__BODY_WEBHOOK_ENABLE;
        request.webhook_enable = &enable;
    }
    Ofwatch__V1__Reply *reply = ask (cli, &request);
    if (!reply)
        return 1;
    print_listing (reply->webhooks, false);
    ow_pb_free (&reply);
    return 0;
}

int
cli_webhook (cli_t *cli, int argc, char **argv)
{
    const char *verb = argc >= 2 ? argv [1] : "";
    if (streq (verb, "add"))
        return add (cli, argc - 1, argv + 1);
    if (streq (verb, "list"))
        return list (cli, argc - 1, argv + 1);
    if (streq (verb, "rm") || streq (verb, "enable") || streq (verb, "disable"))
        return change (cli, argc - 1, argv + 1);
    cli_fail ("webhook needs add, list, rm, enable or disable");
    return 2;
}
