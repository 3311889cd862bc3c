/*  publish_cursor — how far notify has published, committed to store from
    a thread of its own.

    notify resumes publishing from this cursor after a restart, so it is
    committed often (every SAVE_MS while it moves) to keep what is
    published twice after a crash small. Committing is a round trip to
    store and a PostgreSQL commit; done on the reactor it would hold up
    every event behind it. The reactor only hands the newest cursor over
    (a message on an inproc pipe); this thread commits the latest one it
    has, and the last one when it is stopped.
*/

#include "notify.h"
#include "ow_client.h"
#include "ow_log.h"

#define SAVE_MS            100
#define COMMIT_TIMEOUT_MS  1000

struct _publish_cursor_t {
    zactor_t *actor;
};

typedef struct {
    char *store;
    char *consumer;
    uint64_t saved;
    bool failing;                    // the last commit failed (said once)
} keeper_t;

//  Reads every cursor waiting on the pipe, keeping the greatest. False on
//  $TERM.
static bool
drain (zsock_t *pipe, uint64_t *latest)
{
    while (zsock_events (pipe) & ZMQ_POLLIN) {
        zmsg_t *msg = zmsg_recv (pipe);
        zframe_t *frame = msg ? zmsg_first (msg) : NULL;
        bool stop = !frame || zframe_streq (frame, "$TERM");
        if (!stop && zframe_size (frame) == sizeof (uint64_t)) {
            uint64_t cursor;
            memcpy (&cursor, zframe_data (frame), sizeof cursor);
            if (cursor > *latest)
                *latest = cursor;
        }
        zmsg_destroy (&msg);
        if (stop)
            return false;
    }
    return true;
}

//  Commits the cursor, waiting at most COMMIT_TIMEOUT_MS: a commit lost
//  to a restarting store is simply made again with a later cursor, and
//  notify stopping never waits long for one. Said once per outage.
static void
commit (keeper_t *self, ow_client_t *store, uint64_t cursor)
{
    if (cursor <= self->saved)
        return;
    Ofwatch__V1__DeriveRequest derive = OFWATCH__V1__DERIVE_REQUEST__INIT;
    derive.consumer = self->consumer;
    derive.cursor = cursor;
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_DERIVE;
    request.derive = &derive;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (store, &request, COMMIT_TIMEOUT_MS, &error);
    bool ok = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_DERIVE;
    if (ok)
        self->saved = cursor;
    else if (!self->failing)
        ow_warn ("cannot commit how far notify has published; will try again", "reason",
                 error ? error : ow_client_error_message (reply));
    self->failing = !ok;
    free (error);
    ow_pb_free (&reply);
}

static void
keeper_run (zsock_t *pipe, void *argument)
{
    keeper_t *self = argument;
    ow_client_t *store = ow_client_new (self->store, "store");
    uint64_t latest = self->saved;
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, NULL);
    //  SIGTERM stops notify's reactor, not this: the last cursor is still
    //  to come, followed by $TERM.
    zpoller_set_nonstop (poller, true);
    bool running = true;
    while (running) {
        //  Waits for a cursor, then lets more gather for SAVE_MS.
        running = zpoller_wait (poller, -1) == pipe && drain (pipe, &latest);
        int64_t until = zclock_mono () + SAVE_MS;
        while (running && zclock_mono () < until)
            if (zpoller_wait (poller, (int) (until - zclock_mono ())) == pipe)
                running = drain (pipe, &latest);
        commit (self, store, latest);
    }
    zpoller_destroy (&poller);
    ow_client_destroy (&store);
    free (self->store);
    free (self->consumer);
    free (self);
}

publish_cursor_t *
publish_cursor_new (const char *store, const char *consumer)
{
    keeper_t *keeper = ow_calloc (1, sizeof *keeper);
    keeper->store = ow_strdup (store);
    keeper->consumer = ow_strdup (consumer);
    publish_cursor_t *self = ow_calloc (1, sizeof *self);
    self->actor = zactor_new (keeper_run, keeper);
    assert (self->actor);
    return self;
}

void
publish_cursor_destroy (publish_cursor_t **self_p)
{
    publish_cursor_t *self = *self_p;
    if (self) {
        zactor_destroy (&self->actor);
        free (self);
        *self_p = NULL;
    }
}

void
publish_cursor_set (publish_cursor_t *self, uint64_t cursor)
{
    zframe_t *frame = zframe_new (&cursor, sizeof cursor);
    zframe_send (&frame, self->actor, 0);
}
