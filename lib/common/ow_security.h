/*  ow_security — CURVE on ofwatch's sockets, who may connect, and the
    limits that keep hostile input from costing more than it should.

    The sockets anyone outside may reach — ingest's ROUTER, notify's PUB
    and replay ROUTER — always speak CURVE; store's and analytics' do when
    OFWATCH_SECURE_INTERNAL=1. A secured server presents server.cert from
    OFWATCH_KEYS and asks the process's ZAP handler about every connection:
    the handler looks the client's public key up in the keys registry
    (ow_keys) each time, so a key revoked a moment ago is refused from its
    next connection, and it names the connection's peer by the key's name
    (the User-Id a server reads from each message's metadata). Which roles
    may connect where:

        ingest      council, inspectorate
        notify      council, inspectorate, subscriber, the services
        analytics   council, inspectorate, subscriber, the services
        store       inspectorate, the services
        watch       inspectorate, the services (its health, with OFWATCH_SECURE_INTERNAL)

    A client presents OFWATCH_CERT (for store and analytics, when there is
    none, the servers' pair, so services reach secured internal sockets)
    and checks the server against server.cert.

    ZeroMQ allows one ZAP handler per context (inproc://zeromq.zap.01) and
    CZMQ has one context per process, so the handler is held here for the
    process: started by the first secured server socket, stopped with the
    last. It is the one piece of process-wide state in the library.
*/
#ifndef OW_SECURITY_H
#define OW_SECURITY_H

#include <czmq.h>
#include <stdbool.h>
#include "ow_pb.h"

//  The limits, from the environment (README, "Security"):
typedef struct {
    bool secure_internal;       // OFWATCH_SECURE_INTERNAL=1: CURVE on store, analytics
    int rate_per_minute;        // OFWATCH_RATE_LIMIT: submissions per key per minute (0: none)
    int decode_seconds;         // OFWATCH_DECODE_SECONDS: CPU seconds per document
    int decode_memory_mb;       // OFWATCH_DECODE_MEMORY: MiB of address space per document
    int workers;                // OFWATCH_INGEST_WORKERS: documents decoded at once
    int queue;                  // submissions waiting for a worker before "busy"
} ow_security_limits_t;

void ow_security_limits_load (ow_security_limits_t *limits);

//  How many submissions a key may send at once, for a rate of per_minute:
//  a tenth of a minute's worth, at least 10.
int ow_security_rate_burst (int per_minute);

//  Whether sockets of this service ("ingest", "notify", "store",
//  "analytics") speak CURVE.
bool ow_security_wanted (const char *service);

//  Prepares a server socket of `service` before it binds: size and
//  handshake limits always; CURVE, the server certificate and the ZAP
//  domain when the service is secured. Waits (logging once) while the
//  server certificate is missing, as a service waits for what it needs.
//  Returns false with *error (or, when error is NULL, logged) when
//  interrupted or the certificate is unreadable. Call
//  ow_security_server_release before destroying the socket.
bool ow_security_server (zsock_t *socket, const char *service, char **error);
void ow_security_server_release (zsock_t *socket);

//  Prepares a client socket (DEALER, SUB) that will connect to `service`:
//  presents OFWATCH_CERT when the service is secured. False with *error
//  (or, when error is NULL, logged) when there is no usable certificate.
bool ow_security_client (zsock_t *socket, const char *service, char **error);

//  A PAIR socket receiving `socket`'s handshake failures, so a client can
//  tell "refused" from "no answer"; destroy it with
//  ow_security_monitor_destroy before the socket.
zsock_t *ow_security_monitor_new (zsock_t *socket);
void ow_security_monitor_destroy (zsock_t *socket, zsock_t **monitor_p);

//  Reads one event from a monitor: true when the server refused the key.
bool ow_security_monitor_refused (zsock_t *monitor);

#endif
