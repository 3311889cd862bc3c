/*  ow_security — CURVE on ofwatch's sockets, who may connect, and the
    limits that keep hostile input from costing more than it should.

    Every socket of every service speaks CURVE: ingest's, store's,
    analytics' and notify's. A server presents server.cert from
    OFWATCH_KEYS and asks the process's ZAP handler about every
    connection: the handler looks the client's public key up in the keys
    registry (ow_keys) each time, so a key revoked a moment ago is refused
    from its next connection, and it names the connection's peer by the
    key's name (the User-Id a server reads from each message's metadata).
    Which roles may connect where is ow_rights' table.

    A client presents a certificate and checks the server against
    server.cert: a service presents its own service key,
    OFWATCH_KEYS/<service>.cert (ow_security_set_identity, at start); any
    other program, the CLI included, presents OFWATCH_CERT.

    OFWATCH_DEV_INSECURE_INTERNAL=1 is a development setting: store's and
    analytics' sockets then take anyone in the clear, which every service
    says in its log at start. The external ones (ingest, notify) always
    speak CURVE.

    ZeroMQ allows one ZAP handler per context (inproc://zeromq.zap.01) and
    CZMQ has one context per process, so the handler is held here for the
    process: started by the first secured server socket, stopped with the
    last. With it the keys it let in on each domain, so a publisher can
    tell when one of its subscribers' keys is revoked (ow_publisher). It
    is the one piece of process-wide state in the library, with the
    process's identity, which is set once at start.
*/
#ifndef OW_SECURITY_H
#define OW_SECURITY_H

#include <czmq.h>
#include <stdbool.h>
#include "ow_pb.h"

//  The limits, from the environment (README, "Security"):
typedef struct {
    bool insecure_internal;     // OFWATCH_DEV_INSECURE_INTERNAL=1: store, analytics in the clear
    int rate_per_minute;        // OFWATCH_RATE_LIMIT: requests per key per minute (0: none)
    int decode_seconds;         // OFWATCH_DECODE_SECONDS: CPU seconds per document
    int decode_memory_mb;       // OFWATCH_DECODE_MEMORY: MiB of address space per document
    int workers;                // OFWATCH_INGEST_WORKERS: documents decoded at once
    int queue;                  // submissions waiting for a worker before "busy"
} ow_security_limits_t;

void ow_security_limits_load (ow_security_limits_t *limits);

//  At a service's start: the process presents OFWATCH_KEYS/<name>.cert
//  as a client from now on, and the development setting, when it is on,
//  is said in the log (as is the retired OFWATCH_SECURE_INTERNAL).
void ow_security_set_identity (const char *name);

//  Whether sockets of this service ("ingest", "notify", "store",
//  "analytics", or a domain "notify.pub") speak CURVE.
bool ow_security_wanted (const char *service);

//  Prepares a server socket before it binds: size and handshake limits
//  always; CURVE, the server certificate and the ZAP domain (`domain`:
//  the service's name, or "service.socket") when the service is secured.
//  Waits (logging once) while the server certificate is missing, as a
//  service waits for what it needs. Returns false with *error (or, when
//  error is NULL, logged) when interrupted or the certificate is
//  unreadable. Call ow_security_server_release before destroying the
//  socket.
bool ow_security_server (zsock_t *socket, const char *domain, char **error);
void ow_security_server_release (zsock_t *socket);

//  Prepares a client socket (DEALER, SUB) that will connect to `service`:
//  presents the process's certificate (see above) when the service is
//  secured. False with *error (or, when error is NULL, logged) when
//  there is no usable certificate.
bool ow_security_client (zsock_t *socket, const char *service, char **error);

//  The path of the certificate this process presents (caller frees).
char *ow_security_client_cert (void);

//  The names of the keys the ZAP handler let in on `domain` since it was
//  last forgotten (caller destroys the list).
zlistx_t *ow_security_peers (const char *domain);

//  Forgets the keys let in on `domain` (its socket was made anew).
void ow_security_peers_forget (const char *domain);

//  A PAIR socket receiving `socket`'s handshake failures, so a client can
//  tell "refused" from "no answer"; destroy it with
//  ow_security_monitor_destroy before the socket.
zsock_t *ow_security_monitor_new (zsock_t *socket);
void ow_security_monitor_destroy (zsock_t *socket, zsock_t **monitor_p);

//  Reads one event from a monitor: true when the server refused the key.
bool ow_security_monitor_refused (zsock_t *monitor);

#endif
