/*  themes — what keeps needing to improve.

    A finding counts against a theme when it is a weakness, a "what needs
    to improve" item or a priority action. A theme recurs for an
    authority when it is found in two or more distinct inspections or
    visits of that authority ("other" never recurs: it names nothing).
    Counts are of distinct inspections, so a report that says the same
    thing five times weighs as much as one that says it once.
*/
#ifndef THEMES_H
#define THEMES_H

#include "model.h"

//  More than the Theme enum has values.
#define THEMES_SLOTS 64

//  The recurring themes of one history, appended as ThemeRecurring
//  messages with every occurrence (document, date, text), oldest first.
void themes_recurring (const model_history_t *history, Ofwatch__V1__ThemeRecurring ***recurring,
                       size_t *count);

//  The inspection ids of one recurring theme, ascending, as "12,15,40"
//  (caller frees): what names its occurrence set in a dedupe key.
char *themes_inspection_ids (const Ofwatch__V1__ThemeRecurring *recurring);

//  Theme counts for one history, or for every history in the model when
//  history is NULL, over inspections starting on or after `since`
//  (OW_DATE_NONE: all). The caller holds the model's lock.
Ofwatch__V1__ThemesReply *themes_reply (const model_t *model, const model_history_t *history,
                                        int since);

//  Prevalence by fieldwork year and by overall grade, over every history.
void themes_prevalence (const model_t *model, Ofwatch__V1__National *national);

#endif
