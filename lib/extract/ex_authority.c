/*  ex_authority — which authority a document is about. */

#include "ex_authority.h"

#include <string.h>

//  Ofsted's addresses: a name found right after one of these is a city
//  in an address line, not the authority.
static bool
in_ofsted_address (const ex_doc_t *doc, size_t at)
{
    size_t from = at > 120 ? at - 120 : 0;
    return ex_find (doc->text, at, from, "Piccadilly Gate") != EX_NONE
        || ex_find (doc->text, at, from, "Store Street") != EX_NONE
        || ex_find (doc->text, at, from, "Aviation House") != EX_NONE;
}

const ow_authority_t *
ex_authority_in (const ex_doc_t *doc, size_t from, size_t to, size_t *at)
{
    if (to > doc->length)
        to = doc->length;
    while (from < to) {
        size_t start, end;
        const ow_authority_t *found =
            ow_register_find_in_text (doc->reg, doc->text + from, to - from, &start, &end);
        if (!found)
            return NULL;
        if (!in_ofsted_address (doc, from + start)) {
            if (at)
                *at = from + start;
            return found;
        }
        from += end;
    }
    return NULL;
}

bool
ex_authority_resolve (ex_doc_t *doc, size_t from, size_t to, const char *declared)
{
    const ow_authority_t *found = ex_authority_in (doc, from, to, NULL);
    if (!found && declared && *declared) {
        found = ow_register_find (doc->reg, declared);
        if (found)
            ex_doc_warn (doc, "the document does not name its authority; "
                              "used the declared one (%s)", declared);
    }
    if (!found) {
        ex_doc_fail (doc, "the document names no local authority the register knows");
        return false;
    }
    ex_doc_set_authority (doc, found);
    return true;
}
