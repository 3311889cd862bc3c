/*  fuzz_classify — any bytes as text to the anatomy classifier: the
    head's lines, letterhead, salutation, subject, title, labels, furniture
    and sign-off are all looked for in them; the verdict must be coherent
    (a decided kind has a form with enough evidence, positions lie in
    the text). */
#include "fuzz_support.h"
#include "ex_classify.h"
#include "ex_tables.h"
#include "ex_text.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *text = malloc (size + 1);
    if (!text)
        return 0;
    memcpy (text, data, size);
    text [size] = '\0';
    ex_verdict_t verdict;
    ex_class_t class = ex_classify (ex_tables ()->anatomy, text, size, &verdict);
    if (class != verdict.class)
        abort ();
    if (verdict.decided && verdict.score [verdict.form] < EX_CLASSIFY_ENOUGH)
        abort ();
    if ((verdict.subject != EX_NONE && verdict.subject > size)
    ||  (verdict.salutation != EX_NONE && verdict.salutation > size)
    ||  (verdict.title != EX_NONE && verdict.title > size))
        abort ();
    free (text);
    return 0;
}
