/*  ow_publisher — a PUB whose subscribers' keys stay valid; see
    ow_publisher.h.  */

#include "ow_publisher.h"
#include "ow_config.h"
#include "ow_keys.h"
#include "ow_log.h"
#include "ow_rights.h"
#include "ow_security.h"
#include "ow_wire.h"

//  A PUB keeps this many events for a slow subscriber before dropping.
#define SEND_HWM        1000000
//  ZeroMQ closes a socket's listener on its own thread: the new socket's
//  bind is tried again until the port is free.
#define BIND_ATTEMPTS   200
#define BIND_RETRY_MS   10

struct _ow_publisher_t {
    char *endpoint;
    char *domain;               // "<service>.pub"
    zsock_t *socket;
    ow_keys_t *keys;            // the registry, read when it changes
    ow_keys_watch_t *watch;     // NULL when the socket is not secured
    size_t rebinds;
};

//  A new secured, bound PUB; NULL after logging why.
static zsock_t *
open_socket (ow_publisher_t *self)
{
    zsock_t *socket = zsock_new (ZMQ_PUB);
    assert (socket);
    zsock_set_sndhwm (socket, SEND_HWM);
    zsock_set_linger (socket, 0);
    char *error = NULL;
    if (!ow_security_server (socket, self->domain, &error)) {
        ow_error ("cannot secure the event socket", "endpoint", self->endpoint, "reason", error);
        free (error);
        zsock_destroy (&socket);
        return NULL;
    }
    int rc = -1;
    for (int attempt = 0; attempt < BIND_ATTEMPTS && rc < 0 && !zsys_interrupted; attempt++) {
        rc = zsock_bind (socket, "%s", self->endpoint);
        if (rc < 0 && zmq_errno () == EADDRINUSE && self->rebinds)
            zclock_sleep (BIND_RETRY_MS);
        else
            break;
    }
    if (rc < 0) {
        ow_error ("cannot bind", "endpoint", self->endpoint, "reason", zmq_strerror (zmq_errno ()));
        ow_security_server_release (socket);
        zsock_destroy (&socket);
    }
    return socket;
}

static void
close_socket (ow_publisher_t *self)
{
    ow_security_server_release (self->socket);
    zsock_destroy (&self->socket);
}

ow_publisher_t *
ow_publisher_new (const char *endpoint, const char *service)
{
    ow_publisher_t *self = ow_calloc (1, sizeof *self);
    self->endpoint = ow_strdup (endpoint);
    self->domain = ow_printf ("%s.pub", service);
    self->socket = open_socket (self);
    if (!self->socket) {
        ow_publisher_destroy (&self);
        return NULL;
    }
    if (zsock_curve_server (self->socket)) {
        ow_config_t config;
        ow_config_load (&config);
        self->keys = ow_keys_new (config.keys);
        self->watch = ow_keys_watch_new (config.keys);
    }
    ow_info ("publishing events", "socket", self->domain, "endpoint", endpoint);
    return self;
}

void
ow_publisher_destroy (ow_publisher_t **self_p)
{
    ow_publisher_t *self = *self_p;
    if (self) {
        close_socket (self);
        ow_keys_watch_destroy (&self->watch);
        ow_keys_destroy (&self->keys);
        free (self->endpoint);
        free (self->domain);
        free (self);
        *self_p = NULL;
    }
}

//  The first key let in on the socket that may no longer be, or NULL
//  (caller frees).
static char *
withdrawn_peer (ow_publisher_t *self)
{
    zlistx_t *peers = ow_security_peers (self->domain);
    char *withdrawn = NULL;
    for (char *name = zlistx_first (peers); name && !withdrawn; name = zlistx_next (peers)) {
        const ow_key_t *key = ow_keys_current (self->keys, name);
        if (!key || key->revoked || !ow_rights_may_connect (self->domain, key))
            withdrawn = ow_strdup (name);
    }
    zlistx_destroy (&peers);
    return withdrawn;
}

//  Makes the socket anew when a subscriber's key was withdrawn.
static void
check_peers (ow_publisher_t *self)
{
    if (!self->watch || !ow_keys_watch_changed (self->watch))
        return;
    char *withdrawn = withdrawn_peer (self);
    if (!withdrawn)
        return;
    close_socket (self);
    //  Forgotten after the old connections are gone and before new ones
    //  can come: every key let in from now on is on the new socket.
    ow_security_peers_forget (self->domain);
    self->rebinds++;
    self->socket = open_socket (self);
    ow_info ("made the event socket anew so every subscriber is checked again: a key that "
             "had connected was revoked or removed", "socket", self->domain, "key", withdrawn);
    free (withdrawn);
}

int
ow_publisher_send (ow_publisher_t *self, const Ofwatch__V1__Event *event)
{
    check_peers (self);
    if (!self->socket) {
        //  The port could not be bound again: nothing goes out until it
        //  can be, and subscribers catch up by seq once it is.
        self->socket = open_socket (self);
        if (!self->socket)
            return -1;
    }
    return ow_wire_publish (self->socket, event);
}

size_t
ow_publisher_rebinds (ow_publisher_t *self)
{
    return self->rebinds;
}
