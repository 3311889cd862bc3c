/*  ex_pdf — the text of a PDF, through poppler-glib.

    Pages are joined with a form feed, as pdftotext does, so page breaks
    stay visible to the report parsers (running headers and page numbers
    sit next to them). Encrypted, corrupt, empty and image-only documents
    are refused with one sentence saying which.
*/
#ifndef EX_PDF_H
#define EX_PDF_H

#include <stddef.h>
#include <stdint.h>

//  Returns the UTF-8 text (caller frees) and its length, or NULL and
//  *error (caller frees).
char *ex_pdf_text (const uint8_t *bytes, size_t size, size_t *length, char **error);

#endif
