/*  rules — the frameworks' timetables; see rules.h.  */

#include "rules.h"
#include "ow_date.h"

int
rules_add_months (int day, int months)
{
    if (day == OW_DATE_NONE)
        return OW_DATE_NONE;
    int year, month, mday;
    ow_date_to_ymd (day, &year, &month, &mday);
    int index = year * 12 + (month - 1) + months;
    year = index / 12;
    month = index % 12 + 1;
    int moved = OW_DATE_NONE;
    //  Step back from the 31st to the month's last day.
    for (int d = mday; d >= 28 && moved == OW_DATE_NONE; d--)
        moved = ow_date_from_ymd (year, month, d);
    return moved != OW_DATE_NONE ? moved : ow_date_from_ymd (year, month, mday);
}

int
rules_months_between (int from, int to)
{
    if (from == OW_DATE_NONE || to == OW_DATE_NONE || to <= from)
        return 0;
    int y1, m1, d1, y2, m2, d2;
    ow_date_to_ymd (from, &y1, &m1, &d1);
    ow_date_to_ymd (to, &y2, &m2, &d2);
    int months = (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
    return months > 0 ? months : 0;
}

static bool
good_or_better (Ofwatch__V1__Grade grade)
{
    return grade == OFWATCH__V1__GRADE__GRADE_GOOD
        || grade == OFWATCH__V1__GRADE__GRADE_OUTSTANDING;
}

//  The April 2026 framework: no overall judgement; what follows depends
//  on leaders and the three practice judgements.
static bool
next_after_april_2026 (const rules_grades_t *grades, rules_expectation_t *next)
{
    size_t good = 0;
    for (size_t i = 0; i < 3; i++) {
        if (grades->practice [i] == OFWATCH__V1__GRADE__GRADE_INADEQUATE)
            return false;
        good += good_or_better (grades->practice [i]);
    }
    if (grades->leaders == OFWATCH__V1__GRADE__GRADE_INADEQUATE || !grades->leaders)
        return false;
    next->framework = RULES_ILACS_APRIL_2026;
    if (good_or_better (grades->leaders) && good >= 2) {
        next->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT;
        next->rule = "April 2026 framework: leaders good or outstanding and at least two of"
                     " the three practice judgements good or outstanding: a focused visit,"
                     " then a short inspection within six months either side of the third"
                     " anniversary of the last";
    }
    else {
        next->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD;
        next->rule = "April 2026 framework: leaders short of good, or fewer than two of the"
                     " three practice judgements good or outstanding, none inadequate: a"
                     " standard inspection within six months either side of the third"
                     " anniversary of the last";
    }
    return true;
}

bool
rules_next_inspection (const rules_grades_t *grades, int last_start, rules_expectation_t *next)
{
    if (last_start == OW_DATE_NONE)
        return false;
    if (grades->april_2026) {
        if (!next_after_april_2026 (grades, next))
            return false;
    }
    else {
        next->framework = RULES_ILACS;
        switch (grades->overall) {
            case OFWATCH__V1__GRADE__GRADE_OUTSTANDING:
            case OFWATCH__V1__GRADE__GRADE_GOOD:
                next->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT;
                next->rule = "good or outstanding: a short inspection within six months"
                             " either side of the third anniversary of the last";
                break;
            case OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT:
            case OFWATCH__V1__GRADE__GRADE_ADEQUATE:
                next->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD;
                next->rule = "requires improvement: a standard inspection within six months"
                             " either side of the third anniversary of the last";
                break;
            default:
                return false;
        }
    }
    int anniversary = rules_add_months (last_start, RULES_CYCLE_MONTHS);
    next->earliest = rules_add_months (anniversary, -RULES_CYCLE_TOLERANCE_MONTHS);
    next->latest = rules_add_months (anniversary, RULES_CYCLE_TOLERANCE_MONTHS);
    return true;
}

//  What each area SEND outcome says comes next (the framework of 2023).
static const struct {
    Ofwatch__V1__NextInspection said;
    Ofwatch__V1__InspectionKind kind;
    int months;
    const char *rule;
} s_send_outcomes [] = {
    { OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_FULL_WITHIN_5_YEARS,
      OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND, RULES_SEND_POSITIVE_MONTHS,
      "area SEND, positive experiences: the next full inspection within approximately five years" },
    { OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_FULL_WITHIN_3_YEARS,
      OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND, RULES_SEND_INCONSISTENT_MONTHS,
      "area SEND, inconsistent experiences: the next full inspection within approximately"
      " three years" },
    { OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_MONITORING_WITHIN_18_MONTHS,
      OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND_MONITORING,
      RULES_SEND_MONITORING_MONTHS,
      "area SEND, widespread or systemic failings: a monitoring inspection within"
      " approximately eighteen months" },
};

bool
rules_next_send (Ofwatch__V1__NextInspection said, int from, rules_expectation_t *next)
{
    if (from == OW_DATE_NONE)
        return false;
    for (size_t i = 0; i < sizeof s_send_outcomes / sizeof s_send_outcomes [0]; i++)
        if (s_send_outcomes [i].said == said) {
            next->kind = s_send_outcomes [i].kind;
            next->rule = s_send_outcomes [i].rule;
            next->framework = RULES_AREA_SEND;
            next->earliest = from;
            next->latest = rules_add_months (from, s_send_outcomes [i].months);
            return true;
        }
    return false;
}

void
rules_next_visit (int last_visit, int published, int visits, rules_expectation_t *next)
{
    next->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT;
    next->framework = RULES_MONITORING;
    if (last_visit == OW_DATE_NONE) {
        next->earliest = rules_add_months (published, RULES_FIRST_VISIT_FROM_MONTHS);
        next->latest = rules_add_months (published, RULES_FIRST_VISIT_BY_MONTHS);
        next->rule = "inadequate: the first monitoring visit three to seven months"
                     " after the report's publication";
        return;
    }
    next->earliest = rules_add_months (last_visit, RULES_VISIT_FROM_MONTHS);
    next->latest = rules_add_months (last_visit, RULES_VISIT_BY_MONTHS);
    next->rule = visits >= RULES_VISITS_BEFORE_REINSPECTION
               ? "inadequate: monitoring visits about every three months (two to four"
                 " after the last); after six, a re-inspection may follow"
               : "inadequate: monitoring visits about every three months (two to four"
                 " after the last)";
}
