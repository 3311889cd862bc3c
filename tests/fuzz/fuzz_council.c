/*  fuzz_council — bytes after council paper furniture, so the council
    parser (grade lines, visits, dated inspections) sees them. */
#include "fuzz_support.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fuzz_extract ("Meeting: Cabinet\nHerefordshire Council\n", data, size, "cabinet.txt");
    return 0;
}
