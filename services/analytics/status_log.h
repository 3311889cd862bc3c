/*  status_log — each authority's status changes as the log holds them.

    grades.c raises a status change only when it differs from the last one
    the log holds (grades.c says why). The log's status changes are read
    from PostgreSQL once (read-only, as the histories are), the first time
    a change may be raised, and kept current after that from what
    analytics hears: the events it follows and those it derives itself,
    which the log holds once committed. So a national feed that moves
    every authority's grades costs one read of the log, not one per
    authority or per derivation, and analytics never waits for store.
*/
#ifndef STATUS_LOG_H
#define STATUS_LOG_H

#include "ow_db.h"
#include "ow_pb.h"

#include <stdbool.h>
#include <stdint.h>

//  A status change the log holds (or holds once committed), oldest first.
typedef struct {
    bool entered;
    int64_t inspection_id;
} analytics_mark_t;

typedef struct _status_log_t status_log_t;

//  Reads the log from db (borrowed), registering its statement there.
status_log_t *status_log_new (ow_db_t *db);
void status_log_destroy (status_log_t **self_p);

//  An event heard or derived: a status change is added (once), when the
//  log has been read.
void status_log_note (status_log_t *self, const Ofwatch__V1__Event *event);

//  The authority's status changes (a copy, the caller's to free); the
//  first call reads the log, with the derived events not yet committed
//  (`waiting`: n_waiting requests, any of them NULL). False when the log
//  could not be read.
bool status_log_marks (status_log_t *self, const char *authority,
                       const Ofwatch__V1__DeriveRequest *const *waiting, size_t n_waiting,
                       analytics_mark_t **marks, size_t *count);

#endif
