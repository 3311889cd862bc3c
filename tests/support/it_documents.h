/*  it_documents — small generated documents that extraction accepts, for
    tests and benchmarks that need many distinct submissions.

    Document n is a monitoring visit letter or (every `report_every`-th) an
    ILACS inspection report about one of a handful of authorities, with
    fieldwork dated from n, so every document is new bytes and names an
    inspection of its own. `nonce` goes into the text too, so runs against
    one database (the benchmarks) never resubmit the same bytes.
*/
#ifndef IT_DOCUMENTS_H
#define IT_DOCUMENTS_H

#include <stddef.h>

//  Document n as text, and a file name for it; caller frees both.
char *it_document (unsigned n, unsigned report_every, const char *nonce, char **file_name);

//  Whether document n is a report (has graded judgements).
int it_document_is_report (unsigned n, unsigned report_every);

#endif
