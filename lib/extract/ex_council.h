/*  ex_council — council papers that report inspections and visits:
    cabinet and committee reports, minutes, ModernGov agenda items.

    A council paper is about its own council; it reports one or more
    Ofsted inspections or visits in its own words ("the 2019 ILACS
    judged ... inadequate", "the first monitoring visit ... between 10th
    and 12th August 2020"). Each inspection or visit it reports becomes one
    event, with the grades, dates and deadlines it states.
*/
#ifndef EX_COUNCIL_H
#define EX_COUNCIL_H

#include "ex_doc.h"

bool ex_council_parse (ex_doc_t *doc);

#endif
