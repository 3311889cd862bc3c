/*  it_listener — a subscriber on its own thread; see it_listener.h.  */

#include "it_listener.h"
#include "ow_client.h"
#include "ow_follower.h"
#include "ow_wire.h"

#include <pthread.h>

struct _it_listener_t {
    bool following;
    char *pub, *replay;              // NULL: the configured endpoints
    int64_t *arrivals;               // zclock_mono of each event heard
    size_t arrivals_size;
    zactor_t *actor;
    pthread_mutex_t lock;
    it_events_t events;
};

static void
record (void *context, const Ofwatch__V1__Event *event)
{
    it_listener_t *self = context;
    pthread_mutex_lock (&self->lock);
    if (self->events.count == self->arrivals_size) {
        self->arrivals_size = self->arrivals_size ? self->arrivals_size * 2 : 1024;
        self->arrivals = realloc (self->arrivals, self->arrivals_size * sizeof (int64_t));
        assert (self->arrivals);
    }
    self->arrivals [self->events.count] = zclock_mono ();
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
    char *replay_endpoint = ow_config_connectable (self->replay ? self->replay
                                                                : config.notify_replay);
    char *pub_endpoint = ow_config_connectable (self->pub ? self->pub : config.notify_pub);
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
it_listener_new_at (const char *pub, const char *replay)
{
    it_listener_t *self = ow_calloc (1, sizeof *self);
    self->following = true;
    self->pub = ow_strdup (pub);
    self->replay = ow_strdup (replay);
    pthread_mutex_init (&self->lock, NULL);
    self->actor = zactor_new (listen_actor, self);
    return self;
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
        free (self->arrivals);
        free (self->pub);
        free (self->replay);
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

uint64_t
it_listener_last_seq (it_listener_t *self)
{
    pthread_mutex_lock (&self->lock);
    uint64_t last = 0;
    for (size_t i = 0; i < self->events.count; i++)
        if (self->events.events [i]->seq > last)
            last = self->events.events [i]->seq;
    pthread_mutex_unlock (&self->lock);
    return last;
}

int64_t
it_listener_heard_after (it_listener_t *self, uint64_t after_seq, int64_t since,
                         it_event_wanted_fn *wanted)
{
    pthread_mutex_lock (&self->lock);
    int64_t heard = 0;
    for (size_t i = 0; i < self->events.count && !heard; i++)
        if (self->events.events [i]->seq > after_seq && self->arrivals [i] >= since
            && (!wanted || wanted (self->events.events [i])))
            heard = self->arrivals [i];
    pthread_mutex_unlock (&self->lock);
    return heard;
}

int64_t
it_listener_longest_pause (it_listener_t *self, int64_t from, int64_t to)
{
    pthread_mutex_lock (&self->lock);
    int64_t longest = 0, previous = from;
    for (size_t i = 0; i < self->events.count; i++) {
        int64_t at = self->arrivals [i];
        if (at < from || at > to)
            continue;
        if (at - previous > longest)
            longest = at - previous;
        previous = at;
    }
    pthread_mutex_unlock (&self->lock);
    return longest;
}
