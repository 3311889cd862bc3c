/*  ex_send — area SEND inspection reports.

    The front page is labelled ("Inspection dates:", "Dates of previous
    inspection:", "Inspection outcome"), so each fact is read after its
    label. The outcome and the next inspection are stated in the
    framework's fixed words, matched below. The areas for priority action
    and for improvement are printed as tables of paragraphs whose heading
    is repeated (the section's, then the column's), so each list is read
    from the last repetition of its heading.
*/

#include "ex_send.h"
#include "ex_authority.h"
#include "ex_lists.h"
#include "ex_people.h"
#include "ow_date.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define FRONT_PAGE 3500
#define TITLE_BLOCK 400
#define PREVIOUS_LINE 300       // the previous inspection's label and its words

static const struct {
    const char *words;
    Ofwatch__V1__SendOutcome outcome;
} s_outcomes [] = {
    { "typically lead to positive experiences", OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_POSITIVE_EXPERIENCES },
    { "lead to inconsistent experiences", OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_INCONSISTENT_EXPERIENCES },
    { "widespread and/or systemic failings", OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_WIDESPREAD_FAILINGS },
    { "widespread and systemic failings", OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_WIDESPREAD_FAILINGS },
    { "widespread or systemic failings", OFWATCH__V1__SEND_OUTCOME__SEND_OUTCOME_WIDESPREAD_FAILINGS },
    { NULL, 0 }
};

//  When the next inspection is due: "A monitoring inspection will be
//  carried out within approximately 18 months", "The next full area SEND
//  inspection will be within (approximately) five years". The monitoring
//  inspection comes first: a failing area also gets a full reinspection
//  within three years.
static const struct {
    const char *words;
    Ofwatch__V1__NextInspection next;
} s_next [] = {
    { "five years", OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_FULL_WITHIN_5_YEARS },
    { "5 years", OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_FULL_WITHIN_5_YEARS },
    { "three years", OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_FULL_WITHIN_3_YEARS },
    { "3 years", OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_FULL_WITHIN_3_YEARS },
    { NULL, 0 }
};

#define OUTCOME_SECTION 1200
#define MONITORING_SENTENCE 120

static size_t
front_page (const ex_doc_t *doc)
{
    return doc->length < FRONT_PAGE ? doc->length : FRONT_PAGE;
}

static size_t
line_label (const ex_doc_t *doc, size_t from, size_t to, const char *label)
{
    return ex_find_line_start (doc->text, to, from, label);
}

//  ---------------------------------------------------------------------
//  The partnership's local authority: the first authority the title
//  names, not counting an NHS body's place ("NHS Herefordshire and
//  Worcestershire Integrated Care Board").

static const ow_authority_t *
first_council (const ex_doc_t *doc, const char *title, const ow_authority_t **other)
{
    const ow_authority_t *found = NULL;
    *other = NULL;
    size_t length = strlen (title), from = 0, start, end;
    while (from < length) {
        const ow_authority_t *named =
            ow_register_find_in_text (doc->reg, title + from, length - from, &start, &end);
        if (!named)
            break;
        size_t at = from + start;
        bool nhs = at >= 4 && strncmp (title + at - 4, "NHS ", 4) == 0;
        if (!nhs && !found)
            found = named;
        else
        if (!nhs && named != found && !*other)
            *other = named;
        from += end;
    }
    return found;
}

static bool
read_authority (ex_doc_t *doc)
{
    size_t title = doc->verdict && doc->verdict->title != EX_NONE ? doc->verdict->title : 0;
    size_t dates = line_label (doc, title, front_page (doc), "Inspection date");
    size_t end = dates != EX_NONE ? dates : (title + TITLE_BLOCK < doc->length ? title + TITLE_BLOCK
                                                                               : doc->length);
    //  The title wraps anywhere, even inside a name ("Stoke-on-\nTrent").
    char *joined = ex_join (doc->text, (ex_span_t) { title, end });
    const ow_authority_t *other = NULL;
    const ow_authority_t *found = first_council (doc, joined, &other);
    free (joined);
    if (found && other)
        ex_doc_warn (doc, "the partnership's title names %s and %s; filed under %s",
                     found->name, other->name, found->name);
    if (found) {
        ex_doc_set_authority (doc, found);
        return true;
    }
    //  "Local area partnership details: Local authority <name>".
    size_t details = ex_find (doc->text, doc->length, 0, "Local area partnership details");
    if (details != EX_NONE && ex_authority_in (doc, details, details + 300 < doc->length
                                               ? details + 300 : doc->length, NULL))
        return ex_authority_resolve (doc, details, details + 300 < doc->length
                                                   ? details + 300 : doc->length, NULL);
    return ex_authority_resolve (doc, title, end, doc->declared_authority);
}

//  ---------------------------------------------------------------------
//  The front page

static void
read_dates (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t at = line_label (doc, 0, front_page (doc), "Inspection date");
    ow_date_span_t span;
    if (at == EX_NONE || !ow_date_parse_span (doc->text + at, doc->length - at, 80, &span)) {
        ex_doc_warn (doc, "no inspection dates found");
        return;
    }
    ex_set_date (&event->start_date, span.start);
    ex_set_date (&event->end_date, span.end);
}

//  "Dates of previous inspection: 26 to 30 September 2016", "...: The
//  previous full inspection was on 19 March 2018. There was a subsequent
//  revisit ...", "...: Not previously inspected".
static void
read_previous (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t at = line_label (doc, 0, front_page (doc), "Dates of previous inspection");
    if (at == EX_NONE)
        at = line_label (doc, 0, front_page (doc), "Date of previous inspection");
    if (at == EX_NONE)
        return;
    size_t end = at + PREVIOUS_LINE < doc->length ? at + PREVIOUS_LINE : doc->length;
    size_t outcome = line_label (doc, at, end, "Inspection outcome");
    if (outcome != EX_NONE)
        end = outcome;
    size_t sentence = ex_find (doc->text, end, at, ". ");
    if (sentence != EX_NONE)
        end = sentence + 1;         //  the first sentence: the full inspection, not a revisit
    ow_date_span_t span;
    if (ow_date_parse_span (doc->text + at, end - at, end - at, &span)) {
        ex_set_date (&event->previous_start_date, span.start);
        ex_set_date (&event->previous_end_date, span.end);
    }
}

static void
read_outcome (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t at = line_label (doc, 0, front_page (doc), "Inspection outcome");
    size_t from = at != EX_NONE ? at : 0;
    size_t to = from + OUTCOME_SECTION < doc->length ? from + OUTCOME_SECTION : doc->length;
    size_t about = line_label (doc, from, to, "Information about");
    if (about != EX_NONE)
        to = about;
    for (size_t i = 0; s_outcomes [i].words; i++)
        if (ex_find_phrase (doc->text, to, from, s_outcomes [i].words, NULL) != EX_NONE) {
            event->outcome = s_outcomes [i].outcome;
            break;
        }
    size_t end;
    size_t monitoring = ex_find_phrase (doc->text, to, from, "monitoring inspection", &end);
    if (monitoring != EX_NONE
    &&  ex_find_phrase (doc->text, end + MONITORING_SENTENCE < to ? end + MONITORING_SENTENCE : to,
                        end, "18 months", NULL) != EX_NONE)
        event->next_inspection = OFWATCH__V1__NEXT_INSPECTION__NEXT_INSPECTION_MONITORING_WITHIN_18_MONTHS;
    for (size_t i = 0; s_next [i].words && !event->next_inspection; i++)
        if (ex_find_phrase (doc->text, to, from, s_next [i].words, NULL) != EX_NONE)
            event->next_inspection = s_next [i].next;
    if (!event->outcome
    &&  event->kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND)
        ex_doc_warn (doc, "no inspection outcome found");
}

//  ---------------------------------------------------------------------
//  The inspection team: "Dave Gilkerson HMI, Ofsted Lead inspector",
//  "Charlie Fordham, HMI, Lead inspector", "Tessa Valpy, CQC Lead
//  inspector" (the CQC's lead is not Ofsted's), two columns sometimes
//  glued into one line ("Phil Minns, Ofsted Lead inspectorTessa Valpy").

static void
add_team_line (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, ex_span_t line)
{
    size_t pos = line.start;
    while (pos < line.end) {
        size_t after;
        char *name = ex_person_at (doc->text, line.end, pos, &after);
        if (name) {
            //  A person is named with a role after a comma or "HMI".
            bool role = after < line.end && (doc->text [after] == ',' || ex_at (doc->text, line.end, after, " HMI"));
            if (role)
                ex_event_add_inspector (event, name);
            size_t lead = ex_find (doc->text, line.end, after, "lead inspector");
            size_t next = ex_find (doc->text, line.end, after + 1, ", ");
            bool cqc = lead != EX_NONE && ex_find (doc->text, lead, after, "CQC") != EX_NONE;
            if (role && lead != EX_NONE && (next == EX_NONE || lead < next + 40) && !cqc
            &&  !*event->lead_inspector)
                ow_pb_set_string (&event->lead_inspector, name);
            free (name);
        }
        //  The next column starts where a capital follows a small letter.
        size_t k = pos + 1;
        while (k < line.end && !(isupper ((unsigned char) doc->text [k])
                                 && (islower ((unsigned char) doc->text [k - 1])
                                     || ex_at (doc->text, line.end, k - 3, "HMI"))))
            k++;
        pos = k;
    }
}

static void
read_team (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t at = line_label (doc, 0, doc->length, "Inspection team");
    if (at == EX_NONE) {
        ex_doc_warn (doc, "no inspection team found");
        return;
    }
    size_t pos = at, lines = 0;
    ex_span_t line;
    ex_next_line (doc->text, doc->length, &pos, &line);
    while (lines++ < 16 && ex_next_line (doc->text, doc->length, &pos, &line)) {
        line = ex_trim (doc->text, line);
        if (ex_at (doc->text, line.end, line.start, "Area SEND inspection report")
        ||  ex_at (doc->text, line.end, line.start, "If you are not happy"))
            break;
        add_team_line (doc, event, line);
    }
    if (!*event->lead_inspector)
        ex_doc_warn (doc, "no lead inspector found");
}

//  ---------------------------------------------------------------------
//  What must improve

//  The list under the last repetition of `heading` in [from, to).
static size_t
read_table_list (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, const char *heading,
                 size_t from, size_t to, Ofwatch__V1__Polarity polarity)
{
    size_t at = EX_NONE;
    for (size_t next = ex_find (doc->text, to, from, heading); next != EX_NONE;
         next = ex_find (doc->text, to, next + 1, heading))
        at = next;
    if (at == EX_NONE)
        return 0;
    ex_improvements_t target = { doc, event, polarity };
    return ex_list_parse (doc->text, at, to, EX_LIST_PARAGRAPHS, ex_doc_improvement_item,
                          &target, NULL);
}

static void
read_improvements (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t from = line_label (doc, 0, doc->length, "What does the area partnership need");
    if (from == EX_NONE)
        from = 0;
    size_t end = line_label (doc, from, doc->length, "Local area partnership details");
    if (end == EX_NONE)
        end = line_label (doc, from, doc->length, "Information about this inspection");
    if (end == EX_NONE)
        end = doc->length;
    size_t areas = line_label (doc, from, end, "Areas for improvement");
    read_table_list (doc, event, "Areas for priority action", from,
                     areas != EX_NONE ? areas : end, OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION);
    if (areas == EX_NONE
    ||  !read_table_list (doc, event, "Areas for improvement", areas, end,
                          OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED))
        ex_doc_warn (doc, "no areas for improvement found");
}

//  ---------------------------------------------------------------------

bool
ex_send_parse (ex_doc_t *doc, Ofwatch__V1__InspectionKind kind)
{
    assert (kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND
         || kind == OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_AREA_SEND_MONITORING);
    if (!read_authority (doc))
        return false;
    Ofwatch__V1__InspectionFacts *event = ex_doc_add_event (doc, kind);
    read_dates (doc, event);
    read_previous (doc, event);
    read_outcome (doc, event);
    read_team (doc, event);
    //  Findings are the lists' items, as in every report: the body's
    //  prose speaks of a partnership of education, health and care that
    //  the findings classifier was not trained to read.
    read_improvements (doc, event);
    return true;
}
