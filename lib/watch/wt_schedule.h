/*  wt_schedule — when the next pass is due, for the watch service and
    `ofwatch watch` without --once alike.

    A pass is due OFWATCH_WATCH_INTERVAL seconds after the last ended pass
    started, as the ledger records it (so every copy, and a restarted one,
    keeps the same rhythm), and at once when none ended or the last was
    cut short. An interval of 0 means no passes at all.
*/
#ifndef WT_SCHEDULE_H
#define WT_SCHEDULE_H

#include <stdbool.h>
#include "wt_ledger.h"
#include "wt_stop.h"

//  Waits until a pass is due: true then, false when a stop was asked for.
bool wt_schedule_wait (wt_ledger_t *ledger, int interval, wt_stop_t *stop);

//  After a pass another process held: waits a while before asking again.
//  False when a stop was asked for.
bool wt_schedule_wait_busy (wt_stop_t *stop);

#endif
