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
    { "required improvement to be good", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT },
    { "requires improvement", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT },
    { "required improvement", OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT },
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

//  Some tables lose the capital too ("protectioninadequate"): the grade
//  is still told from the label by the word the labels end with.
static bool
ends_label (const char *text, size_t end)
{
    static const char *endings [] = {
        "protection", "permanence", "performance", "leavers", "governance",
        "families", "effectiveness", "management", "provision", "improve",
        "people", "children", "in care", NULL
    };
    for (size_t i = 0; endings [i]; i++) {
        size_t n = strlen (endings [i]);
        if (end >= n && strncasecmp (text + end - n, endings [i], n) == 0)
            return true;
    }
    return false;
}

Ofwatch__V1__Grade
ex_grade_ending (const char *text, size_t length, size_t *grade_start)
{
    while (length > 0 && (isspace ((unsigned char) text [length - 1]) || text [length - 1] == '.'))
        length--;
    //  2013 tables add the number: "Inadequate Grade 4".
    if (length > 8 && isdigit ((unsigned char) text [length - 1])
    &&  strncasecmp (text + length - 8, " grade ", 7) == 0)
        length -= 8;
    for (size_t i = 0; s_grades [i].words; i++) {
        size_t n = strlen (s_grades [i].words);
        if (length < n || strncasecmp (text + length - n, s_grades [i].words, n) != 0)
            continue;
        size_t start = length - n;
        bool own_word = start == 0 || !isalnum ((unsigned char) text [start - 1]);
        bool glued = start > 0 && isupper ((unsigned char) text [start])
                  && islower ((unsigned char) text [start - 1]);
        glued |= ends_label (text, start);
        if (own_word || glued) {
            *grade_start = start;
            return s_grades [i].grade;
        }
    }
    return 0;
}

//  Words after which a grade follows: "services in X are good", "the LSCB
//  is inadequate", "the overall judgement is requires improvement".
static bool
is_verb (const char *text, size_t length, size_t pos, size_t *next)
{
    static const char *verbs [] = { "are", "is", "was", "were", NULL };
    for (size_t i = 0; verbs [i]; i++) {
        size_t n = strlen (verbs [i]);
        if (length - pos > n && strncasecmp (text + pos, verbs [i], n) == 0
        &&  isspace ((unsigned char) text [pos + n])) {
            *next = pos + n;
            while (*next < length && isspace ((unsigned char) text [*next]))
                (*next)++;
            return true;
        }
    }
    return false;
}

Ofwatch__V1__Grade
ex_grade_in_sentence (const char *text, ex_span_t sentence, size_t max_words)
{
    size_t words = 0;
    for (size_t pos = sentence.start; pos < sentence.end && words <= max_words; pos++) {
        if (!isalnum ((unsigned char) text [pos])
        ||  (pos > sentence.start && isalnum ((unsigned char) text [pos - 1])))
            continue;
        words++;
        size_t next, end;
        if (ex_at (text, sentence.end, pos, "require")) {
            Ofwatch__V1__Grade grade = ex_grade_at (text, sentence.end, pos, &end);
            if (grade)
                return grade;
        }
        if (is_verb (text, sentence.end, pos, &next)) {
            Ofwatch__V1__Grade grade = ex_grade_at (text, sentence.end, next, &end);
            if (grade)
                return grade;
        }
    }
    return 0;
}
