/*  hi_mention — the writer's working state, shared by hi_write.c (the
    order of the work, findings, deadlines), hi_inspections.c (which
    inspection each event means, its statement and merged facts) and
    hi_judgements.c (grades and improvements by whose word counts).

    A mention is one event of the document, as the writer resolves it.
*/
#ifndef HI_MENTION_H
#define HI_MENTION_H

#include <czmq.h>

#include "hi_identity.h"
#include "hi_sql.h"
#include "hi_write.h"

//  An inspection already on record that a mention may mean, with its
//  merged facts and the source of the word that established them.
typedef struct {
    int64_t id;
    char *authority;
    char *family;
    hi_when_t when;
    Ofwatch__V1__InspectionKind kind;
    Ofwatch__V1__SendOutcome outcome;
    hi_source_t source;             // sha256 owned
} hi_candidate_t;

typedef struct {
    const Ofwatch__V1__InspectionFacts *facts;
    const char *authority;          // its own (a feed's row) or the document's
    hi_when_t when;
    hi_source_t source;             // this document's word on it
    int64_t id;                     // the inspection it is, once resolved
    const hi_candidate_t *existing; // what it joined, when it was on record
    char *identity;                 // for a new row
    bool first;                     // the document's first mention of that inspection
    bool created;                   // ... and it inserted the row
} hi_mention_t;

//  What the writer has learnt so far.
typedef struct {
    hi_write_t *write;
    int rank;                       // the document's (HI_RANK_*)
    int published;                  // the document's publication day
    hi_mention_t *mentions;         // in the document's order, those naming an inspection
    size_t count;
    hi_candidate_t *candidates;
    size_t n_candidates;
    bool failed;
} hi_writer_t;

//  Runs a prepared statement; on failure sets failed. The result goes to
//  *out (caller PQclear()s) or, when out is NULL, is cleared.
bool hi_writer_run (hi_writer_t *w, const char *statement, int count,
                    const char *const *values, PGresult **out);

//  A lookup by array parameters planned for its values (hi_query); on
//  failure sets failed.
PGresult *hi_writer_lookup (hi_writer_t *w, const char *sql, int count,
                            const char *const *values);

//  A warning for the answer (printf style), also logged.
void hi_writer_warn (hi_writer_t *w, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

//  A new event of the caller's log with an empty payload.
Ofwatch__V1__Event *hi_writer_event (hi_writer_t *w, Ofwatch__V1__EventType type,
                                     const char *authority, const char *occurred_on);

//  A new event about a mention's inspection, about its authority, dated
//  when the inspection happened: its fieldwork as far as it is known to
//  the day, else the statement's publication, else not at all.
Ofwatch__V1__Event *hi_writer_mention_event (hi_writer_t *w, const hi_mention_t *mention,
                                             Ofwatch__V1__EventType type);

//  conflict.detected about one fact of a mention's inspection: the value
//  on record (from the document `existing_sha`) against this document's,
//  and which was kept.
void hi_writer_conflict (hi_writer_t *w, const hi_mention_t *mention, const char *fact,
                         const char *existing, const char *existing_sha,
                         const char *incoming, bool kept_incoming);

//  hi_inspections.c
void hi_inspections_prepare (ow_db_t *db);
//  Collects the mentions, resolves each to an inspection (joined or
//  created), writes their statements and merges the facts of those that
//  were on record.
void hi_inspections_resolve (hi_writer_t *w);
//  inspection.recorded for a mention that created its inspection, and
//  conflict.detected for its facts that disagree with the record.
void hi_inspections_events (hi_writer_t *w, const hi_mention_t *mention);
void hi_inspections_free (hi_writer_t *w);

//  hi_judgements.c: grades and improvements.
typedef struct _hi_judgements_t hi_judgements_t;
void hi_judgements_prepare (ow_db_t *db);
//  Reads what is on record for the mentions' inspections.
hi_judgements_t *hi_judgements_new (hi_writer_t *w);
//  Decides a mention's grades and improvements, adding their events.
void hi_judgements_add (hi_judgements_t *self, const hi_mention_t *mention);
//  Writes what was decided.
void hi_judgements_write (hi_judgements_t *self);
void hi_judgements_destroy (hi_judgements_t **self_p);

#endif
