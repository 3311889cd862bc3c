/*  ex_records — structured feeds.

    CSV: the columns of CONTRACTS.md section 6, written as the community
    ILACS summary sheet writes them (grades in lower-case words, dates
    dd/mm/yyyy, publication dd/mm/yy, `inspection_pre_dates_judgement`
    where children in care and care leavers were graded together).
    JSON: one object in the shape of section 4, or an array of them.

    A feed may cover many authorities (the community summary sheet covers
    every one): the document is filed under its first record's authority,
    and each event about another names its own. A record naming no
    authority the register knows is skipped with a warning rather than
    attached to the wrong body.

    A record's facts are its own: each event carries its row's (or its
    record's) publication date, and the feed itself has none but what its
    submitter declares or its file name says; no row's date is lent to
    another.
*/

#include "ex_records.h"
#include "ow_json.h"
#include "ex_lexicon.h"
#include "ow_csv.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

//  "requires improvement" -> GRADE_REQUIRES_IMPROVEMENT; 0 when unknown.
static Ofwatch__V1__Grade
grade_from_words (const char *words)
{
    char word [64];
    size_t n = 0;
    for (const char *c = words; *c && n + 1 < sizeof word; c++)
        word [n++] = *c == ' ' || *c == '-' ? '_' : (char) tolower ((unsigned char) *c);
    word [n] = '\0';
    if (strcmp (word, "requires_improvement_to_be_good") == 0)
        return OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT;
    return ow_vocab_value (&ofwatch__v1__grade__descriptor, word);
}

//  "lisa summers" -> "Lisa Summers". Caller frees.
static char *
name_case (const char *name)
{
    char *out = ow_strdup (name);
    bool start = true;
    for (char *c = out; *c; c++) {
        if (start && islower ((unsigned char) *c))
            *c = (char) toupper ((unsigned char) *c);
        start = *c == ' ' || *c == '-' || *c == '\'';
    }
    return out;
}

static const ow_authority_t *
row_authority (ex_doc_t *doc, ow_csv_t *csv, const int *columns)
{
    for (size_t i = 0; i < 4; i++)
        if (columns [i] >= 0) {
            const ow_authority_t *found = ow_register_find (doc->reg, ow_csv_field (csv, (size_t) columns [i]));
            if (found)
                return found;
        }
    return NULL;
}

typedef struct {
    int authority [4];          // ltla23cd, la_code, urn, local_authority
    int overall, framework, inspector, start, end, published;
    int leaders, help, in_care, care_leavers;
} csv_columns_t;

static void
find_columns (ow_csv_t *csv, csv_columns_t *c)
{
    c->authority [0] = ow_csv_find (csv, "ltla23cd");
    c->authority [1] = ow_csv_find (csv, "la_code");
    c->authority [2] = ow_csv_find (csv, "urn");
    c->authority [3] = ow_csv_find (csv, "local_authority");
    c->overall = ow_csv_find (csv, "overall_effectiveness_grade");
    c->framework = ow_csv_find (csv, "inspection_framework");
    c->inspector = ow_csv_find (csv, "inspector_name");
    c->start = ow_csv_find (csv, "inspection_start_date");
    c->end = ow_csv_find (csv, "inspection_end_date");
    c->published = ow_csv_find (csv, "publication_date");
    c->leaders = ow_csv_find (csv, "impact_of_leaders_grade");
    c->help = ow_csv_find (csv, "help_and_protection_grade");
    c->in_care = ow_csv_find (csv, "in_care_grade");
    c->care_leavers = ow_csv_find (csv, "care_leavers_grade");
}

static const char *
field (ow_csv_t *csv, int column)
{
    return column >= 0 ? ow_csv_field (csv, (size_t) column) : "";
}

static void
set_csv_date (char **target, const char *value)
{
    int date = ow_date_parse (value, strlen (value), 0, NULL);
    if (date == OW_DATE_NONE)
        date = ow_date_from_iso (value);
    if (date != OW_DATE_NONE)
        ex_set_date (target, date);
}

static Ofwatch__V1__InspectionFacts *
add_csv_record (ex_doc_t *doc, ow_csv_t *csv, const csv_columns_t *c)
{
    const char *framework = field (csv, c->framework);
    Ofwatch__V1__InspectionFacts *event = ex_doc_add_event (doc,
        strcmp (framework, "short") == 0 ? OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT
      : strcmp (framework, "standard") == 0 ? OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD
      : OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS);
    set_csv_date (&event->start_date, field (csv, c->start));
    set_csv_date (&event->end_date, field (csv, c->end));
    set_csv_date (&event->published_on, field (csv, c->published));
    if (*field (csv, c->inspector)) {
        char *name = name_case (field (csv, c->inspector));
        ow_pb_set_string (&event->lead_inspector, name);
        ex_event_add_inspector (event, name);
        free (name);
    }
    ex_event_judge (event, "leaders", grade_from_words (field (csv, c->leaders)));
    ex_event_judge (event, "help_and_protection", grade_from_words (field (csv, c->help)));
    if (strcmp (field (csv, c->care_leavers), "inspection_pre_dates_judgement") == 0)
        ex_event_judge (event, "in_care_and_care_leavers", grade_from_words (field (csv, c->in_care)));
    else {
        ex_event_judge (event, "in_care", grade_from_words (field (csv, c->in_care)));
        ex_event_judge (event, "care_leavers", grade_from_words (field (csv, c->care_leavers)));
    }
    ex_event_judge (event, "overall", grade_from_words (field (csv, c->overall)));
    return event;
}

bool
ex_records_csv (ex_doc_t *doc)
{
    ow_csv_t *csv = ow_csv_new (doc->text, doc->length);
    csv_columns_t c;
    bool header = ow_csv_next (csv);
    if (header)
        find_columns (csv, &c);
    if (!header || (c.authority [0] < 0 && c.authority [1] < 0 && c.authority [2] < 0 && c.authority [3] < 0)) {
        ow_csv_destroy (&csv);
        ex_doc_fail (doc, "the CSV file has no authority column (ltla23cd, la_code, urn or local_authority)");
        return false;
    }
    const ow_authority_t *authority = NULL;
    size_t skipped = 0;
    while (ow_csv_next (csv)) {
        const ow_authority_t *found = row_authority (doc, csv, c.authority);
        if (!found) {
            skipped++;
            continue;
        }
        if (!authority) {
            authority = found;
            ex_doc_set_authority (doc, authority);
        }
        Ofwatch__V1__InspectionFacts *event = add_csv_record (doc, csv, &c);
        if (found != authority)
            ex_event_set_authority (event, found);
    }
    if (ow_csv_error (csv))
        ex_doc_fail (doc, "the CSV file is malformed at line %zu: %s", ow_csv_line (csv), ow_csv_error (csv));
    ow_csv_destroy (&csv);
    if (!authority)
        ex_doc_fail (doc, "the CSV file names no local authority the register knows");
    if (skipped)
        ex_doc_warn (doc, "%zu rows skipped: about no authority the register knows", skipped);
    return !doc->error;
}

//  ---------------------------------------------------------------------
//  JSON

static const ow_authority_t *
json_authority (ex_doc_t *doc, const json_t *record)
{
    const json_t *authority = json_object_get (record, "authority");
    if (json_is_string (authority))
        return ow_register_find (doc->reg, json_string_value (authority));
    static const char *keys [] = { "code", "la_code", "urn", "name", NULL };
    for (size_t i = 0; keys [i]; i++) {
        const char *value = ow_json_get_string (authority, keys [i]);
        const ow_authority_t *found = value ? ow_register_find (doc->reg, value) : NULL;
        if (found)
            return found;
    }
    return NULL;
}

static void
set_json_date (char **target, const json_t *value)
{
    int date = ow_date_from_iso (json_string_value (value));
    if (date != OW_DATE_NONE)
        ex_set_date (target, date);
}

//  A start date, or a month when only the month is known ("2022-07", ISO
//  8601's reduced precision, kept as it is: a month is not a day).
static void
set_json_start (char **target, const json_t *value)
{
    const char *text = json_string_value (value);
    if (text && strlen (text) == 7 && text [4] == '-'
        && ow_date_from_ymd (atoi (text), atoi (text + 5), 1) != OW_DATE_NONE
        && strspn (text, "0123456789-") == 7)
        ow_pb_set_string (target, text);
    else
        set_json_date (target, value);
}

//  A finding as section 4 writes it. Polarity must be a word of the
//  vocabulary (a finding of unknown polarity says nothing usable); a
//  missing or unknown theme is classified from the text, as for documents.
static void
add_json_finding (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, const json_t *f)
{
    const char *text = ow_json_get_string (f, "text");
    const char *polarity_word = ow_json_get_string (f, "polarity");
    int polarity = polarity_word ? ow_vocab_value (&ofwatch__v1__polarity__descriptor, polarity_word) : 0;
    if (!text || !*text || !polarity) {
        ex_doc_warn (doc, "finding skipped: it needs a text and a polarity of the vocabulary");
        return;
    }
    Ofwatch__V1__Finding *finding = OW_PB_NEW (Ofwatch__V1__Finding, ofwatch__v1__finding__init);
    finding->polarity = polarity;
    ow_pb_set_string (&finding->text, text);
    const char *theme_word = ow_json_get_string (f, "theme");
    finding->theme = theme_word ? ow_vocab_value (&ofwatch__v1__theme__descriptor, theme_word) : 0;
    if (!finding->theme)
        finding->theme = ex_themes_classify (doc->tables ? doc->tables->themes : NULL,
                                             text, strlen (text));
    const json_t *start = json_object_get (f, "start"), *end = json_object_get (f, "end");
    if (json_is_number (start) && json_is_number (end)
    &&  json_number_value (start) >= 0 && json_number_value (end) >= json_number_value (start)
    &&  json_number_value (end) <= UINT32_MAX) {
        finding->start = (uint32_t) json_number_value (start);
        finding->end = (uint32_t) json_number_value (end);
    }
    ow_pb_append ((void ***) &event->findings, &event->n_findings, finding);
}

//  A word of an enum's vocabulary into *value; a word it does not know is
//  skipped with a warning.
static void
set_json_word (ex_doc_t *doc, int *value, const json_t *e, const char *key,
               const ProtobufCEnumDescriptor *descriptor)
{
    const char *word = ow_json_get_string (e, key);
    if (!word)
        return;
    *value = ow_vocab_value (descriptor, word);
    if (!*value)
        ex_doc_warn (doc, "%s '%s' skipped: not a word of the vocabulary", key, word);
}

//  An area SEND inspection's outcome, what follows, and the previous
//  inspection's dates.
static void
add_json_send (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, const json_t *e)
{
    int outcome = 0, next = 0;
    set_json_word (doc, &outcome, e, "outcome", &ofwatch__v1__send_outcome__descriptor);
    set_json_word (doc, &next, e, "next_inspection", &ofwatch__v1__next_inspection__descriptor);
    event->outcome = outcome;
    event->next_inspection = next;
    set_json_date (&event->previous_start_date, json_object_get (e, "previous_start_date"));
    set_json_date (&event->previous_end_date, json_object_get (e, "previous_end_date"));
}

//  `authority`: the event's, when not the document's; else NULL.
//  `published`: its record's publication date, unless it gives its own.
static void
add_json_event (ex_doc_t *doc, const json_t *e, const ow_authority_t *authority,
                const json_t *published)
{
    const char *kind_word = ow_json_get_string (e, "kind");
    int kind = kind_word ? ow_vocab_value (&ofwatch__v1__inspection_kind__descriptor, kind_word) : 0;
    if (kind_word && !kind)
        ex_doc_warn (doc, "unknown event kind '%s'", kind_word);
    Ofwatch__V1__InspectionFacts *event = ex_doc_add_event (doc, kind);
    if (authority)
        ex_event_set_authority (event, authority);
    set_json_start (&event->start_date, json_object_get (e, "start_date"));
    set_json_date (&event->end_date, json_object_get (e, "end_date"));
    const json_t *own = json_object_get (e, "published_on");
    set_json_date (&event->published_on, json_is_string (own) ? own : published);
    const json_t *number = json_object_get (e, "visit_number");
    if (json_is_number (number) && json_number_value (number) >= 1
    &&  json_number_value (number) <= 100)
        event->visit_number = (int32_t) json_number_value (number);
    ow_pb_set_string (&event->lead_inspector, ow_json_get_string (e, "lead_inspector"));
    ow_pb_set_string (&event->inadequate_since, ow_json_get_string (e, "inadequate_since"));
    add_json_send (doc, event, e);
    const json_t *inspectors = json_object_get (e, "inspectors");
    for (size_t i = 0; i < json_array_size (inspectors); i++)
        ex_event_add_inspector (event, json_string_value (json_array_get (inspectors, i)));
    if (*event->lead_inspector)
        ex_event_add_inspector (event, event->lead_inspector);
    const char *area;
    const json_t *grade_value;
    json_object_foreach ((json_t *) json_object_get (e, "judgements"), area, grade_value) {
        const char *grade = json_string_value (grade_value);
        int value = grade ? ow_vocab_value (&ofwatch__v1__grade__descriptor, grade) : 0;
        if (ow_vocab_is_area (area) && value)
            ex_event_judge (event, area, value);
        else
            ex_doc_warn (doc, "judgement '%s' skipped: not an area and grade of the vocabulary",
                         area);
    }
    const json_t *items = json_object_get (e, "improvements");
    for (size_t i = 0; i < json_array_size (items); i++) {
        const char *item = json_string_value (json_array_get (items, i));
        if (item && *item)
            ow_pb_append_string (&event->improvements, &event->n_improvements, item);
    }
    const json_t *findings = json_object_get (e, "findings");
    for (size_t i = 0; i < json_array_size (findings); i++)
        if (json_is_object (json_array_get (findings, i)))
            add_json_finding (doc, event, json_array_get (findings, i));
}

static bool
add_json_record (ex_doc_t *doc, const json_t *record, const ow_authority_t **authority)
{
    if (!json_is_object (record))
        return false;
    const ow_authority_t *found = json_authority (doc, record);
    if (!found)
        return false;
    if (!*authority) {
        *authority = found;
        ex_doc_set_authority (doc, found);
    }
    const json_t *published = json_object_get (record, "published_on");
    const json_t *events = json_object_get (record, "events");
    for (size_t i = 0; i < json_array_size (events); i++)
        if (json_is_object (json_array_get (events, i)))
            add_json_event (doc, json_array_get (events, i), found != *authority ? found : NULL,
                            published);
    return true;
}

bool
ex_records_json (ex_doc_t *doc)
{
    char *error = NULL;
    json_t *root = ow_json_parse (doc->text, doc->length, &error);
    if (!root) {
        ex_doc_fail (doc, "the JSON file is malformed (%s)", error);
        free (error);
        return false;
    }
    const ow_authority_t *authority = NULL;
    size_t skipped = 0;
    if (json_is_array (root)) {
        for (size_t i = 0; i < json_array_size (root); i++)
            skipped += !add_json_record (doc, json_array_get (root, i), &authority);
    }
    else
        add_json_record (doc, root, &authority);
    json_decref (root);
    if (!authority) {
        ex_doc_fail (doc, "the JSON records name no local authority the register knows");
        return false;
    }
    if (skipped)
        ex_doc_warn (doc, "%zu records skipped: about no authority the register knows", skipped);
    return true;
}
