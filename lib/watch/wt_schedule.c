/*  wt_schedule — the rhythm of passes; see wt_schedule.h.  */

#include "wt_schedule.h"

//  How often the ledger is asked again while waiting: another copy may
//  have passed meanwhile, or PostgreSQL come back.
#define RECHECK_S           60
#define DATABASE_RETRY_S    5

bool
wt_schedule_wait (wt_ledger_t *ledger, int interval, wt_stop_t *stop)
{
    while (!wt_stop_requested (stop)) {
        int64_t due = 0;
        if (interval == 0)
            wt_stop_wait (stop, RECHECK_S * 1000);
        else
        if (!wt_ledger_seconds_until_due (ledger, interval, &due))
            wt_stop_wait (stop, DATABASE_RETRY_S * 1000);
        else
        if (due > 0)
            wt_stop_wait (stop, (due < RECHECK_S ? due : RECHECK_S) * 1000);
        else
            return true;
    }
    return false;
}

bool
wt_schedule_wait_busy (wt_stop_t *stop)
{
    return wt_stop_wait (stop, RECHECK_S * 1000);
}
