/*  webhook_url — where a webhook may send the log.

    A subscription makes notify POST every event it selects to a URL of
    its maker's choosing, from inside the deployment: so the URL must not
    turn notify into a way in. At `webhook add` a URL is refused when it
    is not http or https, names no host, holds credentials (user:password@;
    receivers check X-Ofwatch-Signature instead, and credentials would be
    shown in every listing), names a cloud metadata service or a
    link-local address (169.254.0.0/16, fe80::/10: where instance
    credentials are handed out), or one of ofwatch's own ports (its
    sockets, PostgreSQL's, its metrics). And since a name may resolve
    elsewhere later, each address a delivery connects to is checked again
    as the connection is made.

    Needs only libcurl's URL parser, so the fuzz targets run it as it is.
*/
#ifndef WEBHOOK_URL_H
#define WEBHOOK_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define WEBHOOK_URL_MAX     2048
#define WEBHOOK_PORTS_MAX   16

//  ofwatch's own ports, which no webhook may name.
typedef struct {
    int ports [WEBHOOK_PORTS_MAX];
    size_t count;
} webhook_ports_t;

//  Adds a port (ignoring 0 and repeats; at most WEBHOOK_PORTS_MAX).
void webhook_ports_add (webhook_ports_t *self, int port);

//  The port of a ZeroMQ tcp:// endpoint, or 0.
int webhook_endpoint_port (const char *endpoint);

//  Why notify may not POST to url (one sentence, static), or NULL.
const char *webhook_url_problem (const char *url, const webhook_ports_t *ports);

//  Whether a delivery may connect to this address: NULL, or why not
//  (static).
const char *webhook_address_problem (const struct sockaddr *address);

//  url as a listing shows it, without any user:password@ (caller frees).
char *webhook_url_shown (const char *url);

#endif
