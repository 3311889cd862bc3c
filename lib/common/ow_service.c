/*  ow_service — start-up and the serving loop shared by every service.  */

#include "ow_service.h"
#include "ow_log.h"

void
ow_service_init (ow_config_t *config, const char *name)
{
    ow_config_load (config);
    ow_log_init (name, config->log);
    //  CZMQ catches SIGINT and SIGTERM and sets zsys_interrupted, which
    //  ends zloop after the handler in progress returns.
    zsys_init ();
    zsys_set_logstream (NULL);
}

ow_register_t *
ow_service_register (const ow_config_t *config)
{
    char *error = NULL;
    ow_register_t *reg = ow_register_load (config->data, &error);
    if (!reg) {
        ow_error ("cannot load the authority register", "reason", error);
        free (error);
    }
    return reg;
}

void
ow_service_serve (ow_server_t *server, ow_follower_t *follower)
{
    zloop_t *loop = zloop_new ();
    ow_server_attach (server, loop);
    if (follower)
        ow_follower_attach (follower, loop);
    zloop_start (loop);
    zloop_destroy (&loop);
    ow_info ("stopping");
}
