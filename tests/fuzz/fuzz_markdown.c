/*  fuzz_markdown — bytes as a Markdown document. */
#include "fuzz_support.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fuzz_extract ("# ", data, size, "paper.md");
    return 0;
}
