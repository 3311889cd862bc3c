/*  ex_send — area SEND inspection reports (Ofsted with the Care Quality
    Commission, framework of 2023).

    The report's title names the local area partnership ("Area SEND
    inspection of Herefordshire Local Area Partnership"); the front page
    gives the inspection dates, the previous inspection's, the outcome
    (positive experiences, inconsistent experiences, widespread and/or
    systemic failings) and when the next inspection will be; the body
    ends with the areas for priority action (when failings were found)
    and the areas for improvement, and the inspection team. The
    partnership's local authority is the authority; one `area_send` (or
    `area_send_monitoring`) event carries the rest.
*/
#ifndef EX_SEND_H
#define EX_SEND_H

#include "ex_doc.h"

bool ex_send_parse (ex_doc_t *doc, Ofwatch__V1__InspectionKind kind);

#endif
