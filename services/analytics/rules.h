/*  rules — the ILACS framework's timetable, as analytics applies it.

    Ofsted publishes when it expects to come back; these functions turn
    that into dates (README.md, "The ILACS rules analytics applies"):

    - a full inspection: an authority judged good or outstanding gets a
      short inspection, one judged requires improvement a standard one,
      between six months before and six months after the third
      anniversary of its last full inspection;
    - an authority judged inadequate is monitored: the first monitoring
      visit between three and seven months after the report's publication
      (action planning visit, then the 70-working-day action plan, then
      the visit), later ones about every three months: from two to four
      months after the previous visit. A visit is overdue when the clock
      passes the end of that window. After six visits a re-inspection may
      follow;
    - a deadline is approaching in the 14 days before it falls due.

    Pure functions of dates, so they are tested on their own.
*/
#ifndef RULES_H
#define RULES_H

#include "ow_pb.h"
#include <stdbool.h>

#define RULES_CYCLE_MONTHS              36
#define RULES_CYCLE_TOLERANCE_MONTHS    6
#define RULES_FIRST_VISIT_FROM_MONTHS   3
#define RULES_FIRST_VISIT_BY_MONTHS     7
#define RULES_VISIT_FROM_MONTHS         2
#define RULES_VISIT_BY_MONTHS           4
#define RULES_VISITS_BEFORE_REINSPECTION 6
#define RULES_APPROACHING_DAYS          14
//  When a report's publication date is not known: fieldwork ends about
//  two months before publication.
#define RULES_PUBLICATION_AFTER_MONTHS  2

typedef struct {
    Ofwatch__V1__InspectionKind kind;
    int earliest, latest;           // day numbers
    const char *rule;               // the rule in words (static)
} rules_expectation_t;

//  The day `months` calendar months after day (the 31st becomes the
//  month's last day).
int rules_add_months (int day, int months);

//  Whole calendar months from `from` to `to` (0 when to is not after from).
int rules_months_between (int from, int to);

//  The next full inspection after one with this overall grade whose
//  fieldwork started on `last_start`. False for grades that lead to
//  monitoring instead (inadequate) or say nothing (not known).
bool rules_next_inspection (Ofwatch__V1__Grade overall, int last_start,
                            rules_expectation_t *next);

//  The next monitoring visit of an inadequate authority: after the last
//  visit (OW_DATE_NONE when none yet) or, for the first, after the
//  inadequate report's publication. `visits` so far picks the wording.
void rules_next_visit (int last_visit, int published, int visits, rules_expectation_t *next);

#endif
