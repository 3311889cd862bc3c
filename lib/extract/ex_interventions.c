/*  ex_interventions — DfE intervention facts in any document's text.

    When an authority's children's services are inadequate the DfE
    intervenes: an improvement notice, a statutory direction, a children's
    services commissioner. Council papers and letters say so in a
    sentence; this finds, for each kind, the first sentence that names it
    and keeps the sentence, its span and a date printed in it. It reads
    every kind of document, since any of them may report it.
*/

#include "ex_interventions.h"
#include "ow_date.h"

#include <ctype.h>
#include <string.h>

//  Phrases are matched ignoring case; the first of a kind wins.
static const struct {
    const char *phrase;
    const char *kind;
} s_phrases [] = {
    { "improvement notice",        "improvement_notice" },
    { "statutory direction",       "statutory_direction" },
    { "children's commissioner",   "commissioner" },
    { "children\xe2\x80\x99s commissioner", "commissioner" },
    { "dfe commissioner",          "commissioner" },
    { "commissioner for children's services", "commissioner" },
    { "government intervention",   "government_intervention" },
};
#define PHRASE_COUNT (sizeof s_phrases / sizeof s_phrases [0])

//  The longest sentence kept; longer ones are cut at a word.
#define MAX_SENTENCE 400

static bool
sentence_end (const char *text, size_t at, size_t length)
{
    if (text [at] == '\n' && at + 1 < length && text [at + 1] == '\n')
        return true;
    return (text [at] == '.' || text [at] == ';')
        && (at + 1 >= length || isspace ((unsigned char) text [at + 1]));
}

static bool
already_found (const Ofwatch__V1__Extraction *out, const char *kind)
{
    for (size_t i = 0; i < out->n_interventions; i++)
        if (strcmp (out->interventions [i]->kind, kind) == 0)
            return true;
    return false;
}

static void
add (ex_doc_t *doc, const char *kind, size_t start, size_t end)
{
    //  Trim the span to the sentence's visible text.
    while (start < end && isspace ((unsigned char) doc->text [start]))
        start++;
    while (end > start && isspace ((unsigned char) doc->text [end - 1]))
        end--;
    if (end - start > MAX_SENTENCE)
        end = start + MAX_SENTENCE;
    Ofwatch__V1__Intervention *intervention = OW_PB_NEW (Ofwatch__V1__Intervention,
                                                         ofwatch__v1__intervention__init);
    intervention->kind = ow_strdup (kind);
    intervention->text = ow_strndup (doc->text + start, end - start);
    for (char *c = intervention->text; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    intervention->start = (uint32_t) start;
    intervention->end = (uint32_t) end;
    for (size_t at = start; at < end; at++) {
        size_t to = 0;
        int date = ow_date_parse (doc->text + at, end - at, 0, &to);
        if (date != OW_DATE_NONE) {
            char iso [11];
            ow_date_to_iso (date, iso);
            intervention->date = ow_strdup (iso);
            break;
        }
    }
    ow_pb_append ((void ***) &doc->out->interventions, &doc->out->n_interventions, intervention);
}

void
ex_interventions_find (ex_doc_t *doc)
{
    for (size_t p = 0; p < PHRASE_COUNT; p++) {
        if (already_found (doc->out, s_phrases [p].kind))
            continue;
        const char *hit = strcasestr (doc->text, s_phrases [p].phrase);
        if (!hit)
            continue;
        size_t at = (size_t) (hit - doc->text);
        size_t start = at, end = at;
        while (start > 0 && !sentence_end (doc->text, start - 1, doc->length))
            start--;
        while (end < doc->length && !sentence_end (doc->text, end, doc->length))
            end++;
        add (doc, s_phrases [p].kind, start, end < doc->length ? end + 1 : end);
    }
}
