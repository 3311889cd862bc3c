/*  statistics — keeping PostgreSQL's planner informed during bulk loads.

    The planner chooses by table statistics, which autovacuum refreshes a
    minute or more after a table has grown by a fifth. A records feed can
    grow the tables tenfold within seconds, and until then every plan is
    made for the nearly empty tables of before: whole tables joined by
    hash where an index would do (47 ms instead of 2.7 ms to read one
    authority's findings with the national record loaded). store, which
    does the writing, asks for ANALYZE itself once the events written
    since the last one match all written before it (and at least
    STATISTICS_MIN_EVENTS): whenever the log has doubled, so a handful of
    times in a load of any size, each costing a sample, not a scan.
*/

#include "store.h"
#include "ow_log.h"

#define STATISTICS_MIN_EVENTS 10000

void
store_note_written (store_t *self, size_t events)
{
    self->events_since_analyze += events;
    if (self->events_since_analyze < STATISTICS_MIN_EVENTS
        || self->events_since_analyze < self->events_at_analyze)
        return;
    //  Outside any transaction; a failure costs only fresher plans. Only
    //  the columns plans join and filter on: texts and event bodies are
    //  never compared, and measuring them was most of the cost.
    if (!ow_db_exec (self->db, "ANALYZE inspection, judgement (inspection_id, area),"
                               " improvement (inspection_id), finding (inspection_id, document_id),"
                               " deadline, document_inspection,"
                               " event (seq, type, authority, theme, dedupe_key)"))
        return;
    self->events_at_analyze += self->events_since_analyze;
    self->events_since_analyze = 0;
    ow_debug ("refreshed the planner's statistics");
}
