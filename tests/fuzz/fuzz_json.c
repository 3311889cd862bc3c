/*  fuzz_json — bytes as a JSON feed (CONTRACTS.md section 4 shape), and
    the JSON reader alone. */
#include "fuzz_support.h"
#include "ex_json.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *error = NULL;
    ex_json_t *value = ex_json_parse ((const char *) data, size, &error);
    if (!value && !error)
        abort ();
    ex_json_destroy (&value);
    free (error);
    fuzz_extract ("[", data, size, "feed.json");
    fuzz_extract (NULL, data, size, "feed.json");
    return 0;
}
