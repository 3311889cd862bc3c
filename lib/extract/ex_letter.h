/*  ex_letter — Ofsted's letters after a visit: monitoring visits,
    focused visits, joint targeted area inspections, action planning
    visits.

    A letter is dated, addressed to the director of children's services,
    names the visit in its subject line ("Monitoring visit to Herefordshire
    children's services"), and opens with one paragraph that holds the
    facts: the visit's dates, its number ("the fifth monitoring visit"),
    when the authority was judged inadequate, and the inspectors. Focused
    visit letters may add "areas for priority action" and "what needs to
    improve"; the paragraphs after the headline are the findings.
*/
#ifndef EX_LETTER_H
#define EX_LETTER_H

#include "ex_doc.h"

//  Parses a letter about a visit of the given kind.
bool ex_letter_parse (ex_doc_t *doc, Ofwatch__V1__InspectionKind kind);

#endif
