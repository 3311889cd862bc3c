/*  ex_letter — Ofsted's letters after a visit: monitoring visits,
    focused visits, joint targeted area inspections, action planning
    visits.

    A letter has Ofsted's letterhead and address block, a date line, the
    addressee's block, a salutation, a subject line naming the visit and
    the authority ("Focused visit to Herefordshire children's services"),
    and an opening paragraph that holds the facts: the visit's dates in
    any of the forms letters have used since 2018 ("on 15 and 16 December
    2021", "between 20 and 22 October 2020", "on the 15 and 16 of May
    2018", "on 15, 16 and 21 July 2025", a day and month whose year is the
    letter's), its number ("the fifth monitoring visit"), when the
    authority was judged inadequate, the inspectors ("His Majesty's
    Inspectors for this visit were ...", "The inspectors were X, HMI, and
    Y, HMI", "The visit was carried out by ..."), and what the visit
    looked at. Letters may add "areas for priority action" and "what
    needs to improve"; the paragraphs after them are the findings. The
    letter is signed by the lead inspector.

    The authority is read from the subject line and the body, never from
    the address blocks: Ofsted's Nottingham office is at "6 Cumberland
    Place", and a council's address can name another town.
*/
#ifndef EX_LETTER_H
#define EX_LETTER_H

#include "ex_doc.h"

//  Parses a letter about a visit of the given kind.
bool ex_letter_parse (ex_doc_t *doc, Ofwatch__V1__InspectionKind kind);

#endif
