/*  ofwatch — the command-line client (CONTRACTS.md section 3).

    One file per command; this header is what they share: configuration,
    the register, and small output helpers. Every error is one plain
    sentence on stderr naming the file or thing and the cause.
*/
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include "ow_client.h"
#include "ow_config.h"
#include "ow_pb.h"
#include "ow_register.h"

typedef struct {
    ow_config_t config;
    ow_register_t *reg;         // loaded on first use
} cli_t;

typedef int (cli_command_fn) (cli_t *cli, int argc, char **argv);

cli_command_fn cli_extract, cli_submit, cli_history, cli_events, cli_health;
cli_command_fn cli_keys, cli_audit, cli_watch;

//  cmd_audit.c: every document stored about an authority with the key
//  that submitted it (`history --sources`); 0, or 1 after saying why not.
int cli_sources (cli_t *cli, const char *authority, bool json);
cli_command_fn cli_benchmark, cli_themes, cli_national, cli_export, cli_report;

//  cli_analytics.c: asking analytics (cli_ask with the time a summary of
//  all England needs) and aligned tables.
Ofwatch__V1__Reply *cli_ask_analytics (cli_t *cli, Ofwatch__V1__Request *request,
                                       Ofwatch__V1__Reply__BodyCase expected, const char *what);
//  Reads a command's one option, --json, and checks `operands` arguments
//  follow it: 0, or 2 after saying `usage`; the operands start at optind.
int cli_json_option (int argc, char **argv, int operands, bool *json, const char *usage);
typedef struct _cli_table_t cli_table_t;
//  Headers come as arguments ending with NULL; any not given are added
//  with cli_table_add.
cli_table_t *cli_table_new (size_t columns, ...);
void cli_table_destroy (cli_table_t **self_p);
void cli_table_add (cli_table_t *self, const char *value);  // next cell; "-" for none
void cli_table_addf (cli_table_t *self, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));
void cli_table_print (const cli_table_t *self);
cli_command_fn cli_webhook;

//  Adds --type, --theme or --authority (`what`: "type", "theme",
//  "authority") VALUE to an event filter; false after saying why not.
//  Shared by `events` and `webhook add` (cmd_events.c).
bool cli_filter_add (cli_t *cli, Ofwatch__V1__EventFilter *filter, const char *what,
                     const char *value);

//  The register, loading it on first use; NULL after printing why.
const ow_register_t *cli_register (cli_t *cli);

//  A client for a service endpoint from the configuration (a wildcard
//  bind address is turned into a connectable one).
ow_client_t *cli_client (const char *endpoint, const char *name);

//  Sends request over client and waits up to timeout_ms: the reply with
//  body `expected`, or NULL after printing "what: why" (no answer, an
//  Error reply, another body). Caller frees the reply.
Ofwatch__V1__Reply *cli_call (ow_client_t *client, Ofwatch__V1__Request *request, int timeout_ms,
                              Ofwatch__V1__Reply__BodyCase expected, const char *what);

//  As cli_call, over a client of service `name` at endpoint made for this
//  one request.
Ofwatch__V1__Reply *cli_ask (const char *endpoint, const char *name,
                             Ofwatch__V1__Request *request, int timeout_ms,
                             Ofwatch__V1__Reply__BodyCase expected, const char *what);

//  Prints "ofwatch: " and the formatted sentence to stderr.
void cli_fail (const char *format, ...) __attribute__ ((format (printf, 1, 2)));

//  Reads a whole file; NULL with *error set (caller frees both).
uint8_t *cli_read_file (const char *path, size_t max_size, size_t *size, char **error);

//  The Reply's error text, or a sentence for an unexpected body.
const char *cli_reply_problem (const Ofwatch__V1__Reply *reply,
                               Ofwatch__V1__Reply__BodyCase expected);

//  Writes a message as one JSON line on stdout.
void cli_print_json (const ProtobufCMessage *message);

//  Grades of an inspection as "area grade, area grade".
char *cli_grades_text (const Ofwatch__V1__InspectionFacts *facts);

#endif
