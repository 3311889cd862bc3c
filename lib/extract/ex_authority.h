/*  ex_authority — which authority a document is about.

    Documents name their authority in a title ("Inspection of Herefordshire
    local authority children's services"), an addressee block or a council
    header. Parsers say where to look; this finds the first register name
    there, skipping Ofsted's own address (its offices are in Manchester,
    also an authority).
*/
#ifndef EX_AUTHORITY_H
#define EX_AUTHORITY_H

#include "ex_doc.h"

//  The first authority named in text [from, to), or NULL. *at (when not
//  NULL) is set to where its name starts.
const ow_authority_t *ex_authority_in (const ex_doc_t *doc, size_t from, size_t to, size_t *at);

//  The authority a paper speaks of most, for papers whose header need not
//  name it: every mention counts one, a mention in the header [0,
//  header_end) three, and a mention in a sentence that speaks of Ofsted's
//  inspections ("Ofsted inspected Cheshire East Council's children's
//  services ...") four; the first named wins a tie. NULL when none is
//  named.
const ow_authority_t *ex_authority_most_named (const ex_doc_t *doc, size_t header_end);

//  Sets the Extraction's authority from the first one named in
//  [from, to), else from the declared authority; false (and doc->error)
//  when neither names a known authority.
bool ex_authority_resolve (ex_doc_t *doc, size_t from, size_t to, const char *declared);

#endif
