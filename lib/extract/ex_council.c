/*  ex_council — council papers that report inspections and visits. */

#include "ex_council.h"
#include "ex_authority.h"

#define COUNCIL_HEAD 1500

bool
ex_council_parse (ex_doc_t *doc)
{
    size_t head = doc->length < COUNCIL_HEAD ? doc->length : COUNCIL_HEAD;
    if (!ex_authority_resolve (doc, 0, head, doc->declared_authority))
        return false;
    return true;
}
