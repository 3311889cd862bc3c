/*  rules — the frameworks' timetables, as analytics applies them.

    Ofsted publishes when it expects to come back; these functions turn
    that into dates, each saying which rule applied (README.md, "The rules
    analytics applies", gives each rule's source):

    - a full inspection (ILACS, 2018): an authority judged good or
      outstanding overall gets a short inspection, one judged requires
      improvement a standard one, between six months before and six
      months after the third anniversary of its last full inspection;
    - under the April 2026 framework, whose reports print no overall
      judgement: leaders good or outstanding and at least two of the three
      practice judgements (help and protection, children in care, care
      leavers) good or outstanding lead to a focused visit and then a
      short inspection; otherwise, nothing inadequate, a standard
      inspection; the same window;
    - an authority judged inadequate is monitored: the first monitoring
      visit between three and seven months after the report's publication
      (action planning visit, then the 70-working-day action plan, then
      the visit), later ones about every three months: from two to four
      months after the previous visit. A visit is overdue when the clock
      passes the end of that window. After six visits a re-inspection may
      follow;
    - a deadline is approaching in the 14 days before it falls due;
    - an area SEND inspection (2023 framework) says what follows: a full
      inspection within about five years (positive experiences), about
      three years (inconsistent), or a monitoring inspection within about
      eighteen months (widespread failings).

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
#define RULES_SEND_POSITIVE_MONTHS      60
#define RULES_SEND_INCONSISTENT_MONTHS  36
#define RULES_SEND_MONITORING_MONTHS    18
//  When a report's publication date is not known: fieldwork ends about
//  two months before publication.
#define RULES_PUBLICATION_AFTER_MONTHS  2

//  Which framework's rule applied (ExpectedActivity.framework).
#define RULES_ILACS             "ilacs"
#define RULES_ILACS_APRIL_2026  "ilacs_april_2026"
#define RULES_MONITORING        "monitoring"
#define RULES_AREA_SEND         "area_send"

typedef struct {
    Ofwatch__V1__InspectionKind kind;
    int earliest, latest;           // day numbers
    const char *rule;               // the rule in words (static)
    const char *framework;          // RULES_* (static)
} rules_expectation_t;

//  What of a full inspection decides what follows it.
typedef struct {
    bool april_2026;                // its report is of the April 2026 framework
    Ofwatch__V1__Grade overall;     // 0 when the report prints none
    Ofwatch__V1__Grade leaders;
    Ofwatch__V1__Grade practice [3];    // help and protection, in care, care leavers
} rules_grades_t;

//  The day `months` calendar months after day (the 31st becomes the
//  month's last day).
int rules_add_months (int day, int months);

//  Whole calendar months from `from` to `to` (0 when to is not after from).
int rules_months_between (int from, int to);

//  The next full inspection after one so graded whose fieldwork started
//  on `last_start`. False for grades that lead to monitoring instead
//  (inadequate) or say nothing (not known).
bool rules_next_inspection (const rules_grades_t *grades, int last_start,
                            rules_expectation_t *next);

//  What an area SEND report says comes next, counted from its
//  publication (else its fieldwork's end). False when it does not say.
bool rules_next_send (Ofwatch__V1__NextInspection said, int from, rules_expectation_t *next);

//  The next monitoring visit of an inadequate authority: after the last
//  visit (OW_DATE_NONE when none yet) or, for the first, after the
//  inadequate report's publication. `visits` so far picks the wording.
void rules_next_visit (int last_visit, int published, int visits, rules_expectation_t *next);

#endif
