/*  ow_throttle — at most one log line per subject per interval.

    A hostile or broken client can cause the same warning thousands of
    times a second (a malformed frame, a refused key, a rate limit, a
    connection the HTTP server turned away). Each subject (what happened,
    and to whom) passes once per interval and counts the times it was held
    back, so the line that does pass says how often it happened. Memory is
    bounded: past OW_THROTTLE_SUBJECTS subjects the table is emptied, which
    only lets a line through early. One instance belongs to one thread.
*/
#ifndef OW_THROTTLE_H
#define OW_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OW_THROTTLE_SUBJECTS 10000

typedef struct _ow_throttle_t ow_throttle_t;

ow_throttle_t *ow_throttle_new (int64_t interval_ms);
void ow_throttle_destroy (ow_throttle_t **self_p);

//  True when a line about `subject` may be written at now_ms (monotonic);
//  *count (may be NULL) is then how many times the subject came since the
//  last line that passed, this time included.
bool ow_throttle_pass (ow_throttle_t *self, const char *subject, int64_t now_ms,
                       size_t *count);

#endif
