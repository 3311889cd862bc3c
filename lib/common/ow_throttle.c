/*  ow_throttle — at most one log line per subject per interval; see
    ow_throttle.h.  */

#include "ow_throttle.h"
#include "ow_pb.h"

#include <czmq.h>

typedef struct {
    int64_t passed;             // monotonic ms of the last line that passed
    size_t held;                // times held back since
} subject_t;

struct _ow_throttle_t {
    int64_t interval_ms;
    zhashx_t *subjects;         // subject -> subject_t
};

ow_throttle_t *
ow_throttle_new (int64_t interval_ms)
{
    assert (interval_ms > 0);
    ow_throttle_t *self = ow_calloc (1, sizeof *self);
    self->interval_ms = interval_ms;
    self->subjects = zhashx_new ();
    zhashx_set_destructor (self->subjects, (zhashx_destructor_fn *) zstr_free);
    return self;
}

void
ow_throttle_destroy (ow_throttle_t **self_p)
{
    ow_throttle_t *self = *self_p;
    if (self) {
        zhashx_destroy (&self->subjects);
        free (self);
        *self_p = NULL;
    }
}

bool
ow_throttle_pass (ow_throttle_t *self, const char *subject, int64_t now_ms, size_t *count)
{
    subject_t *entry = zhashx_lookup (self->subjects, subject);
    if (!entry) {
        if (zhashx_size (self->subjects) >= OW_THROTTLE_SUBJECTS)
            zhashx_purge (self->subjects);
        entry = ow_calloc (1, sizeof *entry);
        entry->passed = now_ms - self->interval_ms;
        zhashx_insert (self->subjects, subject, entry);
    }
    if (now_ms - entry->passed < self->interval_ms) {
        entry->held++;
        return false;
    }
    if (count)
        *count = entry->held + 1;
    entry->held = 0;
    entry->passed = now_ms;
    return true;
}
