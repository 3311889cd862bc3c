/*  fuzz_send — bytes after an area SEND report's title, and inside its
    front page, so the SEND parser (the partnership's authority, dates,
    previous inspection, outcome, next inspection, team, tables of
    priority actions and improvements) sees them. */
#include "fuzz_support.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fuzz_extract ("Local area partnership report\nArea SEND inspection of Herefordshire\n"
                  "Local Area Partnership\nInspection dates: ", data, size, "send.txt");
    fuzz_extract ("Area SEND inspection of Bolton Local Area Partnership\n"
                  "Inspection dates: 17 to 21 June 2024\nDates of previous inspection: ",
                  data, size, "send.txt");
    fuzz_extract ("Area SEND monitoring inspection of Bexley Local Area Partnership\n"
                  "Inspection dates: 4 to 6 March 2025\nInspection outcome\n", data, size, "m.txt");
    return 0;
}
