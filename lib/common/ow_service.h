/*  ow_service — what every ofwatch service does at start and while it
    runs: read the configuration, start JSON logging, take its own service
    key as the certificate it presents (ow_security), let CZMQ turn
    SIGINT/SIGTERM into a clean stop, load the register, and serve its
    sockets on one reactor until told to stop.
*/
#ifndef OW_SERVICE_H
#define OW_SERVICE_H

#include "ow_config.h"
#include "ow_register.h"
#include "ow_server.h"

//  Configuration, logging and identity for the service called `name`.
void ow_service_init (ow_config_t *config, const char *name);

//  The authority register from config->data; NULL after logging why.
ow_register_t *ow_service_register (const ow_config_t *config);

//  Runs a service's reactor until SIGINT or SIGTERM, which only this
//  thread receives (ow_service_init blocks them in every other).
void ow_service_run (zloop_t *loop);

//  Serves the server until SIGINT or SIGTERM; the request in hand is
//  finished first.
void ow_service_serve (ow_server_t *server);

#endif
