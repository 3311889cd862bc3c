/*  ex_findings — strengths and weaknesses in an inspection's prose.

    Prose is read sentence by sentence, paragraph lines joined. Lines that
    are list items (a bullet or "12." numbering of a recommendation list
    in SIF reports is not prose either, but numbered paragraphs are),
    headings (no sentence end) and short lines are not prose. A sentence
    ends at '.', '?' or '!' followed by white space and a capital or the
    end; abbreviations such as "e.g." and "i.e." do not end one.
*/

#include "ex_findings.h"
#include "ex_lexicon.h"
#include "ex_lists.h"

#include <ctype.h>
#include <string.h>

#define MIN_SENTENCE 40         // bytes; shorter ones are headings or labels
#define MAX_SENTENCE 1200

Ofwatch__V1__Polarity
ex_findings_polarity (const char *text, size_t length)
{
    const ex_tables_t *tables = ex_tables ();
    if (!tables->polarity)
        return 0;
    ex_scores_t scores;
    ex_lexicon_score (tables->polarity, text, length, &scores);
    int strength = scores.score [OFWATCH__V1__POLARITY__POLARITY_STRENGTH];
    int weakness = scores.score [OFWATCH__V1__POLARITY__POLARITY_WEAKNESS];
    if (weakness >= 3 && weakness >= strength)
        return OFWATCH__V1__POLARITY__POLARITY_WEAKNESS;
    if (strength >= 2 && strength > weakness)
        return OFWATCH__V1__POLARITY__POLARITY_STRENGTH;
    return 0;
}

static bool
is_abbreviation (const char *text, size_t dot)
{
    return (dot >= 3 && (ex_at (text, dot + 1, dot - 3, "e.g") || ex_at (text, dot + 1, dot - 3, "i.e")))
        || (dot >= 2 && (ex_at (text, dot + 1, dot - 2, "no") || ex_at (text, dot + 1, dot - 2, "Dr")
                      || ex_at (text, dot + 1, dot - 2, "Mr") || ex_at (text, dot + 1, dot - 2, "St")));
}

//  End of the sentence starting at pos (past its full stop), within to.
static size_t
sentence_end (const char *text, size_t pos, size_t to)
{
    for (size_t i = pos; i < to; i++) {
        char c = text [i];
        if (c == '.' || c == '?' || c == '!') {
            size_t next = i + 1;
            while (next < to && (text [next] == '"' || text [next] == ')'))
                next++;
            if (next >= to)
                return to;
            if (isspace ((unsigned char) text [next]) && !is_abbreviation (text, i)) {
                size_t k = next;
                while (k < to && isspace ((unsigned char) text [k]))
                    k++;
                if (k >= to || !islower ((unsigned char) text [k]))
                    return next;
            }
        }
    }
    return to;
}

//  True when a line is prose: not a bullet item, not blank.
static bool
is_prose_line (const char *text, size_t length, ex_span_t line)
{
    line = ex_trim (text, line);
    return line.end > line.start && !ex_bullet_at (text, length, line.start);
}

//  A paragraph: consecutive prose lines. Returns its end.
static size_t
paragraph_end (const char *text, size_t to, size_t pos)
{
    ex_span_t line;
    size_t end = pos;
    while (ex_next_line (text, to, &pos, &line) && is_prose_line (text, to, line))
        end = line.end;
    return end;
}

void
ex_findings_read (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, size_t from, size_t to)
{
    size_t pos = from;
    ex_span_t line;
    while (pos < to) {
        size_t start = pos;
        if (!ex_next_line (doc->text, to, &pos, &line))
            break;
        if (!is_prose_line (doc->text, to, line))
            continue;
        size_t end = paragraph_end (doc->text, to, start);
        pos = end < to ? end + 1 : to;
        size_t after_number;
        if (ex_list_number (doc->text, line, &after_number) >= 0)
            start = after_number;
        for (size_t s = start; s < end;) {
            size_t stop = sentence_end (doc->text, s, end);
            ex_span_t sentence = ex_trim (doc->text, (ex_span_t) { s, stop });
            size_t size = sentence.end - sentence.start;
            bool ended = size && strchr (".?!", doc->text [sentence.end - 1]);
            if (ended && size >= MIN_SENTENCE && size <= MAX_SENTENCE) {
                Ofwatch__V1__Polarity polarity =
                    ex_findings_polarity (doc->text + sentence.start, size);
                if (polarity)
                    ex_doc_add_finding (doc, event, polarity, sentence);
            }
            s = stop > s ? stop : end;
        }
    }
}
