/*  fuzz_html — bytes as an HTML page for libxml2's HTML parser and the
    walk that writes its text: after a tag that makes them a page, after a
    declared legacy charset, and on their own (a byte order mark, a meta
    charset, broken markup); then extraction from the text. */
#include "fuzz_support.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    fuzz_extract ("<html><body>", data, size, "page.html");
    fuzz_extract ("<html><head><meta charset=\"windows-1252\"></head><body><p>", data, size,
                  "page.html");
    fuzz_extract ("<div>", data, size, "page.html");
    return 0;
}
