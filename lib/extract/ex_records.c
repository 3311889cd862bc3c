/*  ex_records — structured feeds. */

#include "ex_records.h"

bool
ex_records_csv (ex_doc_t *doc)
{
    ex_doc_fail (doc, "CSV feeds are not read yet");
    return false;
}

bool
ex_records_json (ex_doc_t *doc)
{
    ex_doc_fail (doc, "JSON feeds are not read yet");
    return false;
}
