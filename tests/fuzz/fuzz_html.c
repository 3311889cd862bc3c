/*  fuzz_html — bytes as the body of an HTML page: tags, entities,
    scripts and tables, then extraction from the text. */
#include "fuzz_support.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fuzz_extract ("<html><body>", data, size, "page.html");
    return 0;
}
