/*  ex_report — Ofsted inspection reports of every era.

    The front page holds the authority, the fieldwork dates, often the
    publication date and lead inspector, and the judgements; the body
    holds the list of what must improve. Each era's labels are tables
    below; the reading is shared.
*/

#include "ex_report.h"
#include "ex_authority.h"
#include "ex_grades.h"
#include "ex_lists.h"
#include "ex_people.h"
#include "ow_date.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define FRONT_PAGE 4000         // bytes that hold title, dates, table
#define TITLE_BLOCK 600         // the title, when no dates line ends it

typedef struct {
    const char *label;          // found in the area's label, lower case
    const char *area;
} area_label_t;

//  First match wins: the longer labels come first.
static const area_label_t s_ilacs_areas [] = {
    { "impact of leaders", "leaders" },
    { "help and protection", "help_and_protection" },
    { "in care and care leavers", "in_care_and_care_leavers" },
    { "care leavers", "care_leavers" },
    { "in care", "in_care" },
    { "overall effectiveness", "overall" },
    { NULL, NULL }
};

static const area_label_t s_sif_areas [] = {
    { "help and protection", "help_and_protection" },
    { "looked after and achieving permanence", "looked_after" },
    { "children looked", "looked_after" },
    { "adoption", "adoption" },
    { "care leavers", "care_leavers" },
    { "leadership, management", "leadership" },
    { "leadership and management", "leadership" },
    { NULL, NULL }
};

static const area_label_t s_slac_areas [] = {
    { "overall effectiveness", "overall" },
    { "capacity to improve", "capacity_to_improve" },
    { "outcomes", "outcomes" },
    { "quality of provision", "quality_of_provision" },
    { "leadership and management", "leadership_and_management" },
    { NULL, NULL }
};

//  Position of a label at a line start within [from, to), or EX_NONE.
static size_t
line_label (const ex_doc_t *doc, size_t from, size_t to, const char *label)
{
    return ex_find_line_start (doc->text, to, from, label);
}

static size_t
front_page (const ex_doc_t *doc)
{
    return doc->length < FRONT_PAGE ? doc->length : FRONT_PAGE;
}

//  ---------------------------------------------------------------------
//  Dates

static void
read_fieldwork (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, ex_era_t era)
{
    size_t at = line_label (doc, 0, front_page (doc), "Inspection date");
    ow_date_span_t span;
    if (at == EX_NONE
    ||  !ow_date_parse_span (doc->text + at, doc->length - at, 80, &span)) {
        ex_doc_warn (doc, "no inspection dates found");
        return;
    }
    ex_set_date (&event->start_date, span.start);
    ex_set_date (&event->end_date, span.end);
    if (era != EX_ERA_ILACS)
        return;
    //  Short or standard by the first block's length in calendar days.
    int days = span.block_end [0] - span.block_start [0] + 1;
    if (days >= 3 && days <= 5)
        event->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT;
    else
    if (days >= 12 && days <= 17)
        event->kind = OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD;
    else
        ex_doc_warn (doc, "fieldwork of %d days is neither short (3-5) nor standard (12-17)", days);
    if (span.n_blocks > 1)
        ex_doc_warn (doc, "fieldwork printed in %zu blocks; short or standard judged "
                          "from the first (%d days)", span.n_blocks, days);
}

static void
read_published (ex_doc_t *doc)
{
    static const char *labels [] = { "Report published", "Published", "Publication date", NULL };
    for (size_t i = 0; labels [i]; i++) {
        size_t at = line_label (doc, 0, front_page (doc), labels [i]);
        int date = at == EX_NONE ? OW_DATE_NONE
                 : ow_date_parse (doc->text + at, doc->length - at, 40, NULL);
        if (date != OW_DATE_NONE) {
            ex_set_date (&doc->out->published_on, date);
            return;
        }
    }
}

//  ---------------------------------------------------------------------
//  People

static void
add_name (void *arg, const char *name)
{
    ex_event_add_inspector (arg, name);
}

static void
read_inspectors (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    char *lead = ex_lead_inspector (doc->text, 0, doc->length);
    if (lead) {
        ow_pb_set_string (&event->lead_inspector, lead);
        ex_event_add_inspector (event, lead);
        free (lead);
    }
    else
        ex_doc_warn (doc, "no lead inspector found");
    //  "Lead inspectors: A, His Majesty's Inspector, and B, ..." names two.
    size_t at = line_label (doc, 0, front_page (doc), "Lead inspectors");
    if (at != EX_NONE) {
        ex_span_t line = ex_line_at (doc->text, doc->length, at);
        ex_span_t next = ex_line_at (doc->text, doc->length, line.end + 1 < doc->length ? line.end + 1 : line.end);
        ex_people_list (doc->text, at + strlen ("Lead inspectors:"), next.end, add_name, event);
        //  Two leads are one "lead_inspector" value, as the summary sheet
        //  writes them.
        if (event->n_inspectors >= 2) {
            char *both = ow_printf ("%s and %s", event->inspectors [0], event->inspectors [1]);
            ow_pb_set_string (&event->lead_inspector, both);
            free (both);
        }
    }
    static const char *teams [] = { "Deputy lead inspector", "Team inspectors", "Team inspector", NULL };
    for (size_t i = 0; teams [i]; i++) {
        at = line_label (doc, 0, doc->length, teams [i]);
        if (at == EX_NONE)
            continue;
        //  The list runs over the following lines until the next label.
        size_t end = ex_line_at (doc->text, doc->length, at).end;
        while (end + 1 < doc->length) {
            ex_span_t next = ex_line_at (doc->text, doc->length, end + 1);
            if (memchr (doc->text + next.start, ':', next.end - next.start) || ex_blank (doc->text, next))
                break;
            end = next.end;
        }
        ex_people_list (doc->text, at + strlen (teams [i]) + 1, end, add_name, event);
    }
}

//  ---------------------------------------------------------------------
//  Judgements

static const char *
area_for (const char *label, const area_label_t *areas)
{
    for (size_t i = 0; areas [i].label; i++)
        if (strstr (label, areas [i].label))
            return areas [i].area;
    return NULL;
}

//  A table row: the line at *pos with the lines that continue it (they
//  start with a small letter: "permanenceGood", "to be good"; or finish
//  a grade split after "Requires"), joined by single spaces into row.
//  Returns the row's length and moves *pos past it.
static size_t
read_row (const ex_doc_t *doc, size_t to, size_t *pos, char *row, size_t size)
{
    size_t used = 0;
    ex_span_t line;
    bool first = true;
    while (*pos < to) {
        size_t at = *pos;
        if (!ex_next_line (doc->text, to, &at, &line))
            break;
        ex_span_t trimmed = ex_trim (doc->text, line);
        if (trimmed.end == trimmed.start && !first)
            break;
        size_t kept = used;
        while (kept > 0 && row [kept - 1] == ' ')
            kept--;
        bool after_requires = (kept >= 8 && strncasecmp (row + kept - 8, "requires", 8) == 0)
                           || (kept >= 7 && strncasecmp (row + kept - 7, "require", 7) == 0);
        bool continues = trimmed.end > trimmed.start
            && (islower ((unsigned char) doc->text [trimmed.start]) || after_requires);
        //  A row that ends in a grade is complete, but for the grade's own
        //  wrapped words.
        size_t grade_start;
        if (!first && kept && !after_requires && ex_grade_ending (row, kept, &grade_start)
        &&  !ex_at (doc->text, trimmed.end, trimmed.start, "to be good")
        &&  !ex_at (doc->text, trimmed.end, trimmed.start, "be good")
        &&  !ex_at (doc->text, trimmed.end, trimmed.start, "good"))
            continues = false;
        if (!first && !continues)
            break;
        for (size_t i = trimmed.start; i < trimmed.end && used + 2 < size; i++)
            row [used++] = doc->text [i];
        if (used + 1 < size)
            row [used++] = ' ';
        first = false;
        *pos = at;
    }
    while (used > 0 && row [used - 1] == ' ')
        used--;
    row [used] = '\0';
    return used;
}

//  Reads a table of "label grade" rows in [from, to). Most rows carry
//  both; some tables print the labels first and the grades after them in
//  the same order (a two-column layout read column by column), so labels
//  without a grade wait in a queue for the grades that stand alone.
static size_t
read_table (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, size_t from, size_t to,
            const area_label_t *areas, const char *last_area)
{
    enum { QUEUE = 8 };
    const char *waiting [QUEUE];
    size_t n_waiting = 0, found = 0, pos = from;
    char row [512];
    while (pos < to) {
        size_t length = read_row (doc, to, &pos, row, sizeof row);
        if (length == 0)
            continue;
        size_t grade_start = length;
        Ofwatch__V1__Grade grade = ex_grade_ending (row, length, &grade_start);
        for (size_t i = 0; i < grade_start; i++)
            row [i] = (char) tolower ((unsigned char) row [i]);
        row [grade_start] = '\0';
        ex_span_t label = ex_trim (row, (ex_span_t) { 0, grade_start });
        const char *area = label.end > label.start ? area_for (row, areas) : NULL;
        if (!grade) {
            if (area && n_waiting < QUEUE)
                waiting [n_waiting++] = area;
            continue;
        }
        if (label.end == label.start && n_waiting) {
            area = waiting [0];
            memmove (waiting, waiting + 1, --n_waiting * sizeof (char *));
        }
        if (area) {
            ex_event_judge (event, area, grade);
            found++;
            if (last_area && strcmp (area, last_area) == 0 && n_waiting == 0)
                break;
        }
    }
    return found;
}

static void
read_ilacs_judgements (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t at = ex_find (doc->text, front_page (doc), 0, "Judgement");
    if (at == EX_NONE || !read_table (doc, event, at, front_page (doc), s_ilacs_areas, "overall"))
        ex_doc_warn (doc, "no judgement table found");
}

//  "Children's services in Norfolk are inadequate", "The overall
//  judgement is good", "The effectiveness of the LSCB is inadequate": a
//  grade stated as a sentence. The first such sentence in [from, to)
//  that states a grade wins.
static bool
read_sentence_grade (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event,
                     const char *opening, size_t max_words, size_t from, size_t to,
                     const char *area)
{
    size_t at = from, end;
    while ((at = ex_find_phrase (doc->text, to, at, opening, &end)) != EX_NONE) {
        ex_span_t line = ex_line_at (doc->text, doc->length, end);
        ex_span_t sentence = { end, line.end };
        if (line.end + 1 < doc->length)
            sentence.end = ex_line_at (doc->text, doc->length, line.end + 1).end;
        Ofwatch__V1__Grade grade = ex_grade_in_sentence (doc->text, sentence, max_words);
        if (grade) {
            ex_event_judge (event, area, grade);
            return true;
        }
        at = end;
    }
    return false;
}

//  "The Local Safeguarding Children Board requires improvement", "The
//  effectiveness of the LSCB is good": the board's grade, stated in a
//  sentence on the front page (a review of its own) or further on (a
//  review combined with a SIF report).
static const char *s_lscb_openings [] = {
    "effectiveness of the Local Safeguarding Children Board",
    "The Local Safeguarding Children Board", "effectiveness of the LSCB", "The LSCB", NULL
};

static bool
read_lscb_sentence (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t front = front_page (doc);
    for (size_t i = 0; s_lscb_openings [i]; i++)
        if (read_sentence_grade (doc, event, s_lscb_openings [i], 2, 0, front, "lscb")
        ||  read_sentence_grade (doc, event, s_lscb_openings [i], 2, front, doc->length, "lscb"))
            return true;
    return false;
}

static void
read_lscb_judgement (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    //  A table row first ("The effectiveness of the LSCB ... Good"), then
    //  the sentence.
    static const area_label_t areas [] = {
        { "effectiveness of the local safeguarding", "lscb" },
        { "effectiveness of the lscb", "lscb" },
        { "local safeguarding children board", "lscb" },
        { NULL, NULL }
    };
    if (!read_table (doc, event, 0, front_page (doc), areas, "lscb")
    &&  !read_lscb_sentence (doc, event))
        ex_doc_warn (doc, "no judgement of the board found");
}

static void
read_sif_judgements (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, ex_era_t era)
{
    static const char *overall [] = {
        "Children’s services in", "Children's services in", "The overall judgement", NULL
    };
    size_t front = front_page (doc);
    for (size_t i = 0; overall [i]; i++)
        if (read_sentence_grade (doc, event, overall [i], 8, 0, front, "overall"))
            break;
    //  The numbered rows start the table: the title and the overall
    //  sentence before them name help and protection too.
    size_t table = line_label (doc, 0, front, "1.");
    if (!read_table (doc, event, table != EX_NONE ? table : 0, front, s_sif_areas, "leadership"))
        ex_doc_warn (doc, "no judgements found");
    if (era == EX_ERA_SIF)
        read_lscb_sentence (doc, event);
}

static void
read_slac_judgements (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    //  The table is at the end; the contents page names it first.
    size_t at = EX_NONE;
    for (size_t next = line_label (doc, 0, doc->length, "Record of main findings"); next != EX_NONE;
         next = line_label (doc, next + 1, doc->length, "Record of main findings"))
        at = next;
    if (at == EX_NONE || !read_table (doc, event, at, doc->length, s_slac_areas, NULL))
        ex_doc_warn (doc, "no record of main findings found");
}

//  ---------------------------------------------------------------------
//  What needs to improve

//  Reads the first list after a heading in [from, to); contents pages
//  name headings too ("Recommendations8"), with no list after them, so
//  later mentions are tried when `any` is set.
static size_t
read_list_after (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, const char *heading,
                 Ofwatch__V1__Polarity polarity, size_t from, size_t to, bool any)
{
    ex_improvements_t target = { doc, event, polarity };
    for (size_t at = line_label (doc, from, to, heading); at != EX_NONE;
         at = any ? line_label (doc, at + 1, to, heading) : EX_NONE) {
        size_t count = ex_list_parse (doc->text, at, to, EX_LIST_MARKED, ex_doc_improvement_item,
                                      &target, NULL);
        if (count)
            return count;
    }
    return 0;
}

//  Where the section that starts at `from` ends: the next of the headings
//  that follow a SIF report's list of improvements.
static size_t
section_end (const ex_doc_t *doc, size_t from)
{
    static const char *headings [] = {
        "Summary for children", "Information about this", "The experiences and progress of",
        "Executive summary", "Inspection findings", "Key strengths and weaknesses",
        "The local authority has the following strengths", NULL
    };
    size_t end = doc->length;
    for (size_t i = 0; headings [i]; i++) {
        size_t at = line_label (doc, from, end, headings [i]);
        if (at != EX_NONE && at < end)
            end = at;
    }
    return end;
}

#define IMPROVE OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED
#define PRIORITY OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION

//  2013-2015 SIF reports: "What does the local authority need to
//  improve?", then "Priority and immediate action" and "Areas for
//  improvement", each a list (numbered on from the paragraphs before,
//  lettered, or bulleted). The contents page names the heading too,
//  followed by a page number.
static size_t
read_sif_lists (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    const char *heading = "What does the local authority need to improve";
    size_t end = doc->length;
    size_t at = line_label (doc, 0, end, heading);
    while (at != EX_NONE) {
        ex_span_t line = ex_trim (doc->text, ex_line_at (doc->text, end, at));
        if (!isdigit ((unsigned char) doc->text [line.end - 1]))
            break;
        at = line_label (doc, at + 1, end, heading);
    }
    if (at == EX_NONE)
        return 0;
    end = section_end (doc, at + 1);
    size_t areas = line_label (doc, at, end, "Areas for improvement");
    //  The priority list ends where the next heading is printed, even glued
    //  to its last item ("... missing from home and care. Areas for
    //  improvement").
    const char *glued = memmem (doc->text + at, end - at, "Areas for improvement",
                                strlen ("Areas for improvement"));
    size_t priority_end = glued ? (size_t) (glued - doc->text) : areas != EX_NONE ? areas : end;
    size_t count = read_list_after (doc, event, "Priority and immediate action", PRIORITY,
                                    at, priority_end, false);
    if (areas != EX_NONE)
        count += read_list_after (doc, event, "Areas for improvement", IMPROVE, areas, end, false);
    return count;
}

static void
read_improvements (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, ex_era_t era)
{
    size_t count = 0, end = doc->length;
    if (era == EX_ERA_ILACS)
        count = read_list_after (doc, event, "What needs to improve", IMPROVE, 0, end, true);
    else
    if (era == EX_ERA_SLAC)
        count = read_list_after (doc, event, "Areas for improvement", IMPROVE, 0, end, true);
    else {
        //  Later SIF reports, and stand-alone LSCB reviews: "Recommendations".
        count = read_sif_lists (doc, event);
        for (size_t at = line_label (doc, 0, end, "Recommendations"); at != EX_NONE && !count;
             at = line_label (doc, at + 1, end, "Recommendations"))
            count = read_list_after (doc, event, "Recommendations", IMPROVE, at,
                                     section_end (doc, at + 1), false);
    }
    if (!count)
        ex_doc_warn (doc, "no list of what needs to improve found");
}

//  ---------------------------------------------------------------------

static Ofwatch__V1__InspectionKind
kind_for (ex_era_t era)
{
    switch (era) {
        case EX_ERA_ILACS:           return OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS;
        case EX_ERA_SIF:             return OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF;
        case EX_ERA_SIF_REINSPECTION: return OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF_REINSPECTION;
        case EX_ERA_SLAC:            return OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SLAC;
        case EX_ERA_LSCB:            return OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_LSCB_REVIEW;
    }
    return 0;
}

//  The title block: everything before the dates line.
static size_t
title_end (const ex_doc_t *doc)
{
    size_t at = line_label (doc, 0, front_page (doc), "Inspection date");
    size_t fallback = front_page (doc) < TITLE_BLOCK ? front_page (doc) : TITLE_BLOCK;
    return at != EX_NONE ? at : fallback;
}

bool
ex_report_parse (ex_doc_t *doc, ex_era_t era)
{
    if (!ex_authority_resolve (doc, 0, title_end (doc), doc->declared_authority))
        return false;
    Ofwatch__V1__InspectionFacts *event = ex_doc_add_event (doc, kind_for (era));
    read_fieldwork (doc, event, era);
    read_published (doc);
    read_inspectors (doc, event);
    if (era == EX_ERA_ILACS)
        read_ilacs_judgements (doc, event);
    else
    if (era == EX_ERA_SLAC)
        read_slac_judgements (doc, event);
    else
    if (era == EX_ERA_LSCB)
        read_lscb_judgement (doc, event);
    else
        read_sif_judgements (doc, event, era);
    read_improvements (doc, event, era);
    return true;
}
