/*  fuzz_date — bytes as printed dates and spans (ow_date). */
#include <stdint.h>
#include <stdlib.h>
#include "ow_date.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    const char *text = (const char *) data;
    ow_date_span_t span;
    if (ow_date_parse_span (text, size, size, &span)
    &&  (span.end < span.start || span.to > size || span.n_blocks == 0))
        abort ();
    size_t to = 0;
    int date = ow_date_parse (text, size, size, &to);
    if (date != OW_DATE_NONE && to > size)
        abort ();
    char month [8];
    ow_date_parse_month (text, size, month);
    return 0;
}
