/*  ex_classify — what kind of document a text is.

    Rules are tried in order over the first page; the first that matches
    decides. Council furniture comes first but is looked for only in the
    paper's first lines (council papers quote Ofsted's titles soon
    after); then reports (an ILACS report mentions earlier monitoring
    visits), then letters, whose subject line follows Ofsted's address.
*/

#include "ex_classify.h"
#include "ex_text.h"

#define FIRST_PAGE 2500
#define TOP 600
#define COUNCIL_TOP 300       // council furniture: the paper's first lines
#define LETTER_TOP 1200       // a letter's subject line, after the addresses

typedef struct {
    const char *phrase;
    size_t window;              // bytes from the start to look in
    ex_class_t class;
} rule_t;

static const rule_t s_rules [] = {
    { "Report not found", 400, EX_CLASS_NOT_FOUND_PAGE },
    //  Council furniture at the very top decides first: council papers
    //  quote Ofsted's titles in their opening lines.
    { "The Committee gave consideration", FIRST_PAGE, EX_CLASS_COUNCIL_MINUTES },
    { "Minutes of", COUNCIL_TOP, EX_CLASS_COUNCIL_MINUTES },
    { "MINUTES", COUNCIL_TOP, EX_CLASS_COUNCIL_MINUTES },
    { "Present:", COUNCIL_TOP, EX_CLASS_COUNCIL_MINUTES },
    { "Agenda item", COUNCIL_TOP, EX_CLASS_COUNCIL_REPORT },
    { "Title of report", COUNCIL_TOP, EX_CLASS_COUNCIL_REPORT },
    { "Report Title", COUNCIL_TOP, EX_CLASS_COUNCIL_REPORT },
    { "Meeting:", COUNCIL_TOP, EX_CLASS_COUNCIL_REPORT },
    { "Meeting date", COUNCIL_TOP, EX_CLASS_COUNCIL_REPORT },
    { "Cabinet", COUNCIL_TOP, EX_CLASS_COUNCIL_REPORT },
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
    { "Focused visit to", LETTER_TOP, EX_CLASS_FOCUSED_VISIT_LETTER },
    { "Focused visit of", LETTER_TOP, EX_CLASS_FOCUSED_VISIT_LETTER },
    { "Joint targeted area inspection", LETTER_TOP, EX_CLASS_JTAI_LETTER },
    { "Action planning visit", LETTER_TOP, EX_CLASS_ACTION_PLANNING_LETTER },
    { "Monitoring visit to", LETTER_TOP, EX_CLASS_MONITORING_LETTER },
    { "Monitoring visit of", LETTER_TOP, EX_CLASS_MONITORING_LETTER },
    { "findings of the monitoring visit", FIRST_PAGE, EX_CLASS_MONITORING_LETTER },
    { "Report of", TOP, EX_CLASS_COUNCIL_REPORT },
    { "Report to", TOP, EX_CLASS_COUNCIL_REPORT },
    { "Scrutiny", TOP, EX_CLASS_COUNCIL_REPORT },
    { "Council", TOP, EX_CLASS_COUNCIL_REPORT },
    { NULL, 0, EX_CLASS_UNKNOWN }
};

//  ILACS titles name the council in many ways ("Inspection of
//  Buckinghamshire Council children's services"); what they share is a
//  title starting "Inspection of" followed by the dates and lead
//  inspector lines.
static bool
is_ilacs_front_page (const char *text, size_t length)
{
    size_t top = length < TOP ? length : TOP;
    size_t title = ex_find (text, top, 0, "Inspection of ");
    return title != EX_NONE && title < 100
        && ex_find (text, top, title, "Inspection dates") != EX_NONE
        && ex_find (text, top, title, "Lead inspector") != EX_NONE;
}

ex_class_t
ex_classify (const char *text, size_t length)
{
    for (size_t i = 0; s_rules [i].phrase; i++) {
        size_t window = length < s_rules [i].window ? length : s_rules [i].window;
        if (ex_find_phrase (text, window, 0, s_rules [i].phrase, NULL) != EX_NONE)
            return s_rules [i].class;
        if (s_rules [i].class == EX_CLASS_LSCB_REVIEW && is_ilacs_front_page (text, length))
            return EX_CLASS_ILACS;
    }
    return EX_CLASS_UNKNOWN;
}
