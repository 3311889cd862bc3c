/*  ex_records — structured feeds: CSV with the summary columns of
    CONTRACTS.md section 6, and JSON in the shape of section 4.

    A feed holds many inspections, possibly of several authorities; the
    Extraction's authority is the first record's, and each record becomes
    one event.
*/
#ifndef EX_RECORDS_H
#define EX_RECORDS_H

#include "ex_doc.h"

bool ex_records_csv (ex_doc_t *doc);
bool ex_records_json (ex_doc_t *doc);

#endif
