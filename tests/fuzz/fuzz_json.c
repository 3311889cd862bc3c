/*  fuzz_json — bytes as a JSON feed (CONTRACTS.md section 4 shape), and
    the JSON reading alone. */
#include "fuzz_support.h"
#include "ow_json.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *error = NULL;
    json_t *value = ow_json_parse ((const char *) data, size, &error);
    if (!value && !error)
        abort ();
    if (value) {
        //  What was read can always be written again.
        char *text = ow_json_dump (value);
        free (text);
    }
    json_decref (value);
    free (error);
    fuzz_extract ("[", data, size, "feed.json");
    fuzz_extract (NULL, data, size, "feed.json");
    return 0;
}
