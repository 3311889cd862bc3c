/*  ow_service — start-up and the serving loop shared by every service.  */

#include "ow_service.h"
#include "ow_log.h"
#include "ow_security.h"

#include <pthread.h>
#include <signal.h>

void
ow_service_init (ow_config_t *config, const char *name)
{
    ow_config_load (config);
    ow_log_init (name, config->log);
    ow_security_set_identity (name);
    //  CZMQ catches SIGINT and SIGTERM and sets zsys_interrupted, which
    //  ends zloop after the handler in progress returns: when the signal
    //  interrupts the reactor's poll. A signal handled by another thread
    //  (the metrics server's, a webhook's) sets the flag but leaves the
    //  poll asleep, until its next timer or request: store, with no timer,
    //  could sleep on for an hour. So the signals are blocked here, before
    //  any other thread exists, and every thread inherits that; only the
    //  reactor's thread takes them again (ow_service_run).
    zsys_init ();
    zsys_set_logstream (NULL);
    sigset_t stops;
    sigemptyset (&stops);
    sigaddset (&stops, SIGINT);
    sigaddset (&stops, SIGTERM);
    pthread_sigmask (SIG_BLOCK, &stops, NULL);
}

//  zloop checks zsys_interrupted before entering its poll and when the
//  poll returns: a signal handled in between (while the reactor finishes
//  a request and builds its poll set) wakes nothing, and a reactor with no
//  timer would then sleep on, up to an hour. This tick bounds that.
#define STOP_CHECK_MS 200

static int
stop_check (zloop_t *loop, int timer_id, void *argument)
{
    return 0;
}

void
ow_service_run (zloop_t *loop)
{
    zloop_timer (loop, STOP_CHECK_MS, 0, stop_check, NULL);
    sigset_t stops;
    sigemptyset (&stops);
    sigaddset (&stops, SIGINT);
    sigaddset (&stops, SIGTERM);
    //  A signal that came while blocked is handled now, and zloop_start
    //  then returns at once.
    pthread_sigmask (SIG_UNBLOCK, &stops, NULL);
    zloop_start (loop);
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
ow_service_serve (ow_server_t *server)
{
    zloop_t *loop = zloop_new ();
    ow_server_attach (server, loop);
    ow_service_run (loop);
    zloop_destroy (&loop);
    ow_info ("stopping");
}
