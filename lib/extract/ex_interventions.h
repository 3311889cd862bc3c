/*  ex_interventions — DfE intervention facts in any document's text.  */
#ifndef EX_INTERVENTIONS_H
#define EX_INTERVENTIONS_H

#include "ex_doc.h"

//  Adds to doc->out->interventions the first sentence that reports each
//  kind of intervention (improvement notice, statutory direction,
//  commissioner, government intervention).
void ex_interventions_find (ex_doc_t *doc);

#endif
