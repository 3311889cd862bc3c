/*  extract — facts from one document, the same code for ingest and the CLI.

    Input is the document's bytes and its file name; output is an
    Extraction message (proto/ofwatch/v1/facts.proto), whose JSON form is
    CONTRACTS.md section 4, and the plain text the facts were read from
    (finding spans index into it). The caller owns both.
*/
#ifndef EXTRACT_H
#define EXTRACT_H

#include <stddef.h>
#include <stdint.h>
#include "ow_pb.h"
#include "ow_register.h"

//  The largest document accepted, in bytes.
#define EXTRACT_MAX_DOCUMENT (64u * 1024 * 1024)

typedef struct {
    const uint8_t *bytes;
    size_t size;
    const char *file_name;            // as given; used for media type hints
                                      // and an ISO date prefix, never for
                                      // the authority
    const char *declared_authority;   // NULL or any spelling the register knows
    const char *declared_published;   // NULL or YYYY-MM-DD
    bool every_list_item;             // measuring: every list item a finding,
                                      // however unsure its theme
} extract_input_t;

//  Extracts facts. On success returns the Extraction and, when text is not
//  NULL, sets *text to the decoded UTF-8 text (caller frees). On failure
//  returns NULL and sets *error to one plain sentence naming the cause
//  (caller frees), e.g. "the file is empty" or "the PDF is encrypted".
//  A document about no known authority is a failure.
Ofwatch__V1__Extraction *
    extract_document (const ow_register_t *reg, const extract_input_t *input,
                      char **text, char **error);

//  The two halves of extract_document, for benchmarks (decoding is
//  poppler's time, the rest is ours) and fuzzing.
//
//  extract_decode turns the input's bytes into UTF-8 text (caller frees)
//  and names its media type (static string); NULL and *error on failure.
char *extract_decode (const extract_input_t *input, const char **media_type,
                      size_t *length, char **error);

//  extract_text extracts facts from text extract_decode returned for the
//  same input; ownership as extract_document (text is not taken).
Ofwatch__V1__Extraction *
    extract_text (const ow_register_t *reg, const extract_input_t *input,
                  const char *media_type, const char *text, size_t length, char **error);

#endif
