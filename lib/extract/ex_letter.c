/*  ex_letter — Ofsted's letters after a visit.

    The letter's parts are found once (ex_classify already knows where
    the salutation and the subject line are): the head before the
    salutation (letterhead, date line, addressee) is read for the date
    only; the opening paragraph after the subject line for the visit's
    facts; the lists by their headings; the signature at the end for the
    lead inspector.
*/

#include "ex_letter.h"
#include "ex_authority.h"
#include "ex_findings.h"
#include "ex_lists.h"
#include "ex_people.h"
#include "ow_date.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LETTER_HEAD 3000        // date line, addressee, subject
#define OPENING 1800            // the opening paragraphs after the subject
#define SIGNATURE_LINES 14      // the signature block at the end
#define DATE_LINES 40
#define MAX_YEAR_SLIP 300       // days: a letter misdated by a year

typedef struct {
    ex_doc_t *doc;
    size_t opening;             // where the subject line (or the letter) starts
    size_t opening_end;
    size_t signature;           // where the signature block starts
    int letter_date;
} letter_t;

static size_t
min_size (size_t a, size_t b)
{
    return a < b ? a : b;
}

//  ---------------------------------------------------------------------
//  Parts

//  The letter's date: the first line of its head that is a date and
//  nothing else.
static int
read_letter_date (const letter_t *self)
{
    const ex_doc_t *doc = self->doc;
    size_t pos = 0, lines = 0;
    ex_span_t line;
    size_t head = min_size (doc->length, self->opening > 0 ? self->opening : LETTER_HEAD);
    while (lines < DATE_LINES && ex_next_line (doc->text, head, &pos, &line)) {
        line = ex_trim (doc->text, line);
        if (line.end == line.start)
            continue;
        lines++;
        size_t to;
        int date = ow_date_parse (doc->text + line.start, line.end - line.start, 0, &to);
        if (date != OW_DATE_NONE && line.start + to == line.end)
            return date;
    }
    return OW_DATE_NONE;
}

//  Where the signature block starts: the line before the last title line
//  ("His Majesty's Inspector", "HMI"), or the sign-off ("Yours
//  sincerely"), whichever comes first in the letter's last lines.
static size_t
find_signature (const ex_doc_t *doc)
{
    static const char *signoffs [] = { "Yours sincerely", "Your sincerely", "Yours faithfully", NULL };
    size_t from = doc->length > 3000 ? doc->length - 3000 : 0;
    for (size_t i = 0; signoffs [i]; i++) {
        size_t at = EX_NONE;
        for (size_t next = ex_find (doc->text, doc->length, from, signoffs [i]); next != EX_NONE;
             next = ex_find (doc->text, doc->length, next + 1, signoffs [i]))
            at = next;
        if (at != EX_NONE && (at == 0 || doc->text [at - 1] == '\n'))
            return at;
    }
    return EX_NONE;
}

static bool
is_title_line (const char *text, ex_span_t line)
{
    static const char *titles [] = {
        "His Majesty", "Her Majesty", "HMI", "Senior HMI", "Senior His Majesty",
        "Senior Her Majesty", "Regional Director", "Social Care Regional Director",
        "Ofsted Inspector", "Lead inspector", NULL
    };
    for (size_t i = 0; titles [i]; i++)
        if (ex_at (text, line.end, line.start, titles [i]))
            return true;
    return false;
}

//  The signatory: the name on the line before the title line of the
//  signature block, else the first name after the sign-off.
static char *
read_signatory (const ex_doc_t *doc, size_t signoff)
{
    ex_span_t lines [SIGNATURE_LINES];
    size_t count = 0, pos = signoff != EX_NONE ? signoff
                          : (doc->length > 1500 ? doc->length - 1500 : 0);
    ex_span_t line;
    while (ex_next_line (doc->text, doc->length, &pos, &line)) {
        line = ex_trim (doc->text, line);
        if (line.end == line.start)
            continue;
        if (count == SIGNATURE_LINES)
            memmove (lines, lines + 1, --count * sizeof (ex_span_t));
        lines [count++] = line;
    }
    for (size_t i = count; i-- > 1;)
        if (is_title_line (doc->text, lines [i])) {
            char *name = ex_person_at (doc->text, lines [i - 1].end, lines [i - 1].start, NULL);
            if (name)
                return name;
        }
    for (size_t i = 1; signoff != EX_NONE && i < count && i < 3; i++) {
        char *name = ex_person_at (doc->text, lines [i].end, lines [i].start, NULL);
        if (name)
            return name;
    }
    return NULL;
}

//  ---------------------------------------------------------------------
//  The authority: the subject line, then the opening paragraph, then the
//  rest of the letter; never the address blocks before the salutation.

static bool
read_authority (letter_t *self)
{
    ex_doc_t *doc = self->doc;
    if (self->opening != EX_NONE) {
        ex_span_t line = ex_line_at (doc->text, doc->length, self->opening);
        //  The subject may wrap: the next line too.
        size_t end = line.end + 1 < doc->length
                   ? ex_line_at (doc->text, doc->length, line.end + 1).end : line.end;
        if (ex_authority_in (doc, self->opening, end, NULL))
            return ex_authority_resolve (doc, self->opening, end, NULL);
    }
    size_t from = self->opening != EX_NONE ? self->opening : 0;
    if (ex_authority_in (doc, from, self->opening_end, NULL))
        return ex_authority_resolve (doc, from, self->opening_end, NULL);
    size_t to = self->signature != EX_NONE ? self->signature : doc->length;
    return ex_authority_resolve (doc, from, to, doc->declared_authority);
}

//  ---------------------------------------------------------------------
//  The visit

//  The visit's dates: the first span in the opening paragraph, a span
//  printed without a year taking the letter's.
static void
read_visit_dates (letter_t *self, Ofwatch__V1__InspectionFacts *event)
{
    ex_doc_t *doc = self->doc;
    size_t at = ex_find (doc->text, self->opening_end, self->opening, "This letter summarises");
    if (at == EX_NONE)
        at = self->opening;
    ow_date_span_t span;
    if (!ow_date_parse_span_before (doc->text + at, self->opening_end - at, self->opening_end - at,
                                    self->letter_date, &span)) {
        ex_doc_warn (doc, "no visit dates found");
        return;
    }
    ex_set_date (&event->start_date, span.start);
    ex_set_date (&event->end_date, span.end);
    //  A letter dated before the visit it reports was misdated: "21
    //  January 2019" for a visit in December 2019 was written in 2020.
    int date = self->letter_date;
    if (date == OW_DATE_NONE || date >= span.end)
        return;
    int year, month, day;
    ow_date_to_ymd (date, &year, &month, &day);
    int next_year = ow_date_from_ymd (year + 1, month, day);
    char printed [11], read [11];
    ow_date_to_iso (date, printed);
    if (next_year != OW_DATE_NONE && next_year >= span.end && next_year - span.end <= MAX_YEAR_SLIP) {
        ow_date_to_iso (next_year, read);
        ex_doc_warn (doc, "the letter is dated %s, before the visit it reports (%s to %s); "
                          "read as %s", printed, event->start_date, event->end_date, read);
        self->letter_date = next_year;
    }
    else
        ex_doc_warn (doc, "the letter is dated %s, before the visit it reports (%s to %s)",
                     printed, event->start_date, event->end_date);
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
read_visit_number (letter_t *self, Ofwatch__V1__InspectionFacts *event)
{
    ex_doc_t *doc = self->doc;
    size_t end = self->opening_end;
    if (event->kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_MONITORING_VISIT)
        for (size_t at = ex_find (doc->text, end, self->opening, " monitoring visit"); at != EX_NONE;
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
    size_t at = ex_find (doc->text, end, self->opening, "judged inadequate in ");
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

//  The sentence that names the inspectors; the first of these phrases in
//  the opening paragraphs that is followed by names.
static const char *s_inspector_phrases [] = {
    "for this visit were", "for the visit were", "for this visit was", "Inspectors were",
    "inspectors were", "inspector was", "conducted by", "carried out by", "undertaken by", NULL
};

static void
read_inspectors (letter_t *self, Ofwatch__V1__InspectionFacts *event)
{
    ex_doc_t *doc = self->doc;
    size_t from = self->opening;
    while (from < self->opening_end && !event->n_inspectors) {
        size_t at = EX_NONE, skip = 0;
        for (size_t i = 0; s_inspector_phrases [i]; i++) {
            size_t found_end = 0;
            size_t found = ex_find_phrase (doc->text, self->opening_end, from,
                                           s_inspector_phrases [i], &found_end);
            if (found < at) {
                at = found;
                skip = found_end - found;
            }
        }
        if (at == EX_NONE)
            break;
        size_t start = at + skip;
        //  The sentence ends at a full stop before a space and a capital
        //  (not the one of "HMI." inside a list).
        size_t end = start;
        while (end < self->opening_end
               && !(doc->text [end] == '.' && end + 1 < self->opening_end
                    && isspace ((unsigned char) doc->text [end + 1])))
            end++;
        ex_people_list (doc->text, start, end, add_name, event);
        from = end;
    }
    char *lead = read_signatory (doc, self->signature);
    if (!lead)
        lead = ex_lead_inspector (doc->text, 0, doc->length);
    if (!lead && event->n_inspectors)
        lead = ow_strdup (event->inspectors [0]);
    if (lead) {
        ow_pb_set_string (&event->lead_inspector, lead);
        ex_event_add_inspector (event, lead);
        free (lead);
    }
}

typedef struct {
    ex_doc_t *doc;
    Ofwatch__V1__InspectionFacts *event;
} focus_target_t;

static void
add_focus (void *arg, ex_span_t span)
{
    focus_target_t *target = arg;
    char *point = ex_join (target->doc->text, span);
    size_t n = strlen (point);
    while (n && (point [n - 1] == '.' || point [n - 1] == ';'))
        point [--n] = '\0';
    if (*point)
        ow_pb_append_string (&target->event->focus, &target->event->n_focus, point);
    free (point);
}

//  What the visit looked at: "Inspectors looked at the local authority's
//  arrangements for X", "The focus of this visit was on X", "This visit
//  looked at X"; then the points of "a specific focus on:" after it.
static const char *s_focus_phrases [] = {
    "arrangements for", "arrangements at", "focus of this visit was on", "focus of the visit was on",
    "visit looked at", "visit focused on", "Inspectors looked at", "inspectors looked at",
    "Inspectors considered", "Inspectors reviewed", "Inspectors evaluated",
    "inspectors evaluated", NULL
};

static void
read_focus (letter_t *self, Ofwatch__V1__InspectionFacts *event)
{
    ex_doc_t *doc = self->doc;
    size_t at = EX_NONE, skip = 0;
    for (size_t i = 0; s_focus_phrases [i] && at == EX_NONE; i++) {
        size_t phrase_end = 0;
        at = ex_find_phrase (doc->text, self->opening_end, self->opening, s_focus_phrases [i],
                             &phrase_end);
        skip = at != EX_NONE ? phrase_end - at : 0;
    }
    if (at == EX_NONE) {
        ex_doc_warn (doc, "the letter does not say what the visit looked at");
        return;
    }
    size_t start = at + skip, end = start;
    while (end < doc->length && doc->text [end] != '.' && doc->text [end] != ':'
           && !(doc->text [end] == '\n' && end + 1 < doc->length && doc->text [end + 1] == '\n'))
        end++;
    //  "the 'front door.'": the closing quote is the focus's.
    bool quoted = end + 4 <= doc->length && memcmp (doc->text + end + 1, "\xE2\x80\x99", 3) == 0;
    //  ", in accordance with the ... framework" says how, not what; ",
    //  which included a specific focus on:" announces the points.
    static const char *tails [] = {
        ", in accordance with", ", in line with", ", which included a", ", with a specific focus",
        NULL
    };
    size_t how = EX_NONE;
    for (size_t i = 0; tails [i] && how == EX_NONE; i++)
        how = ex_find_phrase (doc->text, end, start, tails [i], NULL);
    focus_target_t target = { doc, event };
    if (quoted && how == EX_NONE) {
        char *focus = ex_join (doc->text, (ex_span_t) { start, end });
        char *closed = ow_printf ("%s\xE2\x80\x99", focus);
        ow_pb_append_string (&event->focus, &event->n_focus, closed);
        free (closed);
        free (focus);
    }
    else
        add_focus (&target, (ex_span_t) { start, how != EX_NONE ? how : end });
    if (end < doc->length && doc->text [end] == ':')
        ex_list_parse (doc->text, end, min_size (doc->length, end + OPENING), EX_LIST_MARKED,
                       add_focus, &target, NULL);
}

//  ---------------------------------------------------------------------
//  Lists

//  The list after the first heading of `headings` at a line start
//  (headings are matched as printed: "what needs to improve" inside a
//  sentence is no heading).
static void
read_list (letter_t *self, Ofwatch__V1__InspectionFacts *event, const char *const *headings,
           Ofwatch__V1__Polarity polarity)
{
    ex_doc_t *doc = self->doc;
    ex_improvements_t target = { doc, event, polarity };
    size_t to = self->signature != EX_NONE ? self->signature : doc->length;
    assert (to >= self->opening);
    for (size_t i = 0; headings [i]; i++)
        for (const char *hit = memmem (doc->text + self->opening, to - self->opening,
                                       headings [i], strlen (headings [i]));
             hit; hit = memmem (hit + 1, (size_t) (doc->text + to - hit - 1), headings [i],
                                strlen (headings [i]))) {
            size_t at = (size_t) (hit - doc->text);
            if ((at == 0 || doc->text [at - 1] == '\n')
            &&  ex_list_parse (doc->text, at, to, EX_LIST_MARKED, ex_doc_improvement_item,
                               &target, NULL))
                return;
        }
}

static void
read_lists (letter_t *self, Ofwatch__V1__InspectionFacts *event)
{
    static const char *priority [] = { "Areas for priority action", "Area for priority action", NULL };
    static const char *improve [] = {
        "What needs to improve", "Areas for improvement", "What the local authority needs to improve",
        NULL
    };
    read_list (self, event, priority, OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION);
    read_list (self, event, improve, OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED);
}

//  ---------------------------------------------------------------------

bool
ex_letter_parse (ex_doc_t *doc, Ofwatch__V1__InspectionKind kind)
{
    const ex_verdict_t *verdict = doc->verdict;
    letter_t self = { doc, 0, 0, EX_NONE, OW_DATE_NONE };
    if (verdict && verdict->subject != EX_NONE)
        self.opening = verdict->subject;
    else
    if (verdict && verdict->salutation != EX_NONE)
        self.opening = verdict->salutation;
    self.opening_end = min_size (doc->length, self.opening + OPENING);
    self.signature = find_signature (doc);
    //  A sign-off above the subject line signs nothing of this letter's.
    if (self.signature != EX_NONE && self.signature <= self.opening)
        self.signature = EX_NONE;
    if (!read_authority (&self))
        return false;
    self.letter_date = read_letter_date (&self);
    Ofwatch__V1__InspectionFacts *event = ex_doc_add_event (doc, kind);
    read_visit_dates (&self, event);
    if (self.letter_date != OW_DATE_NONE)
        ex_set_date (&doc->out->published_on, self.letter_date);
    read_visit_number (&self, event);
    read_inspectors (&self, event);
    if (kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_FOCUSED_VISIT)
        read_focus (&self, event);
    read_lists (&self, event);
    size_t end = self.signature != EX_NONE ? self.signature : doc->length;
    ex_findings_read (doc, event, self.opening, end);
    return true;
}
