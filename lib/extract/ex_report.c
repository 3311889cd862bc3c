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

typedef struct {
    ex_doc_t *doc;
    Ofwatch__V1__InspectionFacts *event;
} list_target_t;

static void
add_improvement (void *arg, ex_span_t span)
{
    list_target_t *target = arg;
    ex_doc_add_improvement (target->doc, target->event, span);
}

//  Position of a label at a line start within [from, to), or EX_NONE.
static size_t
line_label (const ex_doc_t *doc, size_t from, size_t to, const char *label)
{
    for (size_t at = ex_find (doc->text, to, from, label); at != EX_NONE;
         at = ex_find (doc->text, to, at + 1, label))
        if (at == 0 || doc->text [at - 1] == '\n')
            return at;
    return EX_NONE;
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

//  Reads a table of "label ... Grade" lines in [from, to): a label may
//  wrap over lines, a grade ends the line that ends the label (or stands
//  on its own line), "to be good" may follow on the next line.
static size_t
read_table (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, size_t from, size_t to,
            const area_label_t *areas, const char *last_area)
{
    char label [512];
    size_t used = 0, found = 0, pos = from;
    ex_span_t line;
    while (ex_next_line (doc->text, to, &pos, &line)) {
        ex_span_t trimmed = ex_trim (doc->text, line);
        if (trimmed.end == trimmed.start || ex_at (doc->text, trimmed.end, trimmed.start, "to be good"))
            continue;
        size_t grade_start;
        Ofwatch__V1__Grade grade = ex_grade_ending (doc->text, line, &grade_start);
        size_t text_end = grade ? grade_start : trimmed.end;
        //  A numbered line ("2.1 Adoption") or the table head starts a label.
        if (isdigit ((unsigned char) doc->text [trimmed.start])
        ||  ex_at (doc->text, trimmed.end, trimmed.start, "Judgement"))
            used = 0;
        for (size_t i = trimmed.start; i < text_end && used + 2 < sizeof label; i++)
            label [used++] = (char) tolower ((unsigned char) doc->text [i]);
        label [used++] = ' ';
        label [used] = '\0';
        if (!grade)
            continue;
        const char *area = area_for (label, areas);
        if (area) {
            ex_event_judge (event, area, grade);
            found++;
            if (last_area && strcmp (area, last_area) == 0)
                break;
        }
        used = 0;
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

//  "Children's services in Norfolk are inadequate": the SIF's overall
//  grade, stated as a sentence under the title.
static void
read_sentence_grade (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event,
                     const char *opening, size_t from, size_t to, const char *area)
{
    for (size_t at = ex_find (doc->text, to, from, opening); at != EX_NONE;
         at = ex_find (doc->text, to, at + 1, opening)) {
        if (at > 0 && doc->text [at - 1] != '\n')
            continue;
        ex_span_t line = ex_line_at (doc->text, doc->length, at);
        ex_span_t sentence = { at, line.end };
        if (line.end + 1 < doc->length)
            sentence.end = ex_line_at (doc->text, doc->length, line.end + 1).end;
        Ofwatch__V1__Grade grade = ex_grade_in_sentence (doc->text, sentence);
        if (grade) {
            ex_event_judge (event, area, grade);
            return;
        }
    }
}

static void
read_sif_judgements (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, ex_era_t era)
{
    size_t from = line_label (doc, 0, front_page (doc), "Children’s services in");
    if (from == EX_NONE)
        from = line_label (doc, 0, front_page (doc), "Children's services in");
    if (from != EX_NONE)
        read_sentence_grade (doc, event, doc->text [from + 10] == '\'' ? "Children's services in"
                             : "Children’s services in", from, front_page (doc), "overall");
    else
        from = 0;
    if (!read_table (doc, event, from, front_page (doc), s_sif_areas, "leadership"))
        ex_doc_warn (doc, "no judgements found");
    if (era == EX_ERA_SIF) {
        read_sentence_grade (doc, event, "The Local Safeguarding Children Board", 0, doc->length, "lscb");
        if (!ex_event_grade (event, "lscb"))
            read_sentence_grade (doc, event, "The LSCB", 0, doc->length, "lscb");
    }
}

static void
read_slac_judgements (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event)
{
    size_t at = line_label (doc, front_page (doc) / 2, doc->length, "Record of main findings");
    if (at == EX_NONE || !read_table (doc, event, at, doc->length, s_slac_areas, NULL))
        ex_doc_warn (doc, "no record of main findings found");
}

//  ---------------------------------------------------------------------
//  What needs to improve

static void
read_improvements (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, ex_era_t era)
{
    list_target_t target = { doc, event };
    const char *heading = era == EX_ERA_ILACS ? "What needs to improve"
                        : era == EX_ERA_SLAC ? "Areas for improvement" : "Recommendations";
    ex_list_style_t style = era == EX_ERA_SIF || era == EX_ERA_SIF_REINSPECTION || era == EX_ERA_LSCB
                          ? EX_LIST_NUMBERED : EX_LIST_BULLETS;
    //  The first heading that is followed by a list: contents pages name
    //  the heading too ("Recommendations8").
    for (size_t at = line_label (doc, 0, doc->length, heading); at != EX_NONE;
         at = line_label (doc, at + 1, doc->length, heading)) {
        if (ex_list_parse (doc->text, at, doc->length, style, add_improvement, &target, NULL))
            return;
    }
    ex_doc_warn (doc, "no \"%s\" list found", heading);
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
    if (era != EX_ERA_LSCB)
        read_sif_judgements (doc, event, era);
    read_improvements (doc, event, era);
    return true;
}
