/*  ofwatch — the command-line client: dispatch and shared helpers.  */

#include "cli.h"
#include "ow_log.h"
#include "ow_pbjson.h"
#include "ow_vocab.h"

#include <czmq.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>

static const struct {
    const char *name;
    cli_command_fn *run;
    const char *usage;
} s_commands [] = {
    { "extract", cli_extract, "extract [--json] FILE..." },
    { "submit",  cli_submit,  "submit [--authority CODE] [--published DATE] [--json] FILE|DIR..." },
    { "history", cli_history, "history AUTHORITY [--json] [--sources]" },
    { "events",  cli_events,  "events [--from SEQ] [--type T] [--authority CODE] [--theme X] [--follow] [--json]" },
    { "health",  cli_health,  "health [--service NAME]" },
    { "benchmark", cli_benchmark, "benchmark AUTHORITY [--json]" },
    { "themes",  cli_themes,  "themes [--authority CODE] [--since DATE] [--json]" },
    { "national", cli_national, "national [--json]" },
    { "export",  cli_export,  "export summary|history [--format csv|xlsx|json] [-o FILE]" },
    { "report",  cli_report,  "report AUTHORITY|national [-o FILE.html]" },
    { "webhook", cli_webhook, "webhook add URL (--secret S | --secret-file FILE) [--type T] [--authority CODE] [--theme X] [--from SEQ]\n"
                              "  ofwatch webhook list [--json] | rm ID | enable ID | disable ID" },
    { "keys",    cli_keys,    "keys new NAME (--authority CODE ... | --role inspectorate|subscriber) [--ofsted] [--rate N] [-o FILE]\n"
                              "  ofwatch keys list [--json] | revoke NAME | services NAME..." },
    { "audit",   cli_audit,   "audit [--key NAME] [--authority CODE] [--limit N] [--json]" },
    { "watch",   cli_watch,   "watch [--once] [--authority CODE ...]" },
};
#define COMMAND_COUNT (sizeof s_commands / sizeof s_commands [0])

static int
usage (FILE *out)
{
    fprintf (out, "usage: ofwatch COMMAND ...\n\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf (out, "  ofwatch %s\n", s_commands [i].usage);
    fprintf (out, "\nConfiguration comes from the OFWATCH_* environment variables"
                  " (see README.md).\n");
    return out == stdout ? 0 : 2;
}

void
cli_fail (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    fputs ("ofwatch: ", stderr);
    vfprintf (stderr, format, args);
    fputc ('\n', stderr);
    va_end (args);
}

const ow_register_t *
cli_register (cli_t *cli)
{
    if (!cli->reg) {
        char *error = NULL;
        cli->reg = ow_register_load (cli->config.data, &error);
        if (!cli->reg) {
            cli_fail ("cannot load the authority register from %s: %s", cli->config.data, error);
            free (error);
        }
    }
    return cli->reg;
}

ow_client_t *
cli_client (const char *endpoint, const char *name)
{
    char *connectable = ow_config_connectable (endpoint);
    ow_client_t *client = ow_client_new (connectable, name);
    free (connectable);
    return client;
}

Ofwatch__V1__Reply *
cli_call (ow_client_t *client, Ofwatch__V1__Request *request, int timeout_ms,
          Ofwatch__V1__Reply__BodyCase expected, const char *what)
{
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (client, request, timeout_ms, &error);
    const char *problem = reply ? cli_reply_problem (reply, expected) : error;
    if (problem) {
        cli_fail ("%s: %s", what, problem);
        ow_pb_free (&reply);
    }
    free (error);
    return reply;
}

Ofwatch__V1__Reply *
cli_ask (const char *endpoint, const char *name, Ofwatch__V1__Request *request,
         int timeout_ms, Ofwatch__V1__Reply__BodyCase expected, const char *what)
{
    ow_client_t *client = cli_client (endpoint, name);
    Ofwatch__V1__Reply *reply = cli_call (client, request, timeout_ms, expected, what);
    ow_client_destroy (&client);
    return reply;
}

uint8_t *
cli_read_file (const char *path, size_t max_size, size_t *size, char **error)
{
    FILE *file = fopen (path, "rb");
    if (!file) {
        *error = ow_printf ("%s: %s", path, strerror (errno));
        return NULL;
    }
    struct stat info;
    if (fstat (fileno (file), &info) != 0 || !S_ISREG (info.st_mode)) {
        fclose (file);
        *error = ow_printf ("%s: not a regular file", path);
        return NULL;
    }
    if ((size_t) info.st_size > max_size) {
        fclose (file);
        *error = ow_printf ("%s: the file is larger than the %zu MiB limit", path,
                            max_size / (1024 * 1024));
        return NULL;
    }
    uint8_t *bytes = ow_malloc ((size_t) info.st_size + 1);
    *size = fread (bytes, 1, (size_t) info.st_size, file);
    bool failed = ferror (file);
    fclose (file);
    if (failed) {
        free (bytes);
        *error = ow_printf ("%s: read error", path);
        return NULL;
    }
    return bytes;
}

const char *
cli_reply_problem (const Ofwatch__V1__Reply *reply, Ofwatch__V1__Reply__BodyCase expected)
{
    if (!reply)
        return "no answer";
    if (reply->body_case == expected)
        return NULL;
    const char *message = ow_client_error_message (reply);
    return message ? message : "an unexpected answer";
}

void
cli_print_json (const ProtobufCMessage *message)
{
    char *text = ow_pbjson_text (message);
    puts (text);
    free (text);
}

char *
cli_grades_text (const Ofwatch__V1__InspectionFacts *facts)
{
    char *text = ow_strdup ("");
    for (size_t i = 0; i < facts->n_judgements; i++) {
        const char *grade = ow_grade_word (facts->judgements [i]->value);
        char *longer = ow_printf ("%s%s%s %s", text, i ? ", " : "", facts->judgements [i]->key,
                                  grade ? grade : "?");
        free (text);
        text = longer;
    }
    return text;
}

//  A program that catches Ctrl-C must still die of it once it has cleaned
//  up, or a calling shell script takes the exit as handled and carries on
//  (bash's "wait and cooperative exit").
static void
die_interrupted (void)
{
    zsys_shutdown ();
    signal (SIGINT, SIG_DFL);
    raise (SIGINT);
}

int
main (int argc, char **argv)
{
    if (argc < 2)
        return usage (stderr);
    if (strcmp (argv [1], "--help") == 0 || strcmp (argv [1], "help") == 0)
        return usage (stdout);
    cli_t cli = { 0 };
    ow_config_load (&cli.config);
    ow_log_init ("ofwatch", getenv ("OFWATCH_LOG") ? cli.config.log : "warn");
    //  CZMQ's own SIGINT handling lets long commands stop cleanly.
    zsys_init ();
    zsys_set_logstream (NULL);
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (strcmp (argv [1], s_commands [i].name) == 0) {
            int rc = s_commands [i].run (&cli, argc - 1, argv + 1);
            ow_register_destroy (&cli.reg);
            if (zsys_interrupted)
                die_interrupted ();
            return rc;
        }
    }
    cli_fail ("unknown command \"%s\"", argv [1]);
    return usage (stderr);
}
