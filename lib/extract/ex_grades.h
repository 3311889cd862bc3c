/*  ex_grades — grade words as reports print them.

    "Requires improvement to be good" and "Requires improvement" are one
    grade; "Adequate" is the 2013 scale's; "Not judged" is printed where an
    area was not graded. In judgement tables poppler glues the grade to
    the area's label ("care leaversInadequate"), so a grade is also found
    at the end of a line, capitalised, right after the label.
*/
#ifndef EX_GRADES_H
#define EX_GRADES_H

#include <stdbool.h>
#include <stddef.h>

#include "ex_text.h"
#include "ow_pb.h"

//  The grade written at text [pos] (case ignored) and *end past it
//  (including "to be good"); 0 when none.
Ofwatch__V1__Grade ex_grade_at (const char *text, size_t length, size_t pos, size_t *end);

//  The grade that ends text [0, length) (a table row with its wrapped
//  lines joined by single spaces), and *grade_start where it starts; 0
//  when it does not end with one. The grade must stand as its own word,
//  or be glued to the label by a capital ("familiesInadequate").
Ofwatch__V1__Grade ex_grade_ending (const char *text, size_t length, size_t *grade_start);

//  The grade of a sentence such as "Children's services in Norfolk are
//  inadequate" or "The LSCB requires improvement": the grade right after
//  its verb, the verb being among the first `max_words` words of the
//  sentence. 0 when none.
Ofwatch__V1__Grade ex_grade_in_sentence (const char *text, ex_span_t sentence, size_t max_words);

#endif
