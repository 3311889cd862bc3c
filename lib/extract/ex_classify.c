/*  ex_classify — what kind of document a text is.

    Rules are tried in order over the first page; the first that matches
    decides. Reports come before letters (an ILACS report mentions earlier
    monitoring visits), letters before council papers (a council paper
    quotes letters, but its furniture comes first on the page: the
    council rules look only at the very top).
*/

#include "ex_classify.h"
#include "ex_text.h"

#define FIRST_PAGE 2500
#define TOP 600

typedef struct {
    const char *phrase;
    size_t window;              // bytes from the start to look in
    ex_class_t class;
} rule_t;

static const rule_t s_rules [] = {
    { "Report not found", 400, EX_CLASS_NOT_FOUND_PAGE },
    { "Re-inspection of services for children in need", TOP, EX_CLASS_SIF_REINSPECTION },
    { "Reinspection of services for children in need", TOP, EX_CLASS_SIF_REINSPECTION },
    { "Inspection of services for children in need of help", TOP, EX_CLASS_SIF },
    { "Inspection of safeguarding and looked after children", TOP, EX_CLASS_SLAC },
    { "Inspection of looked after children", TOP, EX_CLASS_SLAC },
    { "Inspection of safeguarding services", TOP, EX_CLASS_SLAC },
    { "local authority children’s services", TOP, EX_CLASS_ILACS },
    { "local authority children's services", TOP, EX_CLASS_ILACS },
    { "Inspection of children’s social care services", TOP, EX_CLASS_ILACS },
    { "Inspection of children's social care services", TOP, EX_CLASS_ILACS },
    { "Review of the effectiveness of the Local Safeguarding", TOP, EX_CLASS_LSCB_REVIEW },
    { "Focused visit to", FIRST_PAGE, EX_CLASS_FOCUSED_VISIT_LETTER },
    { "Focused visit of", FIRST_PAGE, EX_CLASS_FOCUSED_VISIT_LETTER },
    { "Joint targeted area inspection", FIRST_PAGE, EX_CLASS_JTAI_LETTER },
    { "Action planning visit", FIRST_PAGE, EX_CLASS_ACTION_PLANNING_LETTER },
    { "Monitoring visit to", FIRST_PAGE, EX_CLASS_MONITORING_LETTER },
    { "Monitoring visit of", FIRST_PAGE, EX_CLASS_MONITORING_LETTER },
    { "findings of the monitoring visit", FIRST_PAGE, EX_CLASS_MONITORING_LETTER },
    { "Minutes of", TOP, EX_CLASS_COUNCIL_MINUTES },
    { "MINUTES", TOP, EX_CLASS_COUNCIL_MINUTES },
    { "Present:", TOP, EX_CLASS_COUNCIL_MINUTES },
    { "Agenda item", TOP, EX_CLASS_COUNCIL_REPORT },
    { "Report Title", TOP, EX_CLASS_COUNCIL_REPORT },
    { "TITLE OF REPORT", TOP, EX_CLASS_COUNCIL_REPORT },
    { "Meeting:", TOP, EX_CLASS_COUNCIL_REPORT },
    { "Cabinet", TOP, EX_CLASS_COUNCIL_REPORT },
    { "Report of", TOP, EX_CLASS_COUNCIL_REPORT },
    { "Report to", TOP, EX_CLASS_COUNCIL_REPORT },
    { "Scrutiny", TOP, EX_CLASS_COUNCIL_REPORT },
    { NULL, 0, EX_CLASS_UNKNOWN }
};

ex_class_t
ex_classify (const char *text, size_t length)
{
    for (size_t i = 0; s_rules [i].phrase; i++) {
        size_t window = length < s_rules [i].window ? length : s_rules [i].window;
        if (ex_find_phrase (text, window, 0, s_rules [i].phrase, NULL) != EX_NONE)
            return s_rules [i].class;
    }
    return EX_CLASS_UNKNOWN;
}
