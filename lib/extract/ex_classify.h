/*  ex_classify — what kind of document a text is.

    Decided from the words of the first page: Ofsted's titles differ by
    era and kind ("Inspection of services for children in need of help and
    protection" is a SIF report, "Re-inspection of ..." its re-inspection,
    "Monitoring visit to" a letter), council papers carry committee
    furniture (minutes, agenda items, cabinet report headers). Ofsted's
    "Report not found" web page, saved under a report's name, is
    recognised so it can be refused.
*/
#ifndef EX_CLASSIFY_H
#define EX_CLASSIFY_H

#include <stddef.h>

typedef enum {
    EX_CLASS_UNKNOWN,
    EX_CLASS_NOT_FOUND_PAGE,
    EX_CLASS_ILACS,
    EX_CLASS_SIF,
    EX_CLASS_SIF_REINSPECTION,
    EX_CLASS_SLAC,
    EX_CLASS_LSCB_REVIEW,
    EX_CLASS_MONITORING_LETTER,
    EX_CLASS_FOCUSED_VISIT_LETTER,
    EX_CLASS_JTAI_LETTER,
    EX_CLASS_ACTION_PLANNING_LETTER,
    EX_CLASS_COUNCIL_MINUTES,
    EX_CLASS_COUNCIL_REPORT
} ex_class_t;

ex_class_t ex_classify (const char *text, size_t length);

#endif
