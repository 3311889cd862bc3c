/*  fuzz_support — what the libFuzzer targets share: the register, loaded
    once from the data directory compiled in (OW_DEFAULT_DATA_DIR), and a
    run of extraction over bytes that are not a PDF.

    Each target feeds one parser the bytes libFuzzer makes. The PDF path
    is poppler's, fuzzed by its own project; inputs that would take it are
    turned away so every run exercises ofwatch's parsers.
*/
#ifndef FUZZ_SUPPORT_H
#define FUZZ_SUPPORT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

static const ow_register_t *
fuzz_register (void)
{
    static ow_register_t *reg;
    if (!reg) {
        char *error = NULL;
        const char *dir = getenv ("OFWATCH_DATA");
        reg = ow_register_load (dir && *dir ? dir : OW_DEFAULT_DATA_DIR, &error);
        if (!reg)
            abort ();
    }
    return reg;
}

static int
has_pdf_header (const uint8_t *data, size_t size)
{
    size_t window = size < 1024 ? size : 1024;
    for (size_t i = 0; i + 5 <= window; i++)
        if (memcmp (data + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

//  Extracts from the bytes (prefixed when `prefix` is not NULL, to steer
//  the sniffer to one medium) and checks what comes back is consistent.
static void
fuzz_extract (const char *prefix, const uint8_t *data, size_t size, const char *name)
{
    size_t prefix_size = prefix ? strlen (prefix) : 0;
    uint8_t *bytes = malloc (prefix_size + size + 1);
    if (!bytes)
        return;
    if (prefix_size)
        memcpy (bytes, prefix, prefix_size);
    if (size)
        memcpy (bytes + prefix_size, data, size);
    if (!has_pdf_header (bytes, prefix_size + size)) {
        extract_input_t input = { bytes, prefix_size + size, name, NULL, NULL, false };
        char *text = NULL, *error = NULL;
        Ofwatch__V1__Extraction *x = extract_document (fuzz_register (), &input, &text, &error);
        if (x) {
            size_t length = strlen (text);
            for (size_t e = 0; e < x->n_events; e++)
                for (size_t f = 0; f < x->events [e]->n_findings; f++) {
                    const Ofwatch__V1__Finding *finding = x->events [e]->findings [f];
                    if (finding->end > length || finding->start > finding->end)
                        abort ();
                }
            ow_pb_free (&x);
        }
        else
        if (!error || !*error)
            abort ();       //  a failure always says why
        free (text);
        free (error);
    }
    free (bytes);
}

#endif
