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

//  The register, loading it on first use; NULL after printing why.
const ow_register_t *cli_register (cli_t *cli);

//  A client for a service endpoint from the configuration (a wildcard
//  bind address is turned into a connectable one).
ow_client_t *cli_client (const char *endpoint, const char *name);

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
