/*  fuzz_report — bytes after an inspection report's front page, so the
    report parser (dates, judgement tables, lists) sees them. */
#include "fuzz_support.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fuzz_extract ("Herefordshire\nInspection of children's social care services\n"
                  "Inspection dates: ", data, size, "2022-09-21.txt");
    fuzz_extract ("Norfolk County Council\nInspection of services for children in need of "
                  "help and protection\n", data, size, "2015-10-20.txt");
    return 0;
}
