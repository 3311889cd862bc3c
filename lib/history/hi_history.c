/*  hi_history — an authority's history; see hi_history.h.  */

#include "hi_history.h"
#include "ow_date.h"

#include <stdlib.h>
#include <string.h>

static void
free_inspection (hi_inspection_t *inspection)
{
    free (inspection->lead_inspector);
    free (inspection->inadequate_since);
    free (inspection->sha256);
    free (inspection->source_url);
    for (size_t i = 0; i < inspection->n_inspectors; i++)
        free (inspection->inspectors [i]);
    free (inspection->inspectors);
    for (size_t i = 0; i < inspection->n_grades; i++)
        free (inspection->grades [i].area);
    free (inspection->grades);
    for (size_t i = 0; i < inspection->n_improvements; i++)
        free (inspection->improvements [i]);
    free (inspection->improvements);
    for (size_t i = 0; i < inspection->n_findings; i++) {
        free (inspection->findings [i].text);
        free (inspection->findings [i].sha256);
    }
    free (inspection->findings);
}

void
hi_history_clear (hi_history_t *history)
{
    for (size_t i = 0; i < history->n_inspections; i++)
        free_inspection (&history->inspections [i]);
    free (history->inspections);
    for (size_t i = 0; i < history->n_deadlines; i++) {
        free (history->deadlines [i].kind);
        free (history->deadlines [i].basis);
        free (history->deadlines [i].sha256);
    }
    free (history->deadlines);
    const ow_authority_t *authority = history->authority;
    memset (history, 0, sizeof *history);
    history->authority = authority;
}

int
hi_inspection_day (const hi_inspection_t *inspection)
{
    if (inspection->start != OW_DATE_NONE)
        return inspection->start;
    if (inspection->end != OW_DATE_NONE)
        return inspection->end;
    return inspection->published;
}

//  An ISO date, or "" when not known.
static void
set_date (char **field, int day)
{
    char iso [11] = "";
    if (day != OW_DATE_NONE)
        ow_date_to_iso (day, iso);
    ow_pb_set_string (field, iso);
}

Ofwatch__V1__InspectionFacts *
hi_inspection_facts (const hi_inspection_t *inspection)
{
    Ofwatch__V1__InspectionFacts *facts = OW_PB_NEW (Ofwatch__V1__InspectionFacts,
                                                     ofwatch__v1__inspection_facts__init);
    facts->kind = inspection->kind;
    set_date (&facts->start_date, inspection->start);
    if (inspection->start_month && *facts->start_date)
        facts->start_date [7] = 0;          // "2022-07": a month stays a month
    set_date (&facts->end_date, inspection->end);
    set_date (&facts->published_on, inspection->published);
    facts->visit_number = inspection->visit_number;
    ow_pb_set_string (&facts->lead_inspector, inspection->lead_inspector);
    for (size_t i = 0; i < inspection->n_inspectors; i++)
        ow_pb_append_string (&facts->inspectors, &facts->n_inspectors,
                             inspection->inspectors [i]);
    ow_pb_set_string (&facts->source_sha256, inspection->sha256);
    ow_pb_set_string (&facts->inadequate_since, inspection->inadequate_since);
    facts->outcome = inspection->outcome;
    facts->next_inspection = inspection->next_inspection;
    set_date (&facts->previous_start_date, inspection->previous_start);
    set_date (&facts->previous_end_date, inspection->previous_end);
    for (size_t i = 0; i < inspection->n_grades; i++) {
        Ofwatch__V1__InspectionFacts__JudgementsEntry *entry = OW_PB_NEW (
            Ofwatch__V1__InspectionFacts__JudgementsEntry,
            ofwatch__v1__inspection_facts__judgements_entry__init);
        ow_pb_set_string (&entry->key, inspection->grades [i].area);
        entry->value = inspection->grades [i].grade;
        ow_pb_append ((void ***) &facts->judgements, &facts->n_judgements, entry);
    }
    for (size_t i = 0; i < inspection->n_improvements; i++)
        ow_pb_append_string (&facts->improvements, &facts->n_improvements,
                             inspection->improvements [i]);
    for (size_t i = 0; i < inspection->n_findings; i++) {
        const hi_finding_t *f = &inspection->findings [i];
        Ofwatch__V1__Finding *finding = OW_PB_NEW (Ofwatch__V1__Finding,
                                                   ofwatch__v1__finding__init);
        finding->polarity = f->polarity;
        finding->theme = f->theme;
        ow_pb_set_string (&finding->text, f->text);
        finding->start = f->start;
        finding->end = f->end;
        ow_pb_append ((void ***) &facts->findings, &facts->n_findings, finding);
    }
    return facts;
}

Ofwatch__V1__Deadline *
hi_deadline_message (const hi_deadline_t *deadline)
{
    Ofwatch__V1__Deadline *message = OW_PB_NEW (Ofwatch__V1__Deadline,
                                                ofwatch__v1__deadline__init);
    ow_pb_set_string (&message->kind, deadline->kind);
    set_date (&message->due, deadline->due);
    ow_pb_set_string (&message->basis, deadline->basis);
    return message;
}
