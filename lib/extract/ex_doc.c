/*  ex_doc — helpers every parser uses to add facts to the Extraction. */

#include "ex_doc.h"
#include "ex_findings.h"
#include "ow_date.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
ex_doc_fail (ex_doc_t *doc, const char *format, ...)
{
    if (doc->error)
        return;
    va_list args;
    va_start (args, format);
    if (vasprintf (&doc->error, format, args) < 0)
        abort ();
    va_end (args);
}

void
ex_doc_warn (ex_doc_t *doc, const char *format, ...)
{
    char *warning;
    va_list args;
    va_start (args, format);
    if (vasprintf (&warning, format, args) < 0)
        abort ();
    va_end (args);
    ow_pb_append ((void ***) &doc->out->warnings, &doc->out->n_warnings, warning);
}

//  A register entry as the wire's Authority (into *target, made if NULL).
static void
set_authority (Ofwatch__V1__Authority **target, const ow_authority_t *authority)
{
    if (!*target)
        *target = OW_PB_NEW (Ofwatch__V1__Authority, ofwatch__v1__authority__init);
    ow_pb_set_string (&(*target)->code, authority->code);
    ow_pb_set_string (&(*target)->name, authority->name);
    ow_pb_set_string (&(*target)->la_code, authority->la_code);
    ow_pb_set_string (&(*target)->urn, authority->urn);
}

void
ex_doc_set_authority (ex_doc_t *doc, const ow_authority_t *authority)
{
    set_authority (&doc->out->authority, authority);
}

void
ex_event_set_authority (Ofwatch__V1__InspectionFacts *event, const ow_authority_t *authority)
{
    set_authority (&event->authority, authority);
}

Ofwatch__V1__InspectionFacts *
ex_doc_add_event (ex_doc_t *doc, Ofwatch__V1__InspectionKind kind)
{
    Ofwatch__V1__InspectionFacts *event =
        OW_PB_NEW (Ofwatch__V1__InspectionFacts, ofwatch__v1__inspection_facts__init);
    event->kind = kind;
    ow_pb_append ((void ***) &doc->out->events, &doc->out->n_events, event);
    return event;
}

void
ex_event_judge (Ofwatch__V1__InspectionFacts *event, const char *area,
                Ofwatch__V1__Grade grade)
{
    if (!grade || ex_event_grade (event, area))
        return;
    Ofwatch__V1__InspectionFacts__JudgementsEntry *entry =
        OW_PB_NEW (Ofwatch__V1__InspectionFacts__JudgementsEntry,
                   ofwatch__v1__inspection_facts__judgements_entry__init);
    ow_pb_set_string (&entry->key, area);
    entry->value = grade;
    ow_pb_append ((void ***) &event->judgements, &event->n_judgements, entry);
}

Ofwatch__V1__Grade
ex_event_grade (const Ofwatch__V1__InspectionFacts *event, const char *area)
{
    for (size_t i = 0; i < event->n_judgements; i++)
        if (strcmp (event->judgements [i]->key, area) == 0)
            return event->judgements [i]->value;
    return 0;
}

void
ex_event_add_inspector (Ofwatch__V1__InspectionFacts *event, const char *name)
{
    if (!name || !*name)
        return;
    for (size_t i = 0; i < event->n_inspectors; i++)
        if (strcasecmp (event->inspectors [i], name) == 0)
            return;
    ow_pb_append_string (&event->inspectors, &event->n_inspectors, name);
}

void
ex_doc_add_finding (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event,
                    Ofwatch__V1__Polarity polarity, ex_span_t span)
{
    span = ex_trim (doc->text, span);
    if (span.end <= span.start)
        return;
    char *text = ex_join (doc->text, span);
    bool sure = false;
    Ofwatch__V1__Theme theme = ex_findings_theme (doc, event, text, strlen (text), polarity, &sure);
    //  A list item whose theme the classifier is unsure of stays one of
    //  the improvements, but alerting on a theme it may not be about
    //  would be noise.
    if (!sure && !doc->every_list_item) {
        free (text);
        return;
    }
    Ofwatch__V1__Finding *finding = OW_PB_NEW (Ofwatch__V1__Finding, ofwatch__v1__finding__init);
    finding->polarity = polarity;
    finding->text = text;
    finding->theme = theme;
    finding->start = (uint32_t) span.start;
    finding->end = (uint32_t) span.end;
    ow_pb_append ((void ***) &event->findings, &event->n_findings, finding);
}

void
ex_doc_add_improvement (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, ex_span_t span,
                        Ofwatch__V1__Polarity polarity)
{
    assert (polarity == OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED
         || polarity == OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION);
    span = ex_trim (doc->text, span);
    if (span.end <= span.start)
        return;
    ow_pb_append ((void ***) &event->improvements, &event->n_improvements,
                  ex_join (doc->text, span));
    doc->items = realloc (doc->items, (doc->n_items + 1) * sizeof (ex_span_t));
    if (!doc->items)
        abort ();
    doc->items [doc->n_items++] = span;
    ex_doc_add_finding (doc, event, polarity, span);
}

void
ex_doc_improvement_item (void *improvements, ex_span_t span)
{
    ex_improvements_t *target = improvements;
    span = ex_trim (target->doc->text, span);
    if (ex_at (target->doc->text, span.end, span.start, "There are no areas")
    ||  ex_at (target->doc->text, span.end, span.start, "The inspection did not find"))
        return;
    ex_doc_add_improvement (target->doc, target->event, span, target->polarity);
}

void
ex_set_date (char **field, int date)
{
    char iso [11];
    ow_date_to_iso (date, iso);
    ow_pb_set_string (field, iso);
}

void
ex_doc_add_action_plan (ex_doc_t *doc, int published)
{
    if (published == OW_DATE_NONE)
        return;
    const ow_holidays_t *holidays = doc->tables ? doc->tables->holidays : NULL;
    int year, month, day;
    ow_date_to_ymd (published, &year, &month, &day);
    if (!holidays || year < ow_holidays_first_year (holidays)
    ||  year >= ow_holidays_last_year (holidays))
        ex_doc_warn (doc, "bank holidays of %d are not known; the action plan date "
                          "counts weekends only", year);
    Ofwatch__V1__Deadline *deadline = OW_PB_NEW (Ofwatch__V1__Deadline, ofwatch__v1__deadline__init);
    ow_pb_set_string (&deadline->kind, "action_plan");
    ex_set_date (&deadline->due, ow_date_add_working_days (holidays, published, EX_ACTION_PLAN_DAYS));
    ow_pb_set_string (&deadline->basis, "70 working days after publication");
    ow_pb_append ((void ***) &doc->out->deadlines, &doc->out->n_deadlines, deadline);
}
