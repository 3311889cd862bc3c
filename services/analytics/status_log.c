/*  status_log — each authority's status changes; see status_log.h.  */

#include "status_log.h"
#include "ow_log.h"

#include <czmq.h>

//  Status changes read from the log at a time.
#define STATUS_PAGE 1000

typedef struct {
    analytics_mark_t *marks;
    size_t count;
} changes_t;

struct _status_log_t {
    ow_client_t *store;
    zhashx_t *authorities;          // code -> changes_t
    bool read;                      // the log has been read
};

static void
changes_free (void **item)
{
    changes_t *changes = *item;
    if (changes) {
        free (changes->marks);
        free (changes);
        *item = NULL;
    }
}

status_log_t *
status_log_new (ow_client_t *store)
{
    status_log_t *self = ow_calloc (1, sizeof (status_log_t));
    self->store = store;
    self->authorities = zhashx_new ();
    zhashx_set_destructor (self->authorities, changes_free);
    return self;
}

void
status_log_destroy (status_log_t **self_p)
{
    status_log_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->authorities);
    free (self);
    *self_p = NULL;
}

//  Adds an event's change unless it is there.
static void
add (changes_t *changes, const Ofwatch__V1__Event *event)
{
    if (event->type != OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED || !event->payload
        || event->payload->body_case != OFWATCH__V1__PAYLOAD__BODY_STATUS_CHANGED)
        return;
    const Ofwatch__V1__StatusChanged *body = event->payload->status_changed;
    analytics_mark_t mark = { streq (body->direction, "entered"), body->inspection_id };
    for (size_t i = 0; i < changes->count; i++)
        if (changes->marks [i].entered == mark.entered
            && changes->marks [i].inspection_id == mark.inspection_id)
            return;
    analytics_mark_t *grown = realloc (changes->marks,
                                       (changes->count + 1) * sizeof (analytics_mark_t));
    assert (grown);
    changes->marks = grown;
    changes->marks [changes->count++] = mark;
}

//  Adds an event's change to its authority's.
static void
note (status_log_t *self, const Ofwatch__V1__Event *event)
{
    if (event->type != OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED || !event->authority)
        return;
    changes_t *changes = zhashx_lookup (self->authorities, event->authority);
    if (!changes) {
        changes = ow_calloc (1, sizeof (changes_t));
        zhashx_insert (self->authorities, event->authority, changes);
    }
    add (changes, event);
}

void
status_log_note (status_log_t *self, const Ofwatch__V1__Event *event)
{
    if (self->read)
        note (self, event);
}

//  Every status change in store's log, oldest first: one read of the log
//  (by type), not one per authority.
static bool
read_log (status_log_t *self)
{
    Ofwatch__V1__EventType type = OFWATCH__V1__EVENT_TYPE__EVENT_TYPE_STATUS_CHANGED;
    Ofwatch__V1__EventFilter filter = OFWATCH__V1__EVENT_FILTER__INIT;
    filter.types = &type;
    filter.n_types = 1;
    Ofwatch__V1__EventsAfter query = OFWATCH__V1__EVENTS_AFTER__INIT;
    query.filter = &filter;
    query.limit = STATUS_PAGE;
    bool more = true;
    while (more) {
        Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
        request.body_case = OFWATCH__V1__REQUEST__BODY_EVENTS_AFTER;
        request.events_after = &query;
        char *error = NULL;
        Ofwatch__V1__Reply *reply = ow_client_call (self->store, &request, 5000, &error);
        if (!reply || reply->body_case != OFWATCH__V1__REPLY__BODY_EVENTS) {
            ow_warn ("cannot read the status changes in the log; they wait",
                     "reason", error ? error : "store refused");
            free (error);
            ow_pb_free (&reply);
            zhashx_purge (self->authorities);
            return false;
        }
        for (size_t i = 0; i < reply->events->n_events; i++) {
            note (self, reply->events->events [i]);
            query.after_seq = reply->events->events [i]->seq;
        }
        more = reply->events->n_events == STATUS_PAGE;
        ow_pb_free (&reply);
    }
    return true;
}

bool
status_log_marks (status_log_t *self, const char *authority,
                  const Ofwatch__V1__DeriveRequest *waiting,
                  analytics_mark_t **marks, size_t *count)
{
    if (!self->read) {
        if (!read_log (self))
            return false;
        for (size_t i = 0; waiting && i < waiting->n_events; i++)
            note (self, waiting->events [i]->event);
        self->read = true;
    }
    //  A copy: noting the changes the caller derives moves the original.
    const changes_t *changes = zhashx_lookup (self->authorities, authority);
    size_t n = changes ? changes->count : 0;
    *marks = ow_calloc (n + 1, sizeof (analytics_mark_t));
    if (n)
        memcpy (*marks, changes->marks, n * sizeof (analytics_mark_t));
    *count = n;
    return true;
}
