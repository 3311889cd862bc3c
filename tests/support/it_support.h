/*  it_support — what integration tests share: talking to the running
    stack (started by tests/integration/run.sh) over its real sockets, and
    running the real CLI.
*/
#ifndef IT_SUPPORT_H
#define IT_SUPPORT_H

#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>
#include "ow_client.h"
#include "ow_config.h"
#include "ow_pb.h"

//  The repository's samples/ path of a sample file; caller frees.
char *it_sample (const char *relative);

//  A client of a service of this test's stack, at its configured endpoint
//  (a wildcard bind address made connectable); `name` as ow_client_new's.
ow_client_t *it_client (const char *endpoint, const char *name);

//  Submits a file to ingest; returns the Reply (caller frees).
Ofwatch__V1__Reply *it_submit_file (const char *path);

//  A SUB socket on notify's PUB, subscribed to prefix, given time to join.
zsock_t *it_subscribe (const char *prefix);

//  Receives the next event within timeout_ms, or NULL.
Ofwatch__V1__Event *it_next_event (zsock_t *subscriber, int timeout_ms);

//  Runs the CLI with arguments (a shell-quoted string) and returns its
//  stdout (caller frees) and exit code.
char *it_cli (const char *arguments, int *exit_code);

//  Asks the service at endpoint for its health; true with *last_seq set
//  when it answers with one within timeout_ms.
bool it_health_seq (const char *endpoint, const char *name, int timeout_ms,
                    uint64_t *last_seq);

//  Asks store for its last seq (UINT64_MAX when it does not answer).
uint64_t it_store_last_seq (void);

//  How many lines of a service's log (OFWATCH_TEST_LOG/<service>.log)
//  hold text; the longest line's length.
size_t it_log_lines_with (const char *service, const char *text);
size_t it_log_longest_line (const char *service);

//  A TCP port on 127.0.0.1 nothing listens on now.
int it_free_port (void);

//  Appends an event to a growing list.
typedef struct {
    Ofwatch__V1__Event **events;
    size_t count;
} it_events_t;
void it_events_add (it_events_t *list, Ofwatch__V1__Event *event);
void it_events_free (it_events_t *list);
size_t it_events_count_type (const it_events_t *list, Ofwatch__V1__EventType type);

#endif
