/*  it_support — helpers for integration tests; see it_support.h.  */

#include "it_support.h"
#include "ow_client.h"
#include "ow_security.h"
#include "ow_wire.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

char *
it_sample (const char *relative)
{
    const char *top = getenv ("OFWATCH_TEST_TOP");
    return ow_printf ("%s/samples/%s", top ? top : ".", relative);
}

ow_client_t *
it_client (const char *endpoint, const char *name)
{
    char *connectable = ow_config_connectable (endpoint);
    ow_client_t *client = ow_client_new (connectable, name);
    free (connectable);
    return client;
}

Ofwatch__V1__Reply *
it_submit_file (const char *path)
{
    ow_config_t config;
    ow_config_load (&config);
    zchunk_t *content = zchunk_slurp (path, 0);
    assert (content);
    Ofwatch__V1__SubmitRequest submit = OFWATCH__V1__SUBMIT_REQUEST__INIT;
    submit.content.data = zchunk_data (content);
    submit.content.len = zchunk_size (content);
    submit.file_name = (char *) path;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
    request.submit = &submit;
    ow_client_t *ingest = it_client (config.ingest, "ingest");
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (ingest, &request, 120000, &error);
    if (!reply)
        fprintf (stderr, "it_submit_file %s: %s\n", path, error);
    free (error);
    ow_client_destroy (&ingest);
    zchunk_destroy (&content);
    return reply;
}

zsock_t *
it_subscribe (const char *prefix)
{
    ow_config_t config;
    ow_config_load (&config);
    char *endpoint = ow_config_connectable (config.notify_pub);
    zsock_t *subscriber = zsock_new (ZMQ_SUB);
    zsock_set_subscribe (subscriber, prefix);
    ow_security_client (subscriber, "notify", NULL);
    zsock_connect (subscriber, "%s", endpoint);
    free (endpoint);
    //  A SUB socket receives nothing published before it has joined.
    zclock_sleep (300);
    return subscriber;
}

Ofwatch__V1__Event *
it_next_event (zsock_t *subscriber, int timeout_ms)
{
    zpoller_t *poller = zpoller_new (subscriber, NULL);
    Ofwatch__V1__Event *event = NULL;
    if (zpoller_wait (poller, timeout_ms))
        event = ow_wire_receive_event (subscriber);
    zpoller_destroy (&poller);
    return event;
}

char *
it_cli (const char *arguments, int *exit_code)
{
    const char *bin = getenv ("OFWATCH_TEST_BIN");
    char *command = ow_printf ("'%s/ofwatch' %s", bin ? bin : "build/bin", arguments);
    FILE *pipe = popen (command, "r");
    free (command);
    assert (pipe);
    size_t size = 0, capacity = 4096;
    char *output = ow_malloc (capacity);
    size_t n;
    while ((n = fread (output + size, 1, capacity - size - 1, pipe)) > 0) {
        size += n;
        if (capacity - size < 1024) {
            capacity *= 2;
            output = realloc (output, capacity);
            assert (output);
        }
    }
    output [size] = 0;
    int status = pclose (pipe);
    *exit_code = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
    return output;
}

bool
it_health_seq (const char *endpoint, const char *name, int timeout_ms, uint64_t *last_seq)
{
    ow_client_t *client = it_client (endpoint, name);
    Ofwatch__V1__HealthQuery query = OFWATCH__V1__HEALTH_QUERY__INIT;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_HEALTH;
    request.health = &query;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (client, &request, timeout_ms, &error);
    bool answered = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_HEALTH;
    if (answered)
        *last_seq = reply->health->last_seq;
    free (error);
    ow_pb_free (&reply);
    ow_client_destroy (&client);
    return answered;
}

uint64_t
it_store_last_seq (void)
{
    ow_config_t config;
    ow_config_load (&config);
    uint64_t last;
    return it_health_seq (config.store, "store", 5000, &last) ? last : UINT64_MAX;
}

void
it_events_add (it_events_t *list, Ofwatch__V1__Event *event)
{
    ow_pb_append ((void ***) &list->events, &list->count, event);
}

void
it_events_free (it_events_t *list)
{
    for (size_t i = 0; i < list->count; i++)
        ow_pb_free (&list->events [i]);
    free (list->events);
    list->events = NULL;
    list->count = 0;
}

size_t
it_events_count_type (const it_events_t *list, Ofwatch__V1__EventType type)
{
    size_t count = 0;
    for (size_t i = 0; i < list->count; i++)
        count += list->events [i]->type == type;
    return count;
}

//  Calls `line` for each line of a service's log.
static void
each_log_line (const char *service, void (*line_fn) (const char *, size_t, void *),
               void *argument)
{
    char *path = ow_printf ("%s/%s.log", getenv ("OFWATCH_TEST_LOG"), service);
    FILE *file = fopen (path, "r");
    free (path);
    char *line = NULL;
    size_t size = 0;
    ssize_t length;
    while (file && (length = getline (&line, &size, file)) > 0)
        line_fn (line, (size_t) length, argument);
    free (line);
    if (file)
        fclose (file);
}

typedef struct {
    const char *text;
    size_t count;
} counting_t;

static void
count_line (const char *line, size_t length, void *argument)
{
    counting_t *counting = argument;
    counting->count += strstr (line, counting->text) != NULL;
}

size_t
it_log_lines_with (const char *service, const char *text)
{
    counting_t counting = { text, 0 };
    each_log_line (service, count_line, &counting);
    return counting.count;
}

static void
measure_line (const char *line, size_t length, void *argument)
{
    size_t *longest = argument;
    if (length > *longest)
        *longest = length;
}

size_t
it_log_longest_line (const char *service)
{
    size_t longest = 0;
    each_log_line (service, measure_line, &longest);
    return longest;
}

int
it_free_port (void)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = { .sin_family = AF_INET,
                                   .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
    socklen_t length = sizeof address;
    int port = 0;
    if (bind (fd, (struct sockaddr *) &address, sizeof address) == 0
        && getsockname (fd, (struct sockaddr *) &address, &length) == 0)
        port = ntohs (address.sin_port);
    close (fd);
    return port;
}
