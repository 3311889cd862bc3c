/*  ex_council — council papers that report inspections and visits.

    Councils write about inspections in prose and lists, not in Ofsted's
    layout, so this reads statements rather than tables:

    - grade lines ("The experiences and progress of children in care and
      care leavers - Inadequate", "Overall Judgement: Requires
      Improvement") make one reported full inspection, SIF or ILACS by
      the areas named, dated by the span in a sentence that calls it an
      inspection, and with the deadline its stated publication date sets;
    - a sentence naming an inspection "in September 2012" makes an event
      for that inspection (judged inadequate, when it says so);
    - a sentence about a monitoring or focused visit with dates makes a
      visit event, numbered by its ordinal ("the first monitoring visit");
    - the paper's findings (sentences that lean one way) belong to the
      most recent inspection or visit it reports: a paper is written
      about the latest news, and mentions older events as background.

    Events are kept apart by their dates, so a paper that names one visit
    twice reports it once.
*/

#include "ex_council.h"
#include "ex_authority.h"
#include "ex_findings.h"
#include "ex_grades.h"
#include "ex_people.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define COUNCIL_AUTHORITY_WINDOW 8000
#define HEAD 800

typedef struct {
    const char *label;
    const char *area;
    bool sif;                   // only SIF reports grade this area
} council_area_t;

static const council_area_t s_areas [] = {
    { "impact of leaders", "leaders", false },
    { "children who need help and protection", "help_and_protection", false },
    { "children in care and care leavers", "in_care_and_care_leavers", false },
    { "looked after and achieving", "looked_after", true },
    { "adoption performance", "adoption", true },
    { "progress of care leavers", "care_leavers", true },
    { "leadership, management and governance", "leadership", true },
    { "safeguarding children", "lscb", true },
    { "(lscb)", "lscb", true },
    { NULL, NULL, false }
};

typedef struct {
    ex_doc_t *doc;
    Ofwatch__V1__InspectionFacts *graded;   // the full inspection with grades
    bool sif;
} council_t;

//  ---------------------------------------------------------------------

static void
read_meeting_date (ex_doc_t *doc)
{
    static const char *labels [] = { "Meeting date", "Date of meeting", "Meeting:", "Date:", NULL };
    size_t head = doc->length < HEAD ? doc->length : HEAD;
    for (size_t i = 0; labels [i]; i++) {
        size_t at = ex_find (doc->text, head, 0, labels [i]);
        int date = at == EX_NONE ? OW_DATE_NONE
                 : ow_date_parse (doc->text + at, doc->length - at, 60, NULL);
        if (date != OW_DATE_NONE) {
            ex_set_date (&doc->out->published_on, date);
            return;
        }
    }
    //  Else a line near the top that is only a date ("23rd September 2020").
    size_t pos = 0;
    ex_span_t line;
    while (ex_next_line (doc->text, head, &pos, &line)) {
        line = ex_trim (doc->text, line);
        size_t to;
        int date = ow_date_parse (doc->text + line.start, line.end - line.start, 0, &to);
        if (date != OW_DATE_NONE && line.start + to == line.end) {
            ex_set_date (&doc->out->published_on, date);
            return;
        }
    }
}

static Ofwatch__V1__InspectionFacts *
graded_event (council_t *self)
{
    if (!self->graded)
        self->graded = ex_doc_add_event (self->doc, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS);
    return self->graded;
}

//  "<area label> - <grade>" lines, and "Overall Judgement: <grade>".
static void
read_grade_line (council_t *self, ex_span_t line)
{
    ex_doc_t *doc = self->doc;
    line = ex_trim (doc->text, line);
    size_t length = line.end - line.start;
    if (length == 0 || length > 300)
        return;
    char lower [320];
    for (size_t i = 0; i < length; i++)
        lower [i] = (char) tolower ((unsigned char) doc->text [line.start + i]);
    lower [length] = '\0';
    size_t grade_start;
    Ofwatch__V1__Grade grade = ex_grade_ending (doc->text + line.start, length, &grade_start);
    //  "... Requires Improvement, including:" grades the line too.
    if (!grade) {
        const char *comma = strstr (lower, ", including");
        if (comma)
            grade = ex_grade_ending (doc->text + line.start, (size_t) (comma - lower), &grade_start);
    }
    const char *overall = strstr (lower, "overall judgement:");
    if (!grade && overall) {
        size_t at = line.start + (size_t) (overall - lower) + strlen ("overall judgement:");
        while (at < line.end && doc->text [at] == ' ')
            at++;
        size_t end;
        grade = ex_grade_at (doc->text, line.end, at, &end);
    }
    if (!grade)
        return;
    if (overall || strstr (lower, "overall judgement") || strstr (lower, "overall effectiveness")) {
        ex_event_judge (graded_event (self), "overall", grade);
        return;
    }
    //  The label and the grade are set apart: "label - Grade", "label: Grade".
    const char *separator = strstr (lower, " - ");
    if (!separator)
        separator = strstr (lower, " \xE2\x80\x93 ");
    if (!separator)
        separator = strstr (lower, ": ");
    if (!separator)
        return;
    for (size_t i = 0; s_areas [i].label; i++)
        if (strstr (lower, s_areas [i].label) && strstr (lower, s_areas [i].label) < separator) {
            ex_event_judge (graded_event (self), s_areas [i].area, grade);
            self->sif |= s_areas [i].sif;
            return;
        }
}

//  "the overall effectiveness was judged to be inadequate"
static void
read_overall_sentence (council_t *self)
{
    ex_doc_t *doc = self->doc;
    size_t end;
    size_t at = ex_find_phrase (doc->text, doc->length, 0, "overall effectiveness was judged", &end);
    if (at == EX_NONE || !self->graded)
        return;
    ex_span_t sentence = { at + strlen ("overall effectiveness "), ex_line_at (doc->text, doc->length, end).end };
    size_t grade_end;
    size_t to_be = ex_find (doc->text, sentence.end, sentence.start, "to be ");
    Ofwatch__V1__Grade grade = to_be == EX_NONE ? 0
        : ex_grade_at (doc->text, sentence.end, to_be + 6, &grade_end);
    if (grade)
        ex_event_judge (self->graded, "overall", grade);
}

//  The reported inspection's dates and publication.
static void
date_graded_event (council_t *self)
{
    ex_doc_t *doc = self->doc;
    Ofwatch__V1__InspectionFacts *event = self->graded;
    if (self->sif)
        event->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF;
    for (size_t at = ex_find (doc->text, doc->length, 0, "inspection"); at != EX_NONE;
         at = ex_find (doc->text, doc->length, at + 1, "inspection")) {
        ow_date_span_t span;
        if (ow_date_parse_span (doc->text + at, doc->length - at, 240, &span)
        &&  span.end - span.start >= 2 && span.end - span.start <= 40) {
            ex_set_date (&event->start_date, span.start);
            ex_set_date (&event->end_date, span.end);
            break;
        }
    }
    //  "Appendix 1 - Ofsted inspection of ... Published 30 June 2014",
    //  "The inspection report was published on 21 September 2022".
    static const char *published [] = { "Published", "report was published on", NULL };
    if (!ow_kind_is_full_inspection (event->kind))
        return;
    for (size_t i = 0; published [i]; i++)
        for (size_t at = ex_find (doc->text, doc->length, 0, published [i]); at != EX_NONE;
             at = ex_find (doc->text, doc->length, at + 1, published [i])) {
            int date = ow_date_parse (doc->text + at, doc->length - at, 40, NULL);
            if (date != OW_DATE_NONE) {
                ex_doc_add_action_plan (doc, date);
                return;
            }
        }
}

//  ---------------------------------------------------------------------
//  Sentences about other inspections and visits

static int
ordinal_before (const char *text, size_t at)
{
    static const char *words [] = {
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
        "ninth", "tenth", NULL
    };
    size_t from = at > 40 ? at - 40 : 0;
    int found = 0;
    for (int i = 0; words [i]; i++) {
        size_t w = ex_find (text, at, from, words [i]);
        if (w != EX_NONE && ex_word_start (text, w))
            found = i + 1;
    }
    return found;
}

static bool
same_start (const Ofwatch__V1__InspectionFacts *event, int start)
{
    char iso [11];
    ow_date_to_iso (start, iso);
    return strcmp (event->start_date, iso) == 0;
}

static void
add_visit (council_t *self, Ofwatch__V1__InspectionKind kind, ex_span_t sentence, size_t keyword)
{
    ex_doc_t *doc = self->doc;
    ow_date_span_t span;
    if (!ow_date_parse_span (doc->text + sentence.start, sentence.end - sentence.start,
                             sentence.end - sentence.start, &span))
        return;
    Ofwatch__V1__Extraction *out = doc->out;
    for (size_t i = 0; i < out->n_events; i++)
        if (out->events [i]->kind == kind && same_start (out->events [i], span.start))
            return;
    Ofwatch__V1__InspectionFacts *event = ex_doc_add_event (doc, kind);
    ex_set_date (&event->start_date, span.start);
    ex_set_date (&event->end_date, span.end);
    if (kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT)
        event->visit_number = ordinal_before (doc->text, keyword + 1);
    size_t lead = ex_find (doc->text, doc->length, 0, "lead inspector is");
    if (lead != EX_NONE) {
        char *name = ex_person_at (doc->text, doc->length, lead + strlen ("lead inspector is"), NULL);
        if (name) {
            ow_pb_set_string (&event->lead_inspector, name);
            ex_event_add_inspector (event, name);
            free (name);
        }
    }
}

static Ofwatch__V1__InspectionKind
kind_for_year (int year)
{
    return year >= 2018 ? OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS
         : year >= 2014 ? OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF
         : OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SLAC;
}

//  "The previous Ofsted inspection ... took place in September 2012, at
//  which time services were found to be inadequate."
static void
add_dated_inspection (council_t *self, ex_span_t sentence)
{
    ex_doc_t *doc = self->doc;
    size_t in = ex_find (doc->text, sentence.end, sentence.start, " in ");
    char month [8] = "";
    while (in != EX_NONE && !ow_date_parse_month (doc->text + in + 4, sentence.end - in - 4, month))
        in = ex_find (doc->text, sentence.end, in + 1, " in ");
    if (in == EX_NONE)
        return;
    Ofwatch__V1__Extraction *out = doc->out;
    for (size_t i = 0; i < out->n_events; i++)
        if (strncmp (out->events [i]->start_date, month, 7) == 0
        ||  strcmp (out->events [i]->inadequate_since, month) == 0)
            return;
    bool inadequate = ex_find (doc->text, sentence.end, sentence.start, "inadequate") != EX_NONE;
    if (!inadequate && ex_find (doc->text, sentence.end, sentence.start, "Ofsted") == EX_NONE)
        return;
    //  An inspection named without a judgement is an event only when the
    //  paper reports nothing more definite (minutes that discuss "the
    //  inspection ... in July 2022").
    if (!inadequate && out->n_events > 0)
        return;
    Ofwatch__V1__InspectionFacts *event = ex_doc_add_event (doc, kind_for_year (atoi (month)));
    if (inadequate) {
        ex_event_judge (event, "overall", OFWATCH__V1__GRADE__GRADE_INADEQUATE);
        ow_pb_set_string (&event->inadequate_since, month);
    }
}

static void
read_sentences (council_t *self)
{
    ex_doc_t *doc = self->doc;
    size_t pos = 0;
    ex_span_t line;
    while (ex_next_line (doc->text, doc->length, &pos, &line)) {
        //  Sentences within the line (council paragraphs are long lines).
        for (size_t s = line.start; s < line.end;) {
            size_t stop = s;
            while (stop < line.end && !(doc->text [stop] == '.' && (stop + 1 == line.end
                                         || doc->text [stop + 1] == ' ')))
                stop++;
            ex_span_t sentence = { s, stop < line.end ? stop + 1 : line.end };
            size_t at;
            if ((at = ex_find (doc->text, sentence.end, sentence.start, "monitoring visit")) != EX_NONE
            ||  (at = ex_find (doc->text, sentence.end, sentence.start, "of these visits")) != EX_NONE)
                add_visit (self, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT, sentence, at);
            else
            if ((at = ex_find (doc->text, sentence.end, sentence.start, "focused visit")) != EX_NONE)
                add_visit (self, OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_FOCUSED_VISIT, sentence, at);
            else
            if (ex_find (doc->text, sentence.end, sentence.start, "inspection") != EX_NONE)
                add_dated_inspection (self, sentence);
            s = sentence.end;
        }
    }
}

//  The event a paper is about: the one with the latest fieldwork, or when
//  none is dated, the last one named.
static Ofwatch__V1__InspectionFacts *
latest_event (const Ofwatch__V1__Extraction *out)
{
    Ofwatch__V1__InspectionFacts *latest = out->n_events ? out->events [out->n_events - 1] : NULL;
    for (size_t i = 0; i < out->n_events; i++) {
        const char *start = out->events [i]->start_date;
        if (*start && (!*latest->start_date || strcmp (start, latest->start_date) > 0))
            latest = out->events [i];
    }
    return latest;
}

bool
ex_council_parse (ex_doc_t *doc)
{
    size_t window = doc->length < COUNCIL_AUTHORITY_WINDOW ? doc->length : COUNCIL_AUTHORITY_WINDOW;
    if (!ex_authority_resolve (doc, 0, window, doc->declared_authority))
        return false;
    read_meeting_date (doc);
    council_t self = { doc, NULL, false };
    size_t pos = 0;
    ex_span_t line;
    while (ex_next_line (doc->text, doc->length, &pos, &line))
        read_grade_line (&self, line);
    if (self.graded) {
        read_overall_sentence (&self);
        date_graded_event (&self);
    }
    read_sentences (&self);
    Ofwatch__V1__InspectionFacts *subject = latest_event (doc->out);
    if (subject)
        ex_findings_read (doc, subject, 0, doc->length);
    else
        ex_doc_warn (doc, "the document reports no inspection or visit");
    return true;
}
