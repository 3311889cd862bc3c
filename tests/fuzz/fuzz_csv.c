/*  fuzz_csv — bytes as a summary CSV feed (CONTRACTS.md section 6). */
#include "fuzz_support.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fuzz_extract ("urn,la_code,ltla23cd,local_authority,overall_effectiveness_grade,"
                  "inspection_framework,inspector_name,inspection_start_date,inspection_end_date,"
                  "publication_date,impact_of_leaders_grade,help_and_protection_grade,"
                  "in_care_grade,care_leavers_grade\n", data, size, "feed.csv");
    return 0;
}
