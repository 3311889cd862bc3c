/*  fuzz_text — any bytes as a plain-text document: UTF-8 checks and
    Windows-1252 conversion, classification, and the report, letter and
    council parsers behind it. */
#include "fuzz_support.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fuzz_extract (NULL, data, size, "fuzz.txt");
    return 0;
}
