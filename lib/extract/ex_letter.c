/*  ex_letter — Ofsted's letters after a visit. */

#include "ex_letter.h"
#include "ex_authority.h"
#include "ex_findings.h"
#include "ex_lists.h"
#include "ex_people.h"
#include "ow_date.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LETTER_HEAD 3000        // date, addressee, subject, first paragraph

static size_t
head_end (const ex_doc_t *doc)
{
    return doc->length < LETTER_HEAD ? doc->length : LETTER_HEAD;
}

//  The letter's date: the first line that is a date and nothing else.
static void
read_letter_date (ex_doc_t *doc)
{
    size_t pos = 0;
    ex_span_t line;
    while (ex_next_line (doc->text, head_end (doc), &pos, &line)) {
        line = ex_trim (doc->text, line);
        size_t to;
        int date = ow_date_parse (doc->text + line.start, line.end - line.start, 0, &to);
        if (date != OW_DATE_NONE && line.start + to == line.end) {
            ex_set_date (&doc->out->published_on, date);
            return;
        }
    }
}

//  The subject line names the visit and the authority; the opening
//  sentence does too, when the subject line is missing.
static size_t
subject_line (const ex_doc_t *doc, const char *const *subjects)
{
    for (size_t i = 0; subjects [i]; i++) {
        size_t at = ex_find (doc->text, head_end (doc), 0, subjects [i]);
        if (at != EX_NONE)
            return at;
    }
    return EX_NONE;
}

static const char *s_subjects [] = {
    "Monitoring visit to", "Monitoring visit of", "Focused visit to", "Focused visit of",
    "Joint targeted area inspection of", "Joint targeted area inspection in",
    "Action planning visit to", "Action planning visit", "This letter summarises", NULL
};

static bool
read_authority (ex_doc_t *doc)
{
    size_t at = subject_line (doc, s_subjects);
    if (at != EX_NONE) {
        ex_span_t line = ex_line_at (doc->text, doc->length, at);
        //  The subject may wrap: look at the next line too.
        size_t end = line.end + 1 < doc->length
                   ? ex_line_at (doc->text, doc->length, line.end + 1).end : line.end;
        if (ex_authority_in (doc, at, end, NULL))
            return ex_authority_resolve (doc, at, end, NULL);
    }
    //  The addressee block, then anywhere in the letter's head.
    size_t dear = ex_find (doc->text, head_end (doc), 0, "Dear ");
    return ex_authority_resolve (doc, 0, dear != EX_NONE ? dear : head_end (doc),
                                 doc->declared_authority);
}

static void
read_visit_dates (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t at = ex_find (doc->text, doc->length, 0, "This letter summarises");
    if (at == EX_NONE)
        at = subject_line (doc, s_subjects);
    ow_date_span_t span;
    if (at != EX_NONE && ow_date_parse_span (doc->text + at, doc->length - at, 300, &span)) {
        ex_set_date (&event->start_date, span.start);
        ex_set_date (&event->end_date, span.end);
    }
    else
        ex_doc_warn (doc, "no visit dates found");
}

static int
ordinal (const char *text, size_t length, size_t pos)
{
    static const char *words [] = {
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
        "ninth", "tenth", "eleventh", "twelfth", NULL
    };
    for (int i = 0; words [i]; i++)
        if (ex_at (text, length, pos, words [i]))
            return i + 1;
    if (isdigit ((unsigned char) text [pos]))
        return atoi (text + pos);
    return 0;
}

//  "This was the fifth monitoring visit since the local authority was
//  judged inadequate in July 2022."
static void
read_visit_number (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t end = head_end (doc);
    for (size_t at = ex_find (doc->text, end, 0, " monitoring visit"); at != EX_NONE;
         at = ex_find (doc->text, end, at + 1, " monitoring visit")) {
        size_t word = at;
        while (word > 0 && isalnum ((unsigned char) doc->text [word - 1]))
            word--;
        if (word >= 4 && ex_at (doc->text, end, word - 4, "the ")) {
            int number = ordinal (doc->text, end, word);
            if (number > 0) {
                event->visit_number = number;
                break;
            }
        }
    }
    size_t at = ex_find (doc->text, end, 0, "judged inadequate in ");
    char month [8];
    if (at != EX_NONE) {
        at += strlen ("judged inadequate in ");
        if (ow_date_parse_month (doc->text + at, end - at, month))
            ow_pb_set_string (&event->inadequate_since, month);
    }
}

static void
add_name (void *arg, const char *name)
{
    ex_event_add_inspector (arg, name);
}

//  "His Majesty's Inspectors for this visit were Alison Smale and Ceri
//  Evans." The letter's signatory is the lead.
static void
read_inspectors (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t at = ex_find (doc->text, doc->length, 0, "for this visit were");
    size_t skip = strlen ("for this visit were");
    if (at == EX_NONE) {
        at = ex_find (doc->text, doc->length, 0, "for this visit was");
        skip = strlen ("for this visit was");
    }
    if (at == EX_NONE) {
        at = ex_find (doc->text, doc->length, 0, "inspectors were");
        skip = strlen ("inspectors were");
    }
    if (at != EX_NONE) {
        at += skip;
        const char *stop = memchr (doc->text + at, '.', doc->length - at);
        size_t end = stop ? (size_t) (stop - doc->text) : doc->length;
        ex_people_list (doc->text, at, end, add_name, event);
    }
    char *lead = NULL;
    size_t sign = ex_find (doc->text, doc->length, doc->length > 3000 ? doc->length - 3000 : 0,
                           "Yours sincerely");
    if (sign != EX_NONE) {
        size_t pos = sign;
        ex_span_t line;
        ex_next_line (doc->text, doc->length, &pos, &line);
        while (ex_next_line (doc->text, doc->length, &pos, &line) && ex_blank (doc->text, line))
            ;
        lead = ex_person_at (doc->text, line.end, line.start, NULL);
    }
    if (!lead)
        lead = ex_lead_inspector (doc->text, 0, doc->length);
    if (!lead && event->n_inspectors)
        lead = ow_strdup (event->inspectors [0]);
    if (lead) {
        ow_pb_set_string (&event->lead_inspector, lead);
        if (!event->n_inspectors)
            ex_event_add_inspector (event, lead);
        free (lead);
    }
}

typedef struct {
    ex_doc_t *doc;
    Ofwatch__V1__InspectionFacts *event;
    bool priority;
} list_target_t;

static void
add_item (void *arg, ex_span_t span)
{
    list_target_t *target = arg;
    if (target->priority)
        ex_doc_add_finding (target->doc, target->event,
                            OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION, span);
    else
        ex_doc_add_improvement (target->doc, target->event, span);
}

static void
read_lists (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    list_target_t target = { doc, event, true };
    size_t at = ex_find (doc->text, doc->length, 0, "Areas for priority action");
    if (at != EX_NONE)
        ex_list_parse (doc->text, at, doc->length, EX_LIST_BULLETS, add_item, &target, NULL);
    target.priority = false;
    static const char *headings [] = {
        "What needs to improve", "Areas for improvement", "areas for improvement", NULL
    };
    for (size_t i = 0; headings [i]; i++) {
        at = ex_find (doc->text, doc->length, 0, headings [i]);
        if (at != EX_NONE && (at == 0 || doc->text [at - 1] == '\n')
        &&  ex_list_parse (doc->text, at, doc->length, EX_LIST_BULLETS, add_item, &target, NULL))
            break;
    }
}

bool
ex_letter_parse (ex_doc_t *doc, Ofwatch__V1__InspectionKind kind)
{
    if (!read_authority (doc))
        return false;
    read_letter_date (doc);
    Ofwatch__V1__InspectionFacts *event = ex_doc_add_event (doc, kind);
    read_visit_dates (doc, event);
    read_visit_number (doc, event);
    read_inspectors (doc, event);
    read_lists (doc, event);
    ex_findings_read (doc, event, 0, doc->length);
    return true;
}
