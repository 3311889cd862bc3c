/*  fuzz_letter — bytes after a visit letter's subject line, so the letter
    parser (visit dates, numbers, inspectors, lists, findings) sees them. */
#include "fuzz_support.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fuzz_extract ("4 December 2024\n\nMonitoring visit to Herefordshire children's services\n\n",
                  data, size, "letter.txt");
    fuzz_extract ("Focused visit to St Helens children's services\n", data, size, "fv.txt");
    return 0;
}
