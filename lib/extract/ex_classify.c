/*  ex_classify — what kind of document a text is, from its anatomy.

    The head of the document (its first lines) is split into lines once;
    each part is then looked for where a reader would find it: Ofsted's
    address among the first lines, the salutation and the subject line
    after it, the title among the first lines, labels and the judgement
    table on the front page, a council paper's furniture in its first
    lines. The evidence is summed per form; the form with the most
    wins when it has enough (a subject line alone, a title alone, or two
    pieces of furniture), and is called undecided when another form
    comes within one piece of evidence of it.
*/

#include "ex_classify.h"
#include "ex_grades.h"
#include "ex_text.h"
#include "ow_csv.h"
#include "ow_date.h"
#include "ow_pb.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define HEAD_LINES 80           // the lines looked at for anything but sign-offs
#define HEAD_BYTES 6000
#define LETTERHEAD_LINES 16     // Ofsted's address block
#define DATE_LINES 30           // a letter's date line
#define SALUTATION_LINES 60
#define SUBJECT_LINES 6         // after the salutation
#define OPENING_BYTES 1500      // a letter's opening paragraph
#define TITLE_LINES 6           // a report's title block
#define FRONT_LINES 60          // a report's front page
#define FURNITURE_LINES 40      // a council paper's header
#define NOT_FOUND_BYTES 400
#define MARGIN 2                // lead over the next form that decides it

typedef enum {
    PART_LETTERHEAD, PART_SALUTATION, PART_SUBJECT, PART_SIGNOFF, PART_TITLE, PART_LABEL,
    PART_FURNITURE, PART_PROCEEDINGS, PART_ABOUT, PART_NOT_FOUND, PART_COUNT
} part_t;

static const char *s_part_names [PART_COUNT] = {
    "letterhead", "salutation", "subject", "signoff", "title", "label",
    "furniture", "proceedings", "about", "not_found"
};

static const struct {
    const char *name;
    ex_class_t class;
} s_kinds [] = {
    { "focused_visit_letter", EX_CLASS_FOCUSED_VISIT_LETTER },
    { "monitoring_letter", EX_CLASS_MONITORING_LETTER },
    { "jtai_letter", EX_CLASS_JTAI_LETTER },
    { "action_planning_letter", EX_CLASS_ACTION_PLANNING_LETTER },
    { "area_send_letter", EX_CLASS_AREA_SEND_LETTER },
    { "area_send_monitoring_letter", EX_CLASS_AREA_SEND_MONITORING_LETTER },
    { "area_send", EX_CLASS_AREA_SEND },
    { "area_send_monitoring", EX_CLASS_AREA_SEND_MONITORING },
    { "ilacs", EX_CLASS_ILACS },
    { "sif", EX_CLASS_SIF },
    { "sif_reinspection", EX_CLASS_SIF_REINSPECTION },
    { "slac", EX_CLASS_SLAC },
    { "lscb_review", EX_CLASS_LSCB_REVIEW },
    { "council_minutes", EX_CLASS_COUNCIL_MINUTES },
    { "council_report", EX_CLASS_COUNCIL_REPORT },
    { NULL, EX_CLASS_UNKNOWN }
};

typedef struct {
    part_t part;
    ex_class_t class;
    int weight;
    char *phrase;
} cue_t;

struct _ex_anatomy_t {
    cue_t *cues;
    size_t count;
};

//  ---------------------------------------------------------------------
//  The table

static bool
read_cue (ow_csv_t *csv, cue_t *cue, char **error, const char *path)
{
    const char *part = ow_csv_field (csv, 0), *kind = ow_csv_field (csv, 1);
    const char *weight = ow_csv_field (csv, 2), *phrase = ow_csv_field (csv, 3);
    cue->part = PART_COUNT;
    for (int p = 0; p < PART_COUNT; p++)
        if (strcmp (part, s_part_names [p]) == 0)
            cue->part = (part_t) p;
    cue->class = EX_CLASS_UNKNOWN;
    for (size_t k = 0; *kind && s_kinds [k].name; k++)
        if (strcmp (kind, s_kinds [k].name) == 0)
            cue->class = s_kinds [k].class;
    char *stop = NULL;
    cue->weight = (int) strtol (weight, &stop, 10);
    if (cue->part == PART_COUNT || (*kind && cue->class == EX_CLASS_UNKNOWN)
    ||  !stop || *stop || !*phrase) {
        *error = ow_printf ("%s line %zu: expected part,kind,weight,phrase with a known "
                            "part and kind, found '%s,%s,%s,%s'",
                            path, ow_csv_line (csv), part, kind, weight, phrase);
        return false;
    }
    cue->phrase = ow_strdup (phrase);
    return true;
}

ex_anatomy_t *
ex_anatomy_load (const char *dir, char **error)
{
    char *path = ow_printf ("%s/anatomy.csv", dir);
    ow_csv_t *csv = ow_csv_open (path, error);
    ex_anatomy_t *self = csv ? ow_calloc (1, sizeof (ex_anatomy_t)) : NULL;
    size_t capacity = 0;
    if (csv)
        ow_csv_set_comment (csv, '#');
    while (self && ow_csv_next (csv)) {
        if (strcmp (ow_csv_field (csv, 0), "part") == 0)
            continue;           //  the header
        if (self->count == capacity) {
            capacity = capacity ? capacity * 2 : 128;
            self->cues = realloc (self->cues, capacity * sizeof (cue_t));
            if (!self->cues)
                abort ();
        }
        if (!read_cue (csv, &self->cues [self->count], error, path))
            ex_anatomy_destroy (&self);
        else
            self->count++;
    }
    if (self && ow_csv_error (csv)) {
        *error = ow_printf ("%s line %zu: %s", path, ow_csv_line (csv), ow_csv_error (csv));
        ex_anatomy_destroy (&self);
    }
    if (self && self->count == 0) {
        *error = ow_printf ("%s lists no parts", path);
        ex_anatomy_destroy (&self);
    }
    ow_csv_destroy (&csv);
    free (path);
    return self;
}

void
ex_anatomy_destroy (ex_anatomy_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ex_anatomy_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        free (self->cues [i].phrase);
    free (self->cues);
    free (self);
    *self_p = NULL;
}

//  ---------------------------------------------------------------------
//  Matching

//  Length of the match of phrase at text [pos], 0 when none: letters
//  without regard to case, a space for any run of white space (titles
//  wrap), an apostrophe for ' or ’.
static size_t
phrase_at (const char *text, size_t end, size_t pos, const char *phrase)
{
    size_t k = pos;
    for (const char *p = phrase; *p; p++) {
        if (*p == ' ') {
            if (k >= end || !isspace ((unsigned char) text [k]))
                return 0;
            while (k < end && isspace ((unsigned char) text [k]))
                k++;
        }
        else
        if (*p == '\'' && k + 3 <= end && memcmp (text + k, "\xE2\x80\x99", 3) == 0)
            k += 3;
        else
        if (k < end && tolower ((unsigned char) text [k]) == tolower ((unsigned char) *p))
            k++;
        else
            return 0;
    }
    return k - pos;
}

//  A phrase at pos that ends at a word boundary ("Dear" is not "Dearne").
static bool
word_phrase_at (const char *text, size_t end, size_t pos, const char *phrase)
{
    size_t n = phrase_at (text, end, pos, phrase);
    if (!n)
        return false;
    size_t after = pos + n;
    return after >= end || !isalnum ((unsigned char) text [after])
        || !isalnum ((unsigned char) phrase [strlen (phrase) - 1]);
}

static bool
phrase_in (const char *text, size_t from, size_t to, const char *phrase)
{
    for (size_t at = from; at < to; at++)
        if (phrase_at (text, to, at, phrase))
            return true;
    return false;
}

//  ---------------------------------------------------------------------
//  The head's lines

typedef struct {
    const char *text;
    size_t length;
    ex_span_t lines [HEAD_LINES];   // non-blank lines, trimmed
    size_t count;
} head_t;

static void
read_head (head_t *head, const char *text, size_t length)
{
    head->text = text;
    head->length = length;
    head->count = 0;
    size_t pos = 0, limit = length < HEAD_BYTES ? length : HEAD_BYTES;
    ex_span_t line;
    while (head->count < HEAD_LINES && ex_next_line (text, limit, &pos, &line)) {
        line = ex_trim (text, line);
        if (line.end > line.start)
            head->lines [head->count++] = line;
    }
}

//  The first cue of a part at the start of one of lines [from, to), or
//  NULL; *line is set to the line's index.
static const cue_t *
cue_at_line_start (const ex_anatomy_t *anatomy, const head_t *head, part_t part,
                   size_t from, size_t to, size_t *line)
{
    for (size_t i = from; i < to && i < head->count; i++)
        for (size_t c = 0; c < anatomy->count; c++) {
            const cue_t *cue = &anatomy->cues [c];
            if (cue->part == part
            &&  word_phrase_at (head->text, head->length, head->lines [i].start, cue->phrase)) {
                if (line)
                    *line = i;
                return cue;
            }
        }
    return NULL;
}

//  ---------------------------------------------------------------------
//  Evidence by form

static bool
is_date_line (const head_t *head, size_t i)
{
    ex_span_t line = head->lines [i];
    size_t to = 0;
    int date = ow_date_parse (head->text + line.start, line.end - line.start, 0, &to);
    return date != OW_DATE_NONE && line.start + to == line.end;
}

static void
letter_evidence (const ex_anatomy_t *anatomy, const head_t *head, ex_verdict_t *verdict,
                 ex_class_t *class)
{
    int *score = &verdict->score [EX_FORM_LETTER];
    for (size_t i = 0; i < head->count && i < LETTERHEAD_LINES; i++) {
        bool found = false;
        for (size_t c = 0; c < anatomy->count && !found; c++)
            if (anatomy->cues [c].part == PART_LETTERHEAD
            &&  phrase_in (head->text, head->lines [i].start, head->lines [i].end,
                           anatomy->cues [c].phrase)) {
                *score += anatomy->cues [c].weight;
                found = true;
            }
        if (found)
            break;
    }
    for (size_t i = 0; i < head->count && i < DATE_LINES; i++)
        if (is_date_line (head, i)) {
            *score += 1;
            break;
        }
    size_t dear = 0;
    const cue_t *salutation = cue_at_line_start (anatomy, head, PART_SALUTATION, 0,
                                                 SALUTATION_LINES, &dear);
    size_t subject_from = 0;
    if (salutation) {
        *score += salutation->weight;
        verdict->salutation = head->lines [dear].start;
        subject_from = dear + 1;
    }
    size_t line;
    const cue_t *subject = cue_at_line_start (anatomy, head, PART_SUBJECT, subject_from,
                                              subject_from + (salutation ? SUBJECT_LINES : 2 * SUBJECT_LINES),
                                              &line);
    if (subject) {
        *score += subject->weight;
        *class = subject->class;
        verdict->subject = head->lines [line].start;
        return;
    }
    //  No subject line: the opening paragraph names the visit ("This letter
    //  summarises the findings of the focused visit to ...").
    size_t from = salutation ? verdict->salutation : 0;
    size_t to = from + OPENING_BYTES < head->length ? from + OPENING_BYTES : head->length;
    size_t first = EX_NONE;
    for (size_t c = 0; c < anatomy->count; c++) {
        const cue_t *cue = &anatomy->cues [c];
        if (cue->part != PART_SUBJECT)
            continue;
        size_t at = ex_find_phrase (head->text, to, from, cue->phrase, NULL);
        if (at != EX_NONE && at < first) {
            first = at;
            *class = cue->class;
        }
    }
    if (first != EX_NONE) {
        *score += 1;
        verdict->subject = first;
    }
}

static bool
signed_off (const ex_anatomy_t *anatomy, const char *text, size_t length)
{
    for (size_t c = 0; c < anatomy->count; c++) {
        const cue_t *cue = &anatomy->cues [c];
        if (cue->part != PART_SIGNOFF)
            continue;
        size_t at = ex_find_phrase (text, length, 0, cue->phrase, NULL);
        if (at != EX_NONE && (at == 0 || text [at - 1] == '\n'))
            return true;
    }
    return false;
}

//  Lines of the front page that end with a grade: a judgement table.
static size_t
graded_lines (const head_t *head)
{
    size_t graded = 0, grade_start;
    for (size_t i = 0; i < head->count && i < FRONT_LINES; i++) {
        ex_span_t line = head->lines [i];
        if (line.end - line.start < 120
        &&  ex_grade_ending (head->text + line.start, line.end - line.start, &grade_start))
            graded++;
    }
    return graded;
}

//  Marks, for each of lines [from, to), the first cue of the part at its
//  start (longer phrases come first in the table, so "Minutes of" is
//  found where "Minutes" would be too); *first is set to the first line
//  that had one (SIZE_MAX when none). Returns the weight of the cues
//  marked, each counted once.
static int
mark_line_starts (const ex_anatomy_t *anatomy, const head_t *head, part_t part,
                  size_t from, size_t to, bool *found, size_t *first)
{
    int weight = 0;
    *first = SIZE_MAX;
    for (size_t i = from; i < to && i < head->count; i++)
        for (size_t c = 0; c < anatomy->count; c++) {
            const cue_t *cue = &anatomy->cues [c];
            if (cue->part != part
            ||  !word_phrase_at (head->text, head->length, head->lines [i].start, cue->phrase))
                continue;
            if (!found [c])
                weight += cue->weight;
            found [c] = true;
            if (i < *first)
                *first = i;
            break;
        }
    return weight;
}

static void
report_evidence (const ex_anatomy_t *anatomy, const head_t *head, ex_verdict_t *verdict,
                 ex_class_t *class, size_t first_furniture, bool *found)
{
    int *score = &verdict->score [EX_FORM_REPORT];
    size_t line;
    const cue_t *title = cue_at_line_start (anatomy, head, PART_TITLE, 0, TITLE_LINES, &line);
    if (title) {
        //  A title under a council paper's header is the paper quoting it.
        *score += line < first_furniture ? title->weight : 1;
        *class = title->class;
        verdict->title = head->lines [line].start;
    }
    size_t first;
    *score += mark_line_starts (anatomy, head, PART_LABEL, 0, FRONT_LINES, found, &first);
    if (graded_lines (head) >= 2)
        *score += 2;
}

static void
council_evidence (const ex_anatomy_t *anatomy, const head_t *head, const char *text,
                  size_t length, ex_verdict_t *verdict, ex_class_t *class, size_t *first,
                  bool *found)
{
    int *score = &verdict->score [EX_FORM_COUNCIL];
    *score += mark_line_starts (anatomy, head, PART_FURNITURE, 0, FURNITURE_LINES, found, first);
    for (size_t c = 0; c < anatomy->count; c++) {
        const cue_t *cue = &anatomy->cues [c];
        if (cue->part != PART_PROCEEDINGS)
            continue;
        for (size_t at = ex_find_phrase (text, length, 0, cue->phrase, NULL); at != EX_NONE && !found [c];
             at = ex_find_phrase (text, length, at + 1, cue->phrase, NULL))
            if (at == 0 || text [at - 1] == '\n') {
                found [c] = true;
                *score += cue->weight;
            }
    }
    int minutes = 0, report = 0;
    for (size_t c = 0; c < anatomy->count; c++)
        if (found [c] && anatomy->cues [c].class == EX_CLASS_COUNCIL_MINUTES)
            minutes += anatomy->cues [c].weight;
        else
        if (found [c] && anatomy->cues [c].class == EX_CLASS_COUNCIL_REPORT)
            report += anatomy->cues [c].weight;
    *class = minutes > report ? EX_CLASS_COUNCIL_MINUTES : EX_CLASS_COUNCIL_REPORT;
}

static bool
mentions (const ex_anatomy_t *anatomy, part_t part, const char *text, size_t from, size_t to)
{
    for (size_t c = 0; c < anatomy->count; c++)
        if (anatomy->cues [c].part == part
        &&  ex_find_phrase (text, to, from, anatomy->cues [c].phrase, NULL) != EX_NONE)
            return true;
    return false;
}

//  ---------------------------------------------------------------------

static ex_form_t
form_of (ex_class_t class)
{
    switch (class) {
        case EX_CLASS_MONITORING_LETTER:
        case EX_CLASS_FOCUSED_VISIT_LETTER:
        case EX_CLASS_JTAI_LETTER:
        case EX_CLASS_ACTION_PLANNING_LETTER:
        case EX_CLASS_AREA_SEND_LETTER:
        case EX_CLASS_AREA_SEND_MONITORING_LETTER: return EX_FORM_LETTER;
        case EX_CLASS_ILACS:
        case EX_CLASS_SIF:
        case EX_CLASS_SIF_REINSPECTION:
        case EX_CLASS_SLAC:
        case EX_CLASS_LSCB_REVIEW:
        case EX_CLASS_AREA_SEND:
        case EX_CLASS_AREA_SEND_MONITORING:     return EX_FORM_REPORT;
        case EX_CLASS_COUNCIL_MINUTES:
        case EX_CLASS_COUNCIL_REPORT:           return EX_FORM_COUNCIL;
        case EX_CLASS_UNKNOWN:
        case EX_CLASS_NOT_FOUND_PAGE:           return EX_FORM_NONE;
    }
    return EX_FORM_NONE;
}

const char *
ex_form_name (ex_form_t form)
{
    switch (form) {
        case EX_FORM_LETTER:  return "letter";
        case EX_FORM_REPORT:  return "report";
        case EX_FORM_COUNCIL: return "council paper";
        case EX_FORM_NONE:
        case EX_FORM_COUNT:   break;
    }
    return "document";
}

ex_class_t
ex_classify (const ex_anatomy_t *anatomy, const char *text, size_t length, ex_verdict_t *verdict)
{
    ex_verdict_t unused;
    if (!verdict)
        verdict = &unused;
    memset (verdict, 0, sizeof *verdict);
    verdict->subject = verdict->salutation = verdict->title = EX_NONE;
    if (!anatomy || !text)
        return EX_CLASS_UNKNOWN;
    size_t top = length < NOT_FOUND_BYTES ? length : NOT_FOUND_BYTES;
    if (mentions (anatomy, PART_NOT_FOUND, text, 0, top)) {
        verdict->class = EX_CLASS_NOT_FOUND_PAGE;
        verdict->decided = true;
        return verdict->class;
    }
    head_t *head = ow_calloc (1, sizeof (head_t));
    bool *found = ow_calloc (anatomy->count, sizeof (bool));
    read_head (head, text, length);
    ex_class_t classes [EX_FORM_COUNT] = { EX_CLASS_UNKNOWN };
    size_t first_furniture;
    council_evidence (anatomy, head, text, length, verdict, &classes [EX_FORM_COUNCIL],
                      &first_furniture, found);
    letter_evidence (anatomy, head, verdict, &classes [EX_FORM_LETTER]);
    if (signed_off (anatomy, text, length))
        verdict->score [EX_FORM_LETTER] += 1;
    report_evidence (anatomy, head, verdict, &classes [EX_FORM_REPORT], first_furniture, found);
    free (found);
    free (head);
    verdict->about_ofsted = mentions (anatomy, PART_ABOUT, text, 0, length);

    ex_form_t best = EX_FORM_NONE;
    int runner_up = 0;
    for (int f = EX_FORM_LETTER; f < EX_FORM_COUNT; f++) {
        if (best == EX_FORM_NONE || verdict->score [f] > verdict->score [best]) {
            if (best != EX_FORM_NONE)
                runner_up = verdict->score [best];
            best = (ex_form_t) f;
        }
        else
        if (verdict->score [f] > runner_up)
            runner_up = verdict->score [f];
    }
    int score = verdict->score [best];
    if (score == 0)
        return EX_CLASS_UNKNOWN;
    verdict->form = best;
    verdict->class = classes [best];
    //  A report whose title did not say its kind (labels and a table
    //  only): an ILACS report, the most common, said to be a guess.
    if (best == EX_FORM_REPORT && verdict->class == EX_CLASS_UNKNOWN)
        verdict->class = EX_CLASS_ILACS;
    verdict->decided = score >= EX_CLASSIFY_ENOUGH && score - runner_up >= MARGIN
                    && verdict->class != EX_CLASS_UNKNOWN && form_of (verdict->class) == best;
    if (!verdict->decided && verdict->title == EX_NONE && best == EX_FORM_REPORT)
        verdict->class = EX_CLASS_ILACS;
    return verdict->class;
}
