/*  ex_classify — what kind of document a text is, from its anatomy.

    A reader tells a letter from a report by its parts, not by the first
    phrase that catches the eye: a letter has Ofsted's letterhead, a date
    line, a salutation, a subject line naming the visit and a sign-off; a
    report has its title block, the inspection dates and the judgement
    table; an area SEND report its "Area SEND inspection of ... Local Area
    Partnership" title and its outcome; a council paper its meeting
    furniture (report headers, minutes). Each part found adds its weight
    to its form (letter, report, council paper), the form with the most
    evidence wins, and the kind within it comes from the part that names
    it (the subject line, the title). A letter that mentions the ILACS framework in its opening
    paragraph is still a letter: the phrase is not where a title is.

    The phrases each part is recognised by are data (data/anatomy.csv);
    what counts as a part (a line start, the first lines, a line that is
    only a date) is here.
*/
#ifndef EX_CLASSIFY_H
#define EX_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    EX_CLASS_UNKNOWN,
    EX_CLASS_NOT_FOUND_PAGE,
    EX_CLASS_ILACS,
    EX_CLASS_SIF,
    EX_CLASS_SIF_REINSPECTION,
    EX_CLASS_SLAC,
    EX_CLASS_LSCB_REVIEW,
    EX_CLASS_AREA_SEND,
    EX_CLASS_AREA_SEND_MONITORING,
    EX_CLASS_MONITORING_LETTER,
    EX_CLASS_FOCUSED_VISIT_LETTER,
    EX_CLASS_JTAI_LETTER,
    EX_CLASS_ACTION_PLANNING_LETTER,
    EX_CLASS_AREA_SEND_LETTER,          // an area SEND inspection's outcome letter
    EX_CLASS_AREA_SEND_MONITORING_LETTER,
    EX_CLASS_COUNCIL_MINUTES,
    EX_CLASS_COUNCIL_REPORT
} ex_class_t;

typedef enum {
    EX_FORM_NONE, EX_FORM_LETTER, EX_FORM_REPORT, EX_FORM_COUNCIL, EX_FORM_COUNT
} ex_form_t;

//  The evidence a form needs to be read at all: a subject line alone, a
//  title alone, or two pieces of meeting furniture.
#define EX_CLASSIFY_ENOUGH 3

//  The anatomy table (data/anatomy.csv), loaded once by ex_tables.
typedef struct _ex_anatomy_t ex_anatomy_t;

//  Loads dir/anatomy.csv; NULL and *error (caller frees) when it cannot.
ex_anatomy_t *ex_anatomy_load (const char *dir, char **error);
void ex_anatomy_destroy (ex_anatomy_t **self_p);

typedef struct {
    ex_class_t class;               // the kind decided (or the best guess)
    ex_form_t form;
    int score [EX_FORM_COUNT];    // the evidence each form gathered
    bool decided;                   // false: too little evidence, or a tie
    bool about_ofsted;              // the text speaks of Ofsted's inspections
    size_t subject;                 // letters: where the subject line (or the
                                    // opening phrase naming the visit) starts;
                                    // EX_NONE when none
    size_t salutation;              // letters: the "Dear ..." line; EX_NONE
    size_t title;                   // reports: where the title starts; EX_NONE
} ex_verdict_t;

//  Classifies text; never fails. With no anatomy table every document is
//  EX_CLASS_UNKNOWN, undecided.
ex_class_t ex_classify (const ex_anatomy_t *anatomy, const char *text, size_t length,
                        ex_verdict_t *verdict);

//  The form's name for messages ("letter", "report", "council paper").
const char *ex_form_name (ex_form_t form);

#endif
