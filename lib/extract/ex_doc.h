/*  ex_doc — the document being extracted, as every parser sees it.

    One ex_doc_t lives for one extract_document call. It holds the decoded
    text (read-only to parsers), the register and tables to resolve
    against, and the Extraction being built; the helpers here add to that
    Extraction so that every parser builds events, judgements and findings
    the same way. Parsers report failure by setting `error` once, with a
    sentence a user can act on.
*/
#ifndef EX_DOC_H
#define EX_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "ex_classify.h"
#include "ex_tables.h"
#include "ex_text.h"
#include "ow_pb.h"
#include "ow_register.h"

#define EX_ACTION_PLAN_DAYS 70

typedef struct {
    const char *text;                   // decoded UTF-8, NUL-terminated
    size_t length;
    const char *file_name;
    const char *declared_authority;     // NULL or a name the caller gave
    bool every_list_item;               // extract_input_t's
    ex_span_t *items;                   // the list items' spans: improvements
    size_t n_items;                     // whether or not they are findings
    const ow_register_t *reg;
    const ex_tables_t *tables;
    Ofwatch__V1__Extraction *out;       // being built; the caller's
    const ex_verdict_t *verdict;        // the classification, while parsing
    char *error;                        // set once on failure
} ex_doc_t;

//  Sets the error (printf style) unless one is set already.
void ex_doc_fail (ex_doc_t *doc, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

//  Adds a warning to the Extraction.
void ex_doc_warn (ex_doc_t *doc, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

//  Sets the Extraction's authority from a register entry.
void ex_doc_set_authority (ex_doc_t *doc, const ow_authority_t *authority);

//  Names the authority one event is about, when a feed covers several.
void ex_event_set_authority (Ofwatch__V1__InspectionFacts *event,
                             const ow_authority_t *authority);

//  Appends a new event of the given kind and returns it (owned by the
//  Extraction).
Ofwatch__V1__InspectionFacts *ex_doc_add_event (ex_doc_t *doc, Ofwatch__V1__InspectionKind kind);

//  Records a judgement; a second grade for the same area is ignored (the
//  first table in a report is the authoritative one).
void ex_event_judge (Ofwatch__V1__InspectionFacts *event, const char *area,
                     Ofwatch__V1__Grade grade);

//  The grade recorded for an area, or 0.
Ofwatch__V1__Grade ex_event_grade (const Ofwatch__V1__InspectionFacts *event, const char *area);

//  Adds an inspector unless already listed (the lead is listed too).
void ex_event_add_inspector (Ofwatch__V1__InspectionFacts *event, const char *name);

//  Adds a list item as a finding with its span in the text, when the
//  findings classifier is sure enough of its theme (settings.csv's
//  theme_item) or the caller measures every item.
void ex_doc_add_finding (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event,
                         Ofwatch__V1__Polarity polarity, ex_span_t span);

//  Adds an item of what must improve (also recorded as a finding of the
//  given polarity, improvement_needed or priority_action, with a theme
//  and span, when its theme is clear: ex_doc_add_finding). Priority actions are improvements too: the list of
//  improvements is everything the document asks to improve.
void ex_doc_add_improvement (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event,
                             ex_span_t span, Ofwatch__V1__Polarity polarity);

//  The items of a list, as improvements of one event: the argument and
//  the callback ex_list_parse takes. Items that only say there is nothing
//  to improve ("There are no areas of priority action.") are skipped.
typedef struct {
    ex_doc_t *doc;
    Ofwatch__V1__InspectionFacts *event;
    Ofwatch__V1__Polarity polarity;     // improvement_needed or priority_action
} ex_improvements_t;

void ex_doc_improvement_item (void *improvements, ex_span_t span);

//  Adds the written statement of action's deadline: 70 working days
//  after the report's publication (Education and Inspections Act 2006,
//  section 137 and its regulations), bank holidays excluded.
void ex_doc_add_action_plan (ex_doc_t *doc, int published);

//  Sets an ISO date string field from a day number.
void ex_set_date (char **field, int date);

#endif
