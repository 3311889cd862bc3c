/*  ex_findings — strengths and weaknesses in an inspection's prose.

    Inspectors write one judgement per sentence, and the words say which
    way it goes: "is effective", "benefit from", "strong" against "not
    sufficiently", "too slow", "delay", "inconsistent". Each sentence that
    leans one way is a finding with its polarity, a theme from the
    lexicon, and its byte span in the text. Sentences that lean neither
    way (context, numbers, history) are left out.
*/
#ifndef EX_FINDINGS_H
#define EX_FINDINGS_H

#include "ex_doc.h"

//  Adds the findings of the prose paragraphs in text [from, to) to event.
//  Lists, headings and page furniture are skipped.
void ex_findings_read (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, size_t from, size_t to);

//  The polarity a sentence leans to: STRENGTH, WEAKNESS, or 0.
Ofwatch__V1__Polarity ex_findings_polarity (const char *text, size_t length);

#endif
