/*  ex_council — council papers that report inspections and visits.

    Councils write about inspections in prose and lists, not in Ofsted's
    layout, so this reads statements rather than tables:

    - grade lines ("The experiences and progress of children in care and
      care leavers - Inadequate", "Overall Judgement: Requires
      Improvement") and grade sentences ("the overall effectiveness was
      judged to be inadequate") make one reported full inspection, SIF or
      ILACS by the areas named, dated by the span in a sentence that calls
      it an inspection ("Ofsted inspected Cheshire East Council's
      children's services between 26 February and 8 March 2024"), and with
      the deadline its stated publication date sets;
    - a sentence naming an inspection "in September 2012" makes an event
      for that inspection dated by its month ("2012-09": a month is a
      month, never a day), judged inadequate when it says so, unless it is
      the reported inspection again;
    - a sentence about a monitoring or focused visit, a joint targeted
      area inspection or an area SEND inspection with its dates (or its
      month) makes a visit event, numbered by its ordinal ("the first
      monitoring visit");
    - what the paper plans (a visit dated after the paper) and an
      inspection named without any date are not events: a paper that
      names no inspection adds none;
    - the paper's findings (sentences that lean one way) belong to the
      most recent inspection or visit it reports: a paper is written
      about the latest news, and mentions older events as background.

    The authority is the one the paper speaks of most, in its header and
    in sentences about inspections (ex_authority_most_named), so a header
    that names no council does not stop it. Events are kept apart by
    their dates, so a paper that names one visit twice reports it once.
    Sentences are read across wrapped lines: a sentence ends at a full
    stop before a space, at a blank line, or before a list item.
*/

#include "ex_council.h"
#include "ex_authority.h"
#include "ex_findings.h"
#include "ex_grades.h"
#include "ex_people.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 2500            // the paper's header: meeting furniture, title
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

//  ---------------------------------------------------------------------
//  Sentences

#define SHORT_LINE 50           // a line this short was not wrapped: a header field
#define FIELD_LABEL 32          // "Meeting date:", "Report of:": a label this long at most

//  A header's field: a short label of words and a colon at the line's
//  start ("Title of report: ...", "Meeting date: 4 March 2025").
static bool
is_field (const char *text, ex_span_t line)
{
    line = ex_trim (text, line);
    for (size_t i = line.start; i < line.end && i - line.start <= FIELD_LABEL; i++) {
        unsigned char c = (unsigned char) text [i];
        if (c == ':')
            return i > line.start;
        if (!isalpha (c) && c != ' ' && c != '(' && c != ')' && c != '\'' && c < 0x80)
            return false;
    }
    return false;
}

//  Calls `fn` with each sentence of the text: sentences run over wrapped
//  lines and end at a full stop (or ? !) before white space, at a blank
//  line, after a short line (a header's "MEETING DATE: 11 September
//  2014"), or before a line that opens a list item ("- 4 Ofsted returned
//  ...", "• ...").
static void
each_sentence (council_t *self, void (*fn) (council_t *self, ex_span_t sentence))
{
    const char *text = self->doc->text;
    size_t length = self->doc->length, start = 0;
    for (size_t i = 0; i <= length; i++) {
        bool end = i == length;
        if (!end && (text [i] == '.' || text [i] == '?' || text [i] == '!')
        &&  (i + 1 == length || isspace ((unsigned char) text [i + 1])))
            end = true;
        if (!end && text [i] == '\n') {
            size_t next = i + 1;
            while (next < length && (text [next] == ' ' || text [next] == '\t'))
                next++;
            ex_span_t line = ex_line_at (text, length, i);
            ex_span_t following = ex_line_at (text, length, next < length ? next : i);
            end = next >= length || text [next] == '\n' || text [next] == '-'
               || ex_bullet_at (text, length, next) || isdigit ((unsigned char) text [next])
               || line.end - line.start < SHORT_LINE
               || is_field (text, line) || is_field (text, following);
        }
        if (!end)
            continue;
        ex_span_t sentence = ex_trim (text, (ex_span_t) { start, i < length ? i + 1 : i });
        if (sentence.end > sentence.start)
            fn (self, sentence);
        start = i + 1;
    }
}

//  ---------------------------------------------------------------------
//  Dates as a paper gives them: days when it prints them, else the month
//  ("in July 2022"), as ISO 8601's reduced precision "2022-07".

typedef struct {
    char start [11], end [11];   // "2022-07-18" or "2022-07" (end empty)
    int first, last;             // day numbers: a month's first and last days
} when_t;

#define PUBLISHED_BEFORE 30

//  A date printed as a publication's ("published on 21 September 2022")
//  or a meeting's ("Meeting date: 4 March 2025") is no inspection's.
static bool
is_publication (const char *text, size_t from, size_t at)
{
    size_t before = at > from + PUBLISHED_BEFORE ? at - PUBLISHED_BEFORE : from;
    return ex_find (text, at, before, "publish") != EX_NONE
        || ex_find (text, at, before, "publication") != EX_NONE
        || ex_find (text, at, before, "meeting") != EX_NONE;
}

static bool
month_in (const char *text, size_t from, size_t to, when_t *when)
{
    static const char *months [] = {
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December", NULL
    };
    for (size_t m = 0; months [m]; m++)
        for (size_t at = ex_find (text, to, from, months [m]); at != EX_NONE;
             at = ex_find (text, to, at + 1, months [m])) {
            char month [8];
            if (!isupper ((unsigned char) text [at]) || !ex_word_start (text, at)
            ||  !ow_date_parse_month (text + at, to - at, month) || is_publication (text, from, at))
                continue;
            memset (when, 0, sizeof *when);
            memcpy (when->start, month, 8);
            int year = atoi (month), number = atoi (month + 5);
            when->first = ow_date_from_ymd (year, number, 1);
            int next = number == 12 ? ow_date_from_ymd (year + 1, 1, 1)
                                    : ow_date_from_ymd (year, number + 1, 1);
            when->last = next - 1;
            return true;
        }
    return false;
}

static bool
when_in (const char *text, ex_span_t sentence, when_t *when)
{
    ow_date_span_t span;
    size_t length = sentence.end - sentence.start;
    if (ow_date_parse_span (text + sentence.start, length, length, &span)
    &&  !is_publication (text, sentence.start, sentence.start + span.from)) {
        memset (when, 0, sizeof *when);
        ow_date_to_iso (span.start, when->start);
        ow_date_to_iso (span.end, when->end);
        when->first = span.start;
        when->last = span.end;
        return true;
    }
    return month_in (text, sentence.start, sentence.end, when);
}

//  The days an event's dates cover (a month's, when that is all it has).
static bool
event_days (const Ofwatch__V1__InspectionFacts *event, int *first, int *last)
{
    if (strlen (event->start_date) == 10) {
        *first = ow_date_from_iso (event->start_date);
        *last = strlen (event->end_date) == 10 ? ow_date_from_iso (event->end_date) : *first;
        return true;
    }
    if (strlen (event->start_date) == 7) {
        char iso [11];
        snprintf (iso, sizeof iso, "%s-01", event->start_date);
        *first = ow_date_from_iso (iso);
        int year, month, day;
        ow_date_to_ymd (*first, &year, &month, &day);
        *last = (month == 12 ? ow_date_from_ymd (year + 1, 1, 1) : ow_date_from_ymd (year, month + 1, 1)) - 1;
        return true;
    }
    return false;
}

//  Same family of inspection (a full inspection of any framework, or the
//  same kind of visit) over overlapping days: one inspection, however
//  precisely each mention dates it.
static Ofwatch__V1__InspectionFacts *
same_inspection (council_t *self, Ofwatch__V1__InspectionKind kind, const when_t *when)
{
    Ofwatch__V1__Extraction *out = self->doc->out;
    for (size_t i = 0; i < out->n_events; i++) {
        Ofwatch__V1__InspectionFacts *event = out->events [i];
        bool family = event->kind == kind
                   || (ow_kind_is_full_inspection (event->kind) && ow_kind_is_full_inspection (kind));
        int first, last;
        if (family && event_days (event, &first, &last) && first <= when->last && when->first <= last)
            return event;
    }
    return NULL;
}

static void
set_when (Ofwatch__V1__InspectionFacts *event, const when_t *when)
{
    ow_pb_set_string (&event->start_date, when->start);
    ow_pb_set_string (&event->end_date, when->end);
}

//  A date after the paper's own is a plan ("a focused visit between
//  January and March 2021"), not an event.
static bool
planned (const council_t *self, const when_t *when)
{
    int paper = ow_date_from_iso (self->doc->out->published_on);
    return paper != OW_DATE_NONE && when->first > paper;
}

//  ---------------------------------------------------------------------
//  The reported full inspection

static Ofwatch__V1__InspectionKind
kind_for_year (int year)
{
    return year >= 2018 ? OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS
         : year >= 2014 ? OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF
         : OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SLAC;
}

#define OVERALL_SENTENCE 120

//  "the overall effectiveness was judged to be inadequate": the reported
//  inspection's overall grade, stated as a sentence.
static void
read_overall_sentence (council_t *self)
{
    ex_doc_t *doc = self->doc;
    size_t end;
    size_t at = ex_find_phrase (doc->text, doc->length, 0, "overall effectiveness was judged", &end);
    if (at == EX_NONE)
        return;
    ex_span_t sentence = { at + strlen ("overall effectiveness "), end };
    while (sentence.end < doc->length && doc->text [sentence.end] != '.'
           && sentence.end - end < OVERALL_SENTENCE)
        sentence.end++;
    size_t grade_end;
    size_t to_be = ex_find (doc->text, sentence.end, sentence.start, "to be ");
    Ofwatch__V1__Grade grade = to_be == EX_NONE ? 0
        : ex_grade_at (doc->text, sentence.end, to_be + 6, &grade_end);
    if (grade)
        ex_event_judge (graded_event (self), "overall", grade);
}

//  The reported inspection's dates: the first sentence that calls it an
//  inspection and prints a span of fieldwork (2 to 40 days).
static void
date_sentence (council_t *self, ex_span_t sentence)
{
    ex_doc_t *doc = self->doc;
    Ofwatch__V1__InspectionFacts *event = self->graded;
    if (*event->start_date
    ||  (ex_find (doc->text, sentence.end, sentence.start, "inspection") == EX_NONE
      && ex_find (doc->text, sentence.end, sentence.start, "inspected") == EX_NONE)
    ||  ex_find (doc->text, sentence.end, sentence.start, "monitoring visit") != EX_NONE
    ||  ex_find (doc->text, sentence.end, sentence.start, "focused visit") != EX_NONE)
        return;
    ow_date_span_t span;
    size_t length = sentence.end - sentence.start;
    if (ow_date_parse_span (doc->text + sentence.start, length, length, &span)
    &&  span.end - span.start >= 2 && span.end - span.start <= 40) {
        ex_set_date (&event->start_date, span.start);
        ex_set_date (&event->end_date, span.end);
    }
}

//  The reported inspection's kind, dates and publication.
static void
date_graded_event (council_t *self)
{
    ex_doc_t *doc = self->doc;
    Ofwatch__V1__InspectionFacts *event = self->graded;
    each_sentence (self, date_sentence);
    if (self->sif)
        event->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF;
    else
    if (*event->start_date)
        event->kind = kind_for_year (atoi (event->start_date));
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
//  Other inspections and visits

static int
ordinal_before (const char *text, size_t from, size_t at)
{
    static const char *words [] = {
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
        "ninth", "tenth", NULL
    };
    if (at > from + 40)
        from = at - 40;
    int found = 0;
    for (int i = 0; words [i]; i++) {
        size_t w = ex_find (text, at, from, words [i]);
        if (w != EX_NONE && ex_word_start (text, w))
            found = i + 1;
    }
    return found;
}

static void
add_visit (council_t *self, Ofwatch__V1__InspectionKind kind, ex_span_t sentence, size_t keyword)
{
    ex_doc_t *doc = self->doc;
    when_t when;
    if (!when_in (doc->text, sentence, &when) || planned (self, &when))
        return;
    Ofwatch__V1__InspectionFacts *event = same_inspection (self, kind, &when);
    if (event) {
        //  A later mention may print the days the first gave as a month.
        if (strlen (event->start_date) < strlen (when.start))
            set_when (event, &when);
        return;
    }
    event = ex_doc_add_event (doc, kind);
    set_when (event, &when);
    if (kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT)
        event->visit_number = ordinal_before (doc->text, sentence.start, keyword + 1);
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

//  "The previous Ofsted inspection ... took place in September 2012, at
//  which time services were found to be inadequate", "Children's Services
//  were judged to be inadequate during the Ofsted inspection conducted in
//  July 2022": a full inspection dated by its fieldwork, or its month.
static void
add_dated_inspection (council_t *self, ex_span_t sentence)
{
    ex_doc_t *doc = self->doc;
    when_t when;
    if (!when_in (doc->text, sentence, &when) || planned (self, &when))
        return;
    //  A single day is a deadline or a meeting, not fieldwork.
    if (*when.end && when.last - when.first < 1)
        return;
    bool inadequate = ex_find (doc->text, sentence.end, sentence.start, "inadequate") != EX_NONE;
    if (!inadequate && ex_find (doc->text, sentence.end, sentence.start, "Ofsted") == EX_NONE)
        return;
    Ofwatch__V1__InspectionKind kind = kind_for_year (atoi (when.start));
    Ofwatch__V1__InspectionFacts *event = same_inspection (self, kind, &when);
    if (!event) {
        event = ex_doc_add_event (doc, kind);
        set_when (event, &when);
    }
    if (inadequate) {
        if (!ex_event_grade (event, "overall"))
            ex_event_judge (event, "overall", OFWATCH__V1__GRADE__GRADE_INADEQUATE);
        if (!*event->inadequate_since)
            ow_pb_set_string (&event->inadequate_since, when.start);
    }
}

static void
read_sentence (council_t *self, ex_span_t sentence)
{
    static const struct {
        const char *words;
        Ofwatch__V1__InspectionKind kind;
    } visits [] = {
        { "monitoring visit", OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT },
        { "of these visits", OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT },
        { "focused visit", OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_FOCUSED_VISIT },
        { "action planning visit", OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ACTION_PLANNING_VISIT },
        { "joint targeted area inspection", OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_JTAI },
        { "area SEND inspection", OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND },
        { NULL, 0 }
    };
    const char *text = self->doc->text;
    for (size_t i = 0; visits [i].words; i++) {
        size_t at = ex_find_phrase (text, sentence.end, sentence.start, visits [i].words, NULL);
        if (at != EX_NONE) {
            add_visit (self, visits [i].kind, sentence, at);
            return;
        }
    }
    //  "judged inadequate in July 2022" speaks of an inspection without
    //  the word.
    if (ex_find (text, sentence.end, sentence.start, "inspection") != EX_NONE
    ||  ex_find (text, sentence.end, sentence.start, "inspected") != EX_NONE
    ||  ex_find (text, sentence.end, sentence.start, "judged") != EX_NONE)
        add_dated_inspection (self, sentence);
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
    size_t header = doc->length < HEADER ? doc->length : HEADER;
    const ow_authority_t *authority = ex_authority_most_named (doc, header);
    if (authority)
        ex_doc_set_authority (doc, authority);
    else
    if (!ex_authority_resolve (doc, 0, doc->length, doc->declared_authority))
        return false;
    read_meeting_date (doc);
    council_t self = { doc, NULL, false };
    size_t pos = 0;
    ex_span_t line;
    while (ex_next_line (doc->text, doc->length, &pos, &line))
        read_grade_line (&self, line);
    read_overall_sentence (&self);
    if (self.graded)
        date_graded_event (&self);
    each_sentence (&self, read_sentence);
    Ofwatch__V1__InspectionFacts *subject = latest_event (doc->out);
    if (subject)
        ex_findings_read (doc, subject, 0, doc->length);
    else
        ex_doc_warn (doc, "the document reports no inspection or visit");
    return true;
}
