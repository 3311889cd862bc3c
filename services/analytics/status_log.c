/*  status_log — each authority's status changes; see status_log.h.  */

#include "status_log.h"
#include "ow_log.h"
#include "ow_wire.h"

#include <czmq.h>

typedef struct {
    analytics_mark_t *marks;
    size_t count;
} changes_t;

struct _status_log_t {
    ow_db_t *db;
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
status_log_new (ow_db_t *db)
{
    status_log_t *self = ow_calloc (1, sizeof (status_log_t));
    self->db = db;
    ow_db_statement (db, "status_changes",
        "SELECT body FROM event WHERE type = 'status.changed' ORDER BY seq");
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

//  Every status change in the log, oldest first: one read of the log (by
//  type), not one per authority, from PostgreSQL like the histories.
static bool
read_log (status_log_t *self)
{
    PGresult *result = ow_db_run (self->db, "status_changes", 0, NULL);
    if (!result) {
        ow_warn ("cannot read the status changes in the log; they wait");
        return false;
    }
    for (int row = 0; row < PQntuples (result); row++) {
        size_t size = 0;
        unsigned char *body = PQunescapeBytea ((const unsigned char *) PQgetvalue (result, row, 0),
                                               &size);
        Ofwatch__V1__Event *event = body ? ow_wire_unpack_event (body, size) : NULL;
        PQfreemem (body);
        if (event)
            note (self, event);
        ow_pb_free (&event);
    }
    PQclear (result);
    return true;
}

bool
status_log_marks (status_log_t *self, const char *authority,
                  const Ofwatch__V1__DeriveRequest *const *waiting, size_t n_waiting,
                  analytics_mark_t **marks, size_t *count)
{
    if (!self->read) {
        if (!read_log (self))
            return false;
        for (size_t r = 0; r < n_waiting; r++)
            for (size_t i = 0; waiting [r] && i < waiting [r]->n_events; i++)
                note (self, waiting [r]->events [i]->event);
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
