/*  ex_authority — which authority a document is about. */

#include "ex_authority.h"

#include <string.h>

//  Ofsted's addresses: a name found right after one of these is a city
//  in an address line, not the authority.
static bool
in_ofsted_address (const ex_doc_t *doc, size_t at)
{
    size_t from = at > 120 ? at - 120 : 0;
    return ex_find (doc->text, at, from, "Piccadilly Gate") != EX_NONE
        || ex_find (doc->text, at, from, "Store Street") != EX_NONE
        || ex_find (doc->text, at, from, "Aviation House") != EX_NONE;
}

const ow_authority_t *
ex_authority_in (const ex_doc_t *doc, size_t from, size_t to, size_t *at)
{
    if (to > doc->length)
        to = doc->length;
    while (from < to) {
        size_t start, end;
        const ow_authority_t *found =
            ow_register_find_in_text (doc->reg, doc->text + from, to - from, &start, &end);
        if (!found)
            return NULL;
        if (!in_ofsted_address (doc, from + start)) {
            if (at)
                *at = from + start;
            return found;
        }
        from += end;
    }
    return NULL;
}

bool
ex_authority_resolve (ex_doc_t *doc, size_t from, size_t to, const char *declared)
{
    const ow_authority_t *found = ex_authority_in (doc, from, to, NULL);
    if (!found && declared && *declared) {
        found = ow_register_find (doc->reg, declared);
        if (found)
            ex_doc_warn (doc, "the document does not name its authority; "
                              "used the declared one (%s)", declared);
    }
    if (!found) {
        ex_doc_fail (doc, "the document names no local authority the register knows");
        return false;
    }
    ex_doc_set_authority (doc, found);
    return true;
}

#define MAX_NAMED 16            // distinct authorities a paper is scored on
#define CONTEXT 200             // bytes around a mention that make its sentence
#define NAMES_READ (1u << 20)   // bytes of a paper read for the authorities it names

//  True when the sentence around [start, end) speaks of an inspection.
static bool
about_inspection (const ex_doc_t *doc, size_t start, size_t end)
{
    static const char *words [] = { "Ofsted", "inspect", "monitoring visit", "focused visit", NULL };
    size_t from = start, to = end;
    while (from > 0 && start - from < CONTEXT && doc->text [from - 1] != '.'
           && !(doc->text [from - 1] == '\n' && from >= 2 && doc->text [from - 2] == '\n'))
        from--;
    while (to < doc->length && to - end < CONTEXT && doc->text [to] != '.')
        to++;
    for (size_t i = 0; words [i]; i++)
        if (ex_find (doc->text, to, from, words [i]) != EX_NONE)
            return true;
    return false;
}

const ow_authority_t *
ex_authority_most_named (const ex_doc_t *doc, size_t header_end)
{
    const ow_authority_t *named [MAX_NAMED];
    int score [MAX_NAMED];
    size_t count = 0, from = 0, start, end;
    //  A paper names its subject in its opening pages, and counting names
    //  costs a register lookup a word: a paper's first NAMES_READ bytes
    //  decide, so an appendix of tens of megabytes costs no more.
    size_t length = doc->length < NAMES_READ ? doc->length : NAMES_READ;
    while (from < length) {
        const ow_authority_t *found = ow_register_find_in_text (doc->reg, doc->text + from,
                                                                length - from, &start, &end);
        if (!found)
            break;
        start += from;
        end += from;
        from = end;
        if (in_ofsted_address (doc, start))
            continue;
        size_t i = 0;
        while (i < count && named [i] != found)
            i++;
        if (i == count) {
            if (count == MAX_NAMED)
                continue;
            named [count] = found;
            score [count++] = 0;
        }
        score [i] += start < header_end ? 3 : about_inspection (doc, start, end) ? 4 : 1;
    }
    size_t best = 0;
    for (size_t i = 1; i < count; i++)
        if (score [i] > score [best])
            best = i;
    return count ? named [best] : NULL;
}
