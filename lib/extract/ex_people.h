/*  ex_people — inspectors' names as reports and letters print them.

    "Lead inspector: Lisa Summers, Her Majesty’s Inspector", "Reporting
    inspector Gary Lamb HMI", "Team inspectors: Donna Marriott HMI, Linda
    Steele HMI", "His Majesty's Inspectors for this visit were Alison Smale
    and Ceri Evans": the name is the run of capitalised words, without
    titles.
*/
#ifndef EX_PEOPLE_H
#define EX_PEOPLE_H

#include <stddef.h>
#include "ex_text.h"

//  The person named at the start of text [pos, end) ("Lisa Summers,
//  ..."), or NULL. Caller frees. *after is set past the name when not
//  NULL.
char *ex_person_at (const char *text, size_t end, size_t pos, size_t *after);

//  Calls `add` for each name in a list ("A HMI, B HMI and C") in
//  text [start, end).
void ex_people_list (const char *text, size_t start, size_t end,
                     void (*add) (void *arg, const char *name), void *arg);

//  The lead inspector named after a label at a line start ("Lead
//  inspector", "Lead inspector on site", "Reporting inspector") in text
//  [from, to), the name
//  possibly on the next line. NULL when none. Caller frees.
char *ex_lead_inspector (const char *text, size_t from, size_t to);

#endif
