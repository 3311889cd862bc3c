/*  it_listener — a subscriber on its own thread; see it_listener.h.  */

#include "it_listener.h"
#include "ow_client.h"
#include "ow_follower.h"
#include "ow_wire.h"

#include <pthread.h>

struct _it_listener_t {
    bool following;
    zactor_t *actor;
    pthread_mutex_t lock;
    it_events_t events;
};

static void
record (void *context, const Ofwatch__V1__Event *event)
{
    it_listener_t *self = context;
    pthread_mutex_lock (&self->lock);
    it_events_add (&self->events, ow_pb_copy (&event->base));
    pthread_mutex_unlock (&self->lock);
}

static int
on_pipe (zloop_t *loop, zsock_t *pipe, void *argument)
{
    char *command = zstr_recv (pipe);
    zstr_free (&command);
    return -1;                       // $TERM ends the loop
}

static int
on_plain (zloop_t *loop, zsock_t *subscriber, void *argument)
{
    Ofwatch__V1__Event *event = ow_wire_receive_event (subscriber);
    if (event)
        record (argument, event);
    ow_pb_free (&event);
    return 0;
}

static void
listen_actor (zsock_t *pipe, void *argument)
{
    it_listener_t *self = argument;
    ow_config_t config;
    ow_config_load (&config);
    char *replay_endpoint = ow_config_connectable (config.notify_replay);
    char *pub_endpoint = ow_config_connectable (config.notify_pub);
    ow_client_t *replay = NULL;
    ow_follower_t *follower = NULL;
    zsock_t *plain = NULL;
    zloop_t *loop = zloop_new ();
    zloop_reader (loop, pipe, on_pipe, NULL);
    if (self->following) {
        replay = ow_client_new (replay_endpoint, "notify");
        follower = ow_follower_new (replay, pub_endpoint, 0, NULL, record, NULL, self);
        ow_follower_attach (follower, loop);
    }
    else {
        plain = it_subscribe ("");
        zloop_reader (loop, plain, on_plain, self);
    }
    zsock_signal (pipe, 0);
    if (follower)
        ow_follower_catch_up (follower);
    zloop_start (loop);
    zloop_destroy (&loop);
    zsock_destroy (&plain);
    ow_follower_destroy (&follower);
    ow_client_destroy (&replay);
    free (replay_endpoint);
    free (pub_endpoint);
}

it_listener_t *
it_listener_new (bool following)
{
    it_listener_t *self = ow_calloc (1, sizeof *self);
    self->following = following;
    pthread_mutex_init (&self->lock, NULL);
    self->actor = zactor_new (listen_actor, self);
    return self;
}

void
it_listener_destroy (it_listener_t **self_p, it_events_t *events)
{
    it_listener_t *self = *self_p;
    if (self) {
        zactor_destroy (&self->actor);
        *events = self->events;
        pthread_mutex_destroy (&self->lock);
        free (self);
        *self_p = NULL;
    }
}

size_t
it_listener_count (it_listener_t *self)
{
    pthread_mutex_lock (&self->lock);
    size_t count = self->events.count;
    pthread_mutex_unlock (&self->lock);
    return count;
}
