/*  ex_grades — grade words as reports print them. */

#include "ex_grades.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

typedef struct {
    const char *words;
    Ofwatch__V1__Grade grade;
} grade_word_t;

//  Longest first, so "requires improvement to be good" wins over its
//  prefix.
static const grade_word_t s_grades [] = {
    { "requires improvement to be good", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT },
    { "require improvement to be good", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT },
    { "requires improvement", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT },
    { "require improvement", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT },
    { "outstanding", OFWATCH__V1__GRADE__GRADE_OUTSTANDING },
    { "inadequate", OFWATCH__V1__GRADE__GRADE_INADEQUATE },
    { "not judged", OFWATCH__V1__GRADE__GRADE_NOT_JUDGED },
    { "adequate", OFWATCH__V1__GRADE__GRADE_ADEQUATE },
    { "good", OFWATCH__V1__GRADE__GRADE_GOOD },
    { NULL, 0 }
};

//  Matches words allowing any white space (a line break) between them.
static bool
words_at (const char *text, size_t length, size_t pos, const char *words, size_t *end)
{
    const char *w = words;
    size_t i = pos;
    while (*w) {
        if (*w == ' ') {
            if (i >= length || !isspace ((unsigned char) text [i]))
                return false;
            while (i < length && isspace ((unsigned char) text [i]))
                i++;
            w++;
        }
        else
        if (i < length && tolower ((unsigned char) text [i]) == *w) {
            i++;
            w++;
        }
        else
            return false;
    }
    if (i < length && isalpha ((unsigned char) text [i]))
        return false;
    *end = i;
    return true;
}

Ofwatch__V1__Grade
ex_grade_at (const char *text, size_t length, size_t pos, size_t *end)
{
    for (size_t i = 0; s_grades [i].words; i++)
        if (words_at (text, length, pos, s_grades [i].words, end))
            return s_grades [i].grade;
    return 0;
}

Ofwatch__V1__Grade
ex_grade_ending (const char *text, ex_span_t line, size_t *grade_start)
{
    static const char *capitalised [] = {
        "Requires improvement to be good", "Requires improvement", "Outstanding",
        "Inadequate", "Not judged", "Adequate", "Good", NULL
    };
    line = ex_trim (text, line);
    for (size_t i = 0; capitalised [i]; i++) {
        size_t n = strlen (capitalised [i]);
        if (line.end - line.start < n)
            continue;
        size_t start = line.end - n;
        if (memcmp (text + start, capitalised [i], n) != 0)
            continue;
        //  "Not judged"/"Inadequate" must not be the tail of a longer word
        //  ("Adequate" inside "Inadequate").
        if (start > line.start && isalpha ((unsigned char) text [start - 1])
        &&  !islower ((unsigned char) text [start - 1]))
            continue;
        if (start > line.start && islower ((unsigned char) text [start - 1])
        &&  strcmp (capitalised [i], "Adequate") == 0)
            continue;
        *grade_start = start;
        size_t end;
        return ex_grade_at (text, line.end, start, &end);
    }
    return 0;
}

Ofwatch__V1__Grade
ex_grade_in_sentence (const char *text, ex_span_t sentence)
{
    static const char *verbs [] = { " are ", " is ", " requires ", " require ", NULL };
    size_t best = EX_NONE;
    for (size_t i = 0; verbs [i]; i++) {
        size_t at = ex_find (text, sentence.end, sentence.start, verbs [i]);
        if (at != EX_NONE && (best == EX_NONE || at < best))
            best = at;
    }
    if (best == EX_NONE)
        return 0;
    size_t pos = best + 1, end;
    //  "requires improvement" is its own verb.
    Ofwatch__V1__Grade grade = ex_grade_at (text, sentence.end, pos, &end);
    if (grade)
        return grade;
    while (pos < sentence.end && !isspace ((unsigned char) text [pos]))
        pos++;
    while (pos < sentence.end && isspace ((unsigned char) text [pos]))
        pos++;
    return ex_grade_at (text, sentence.end, pos, &end);
}
