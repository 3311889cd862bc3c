/*  hi_history — an authority's history as the facts database holds it.

    What hi_read reads and every reader of histories uses (analytics keeps
    every authority's in memory; store answers its History query from
    one), and how a history becomes the wire's InspectionFacts, written
    once so the two answers cannot drift apart.

    Dates are day numbers (ow_date), OW_DATE_NONE when not known. A start
    known only to the month ("judged inadequate in July 2022") is the
    month's first day with start_month set: it orders among the others,
    and is written back as "2022-07", never as a day. Inspections are
    oldest first: by fieldwork start, else publication.
*/
#ifndef HI_HISTORY_H
#define HI_HISTORY_H

#include "ow_pb.h"
#include "ow_register.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    Ofwatch__V1__Polarity polarity;
    Ofwatch__V1__Theme theme;
    char *text;
    char *sha256;                   // the document that says so
    uint32_t start, end;            // span in that document's text
} hi_finding_t;

typedef struct {
    char *area;
    Ofwatch__V1__Grade grade;
} hi_grade_t;

typedef struct {
    int64_t id;
    Ofwatch__V1__InspectionKind kind;
    int start, end, published;
    bool start_month;               // start is known to the month only
    int visit_number;               // 0: not known
    char *lead_inspector;           // "" when not known
    char **inspectors;
    size_t n_inspectors;
    char *inadequate_since;         // "2022-07" as a letter prints it, or ""
    char *sha256;                   // the most authoritative document about it
    char *source_url;               // where that document was published (the
                                    // watch found it there), else where another
                                    // reporting it was; "" when none says
    //  Area SEND inspections (0 / OW_DATE_NONE otherwise).
    Ofwatch__V1__SendOutcome outcome;
    Ofwatch__V1__NextInspection next_inspection;
    int previous_start, previous_end;
    hi_grade_t *grades;
    size_t n_grades;
    char **improvements;
    size_t n_improvements;
    hi_finding_t *findings;
    size_t n_findings;
} hi_inspection_t;

typedef struct {
    char *kind;                     // action_plan, ...
    int due;
    char *basis;
    int64_t inspection_id;          // 0 when not tied to one
    char *sha256;
} hi_deadline_t;

typedef struct {
    const ow_authority_t *authority;
    hi_inspection_t *inspections;
    size_t n_inspections;
    hi_deadline_t *deadlines;       // by due date
    size_t n_deadlines;
} hi_history_t;

//  Frees what a history holds, keeping its authority.
void hi_history_clear (hi_history_t *history);

//  The day an inspection is placed at: fieldwork start, else end, else
//  publication.
int hi_inspection_day (const hi_inspection_t *inspection);

//  An inspection as the wire says it (caller frees): what store's History
//  query and analytics' history answer for each inspection.
Ofwatch__V1__InspectionFacts *hi_inspection_facts (const hi_inspection_t *inspection);

//  A deadline as the wire says it (caller frees).
Ofwatch__V1__Deadline *hi_deadline_message (const hi_deadline_t *deadline);

#endif
