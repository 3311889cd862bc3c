/*  sheet — inspections and register columns as the community ILACS sheets
    write them; see sheet.h.
*/

#include "sheet.h"
#include "ow_csv.h"
#include "ow_date.h"
#include "ow_pb.h"
#include "ow_vocab.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

//  Lower case for ASCII and the Latin-1 letters names use (Máire, Zoë).
static char *
lower_words (const char *text)
{
    char *lower = ow_strdup (text ? text : "");
    for (unsigned char *c = (unsigned char *) lower; *c; c++) {
        if (c [0] == 0xC3 && c [1] >= 0x80 && c [1] <= 0x9E && c [1] != 0x97)
            c [1] += 0x20;
        else if (*c < 0x80)
            *c = (unsigned char) tolower (*c);
        if (c [0] == 0xC3 && c [1])
            c++;
    }
    return lower;
}

//  The grade of the first of `areas` the inspection grades, in words
//  ("requires_improvement" -> "requires improvement"), or "".
static char *
grade_words (const model_inspection_t *inspection, const char *const *areas)
{
    for (const char *const *area = areas; *area; area++) {
        const char *word = ow_grade_word (model_grade (inspection, *area));
        if (word) {
            char *words = ow_strdup (word);
            for (char *c = words; *c; c++)
                if (*c == '_')
                    *c = ' ';
            return words;
        }
    }
    return ow_strdup ("");
}

static char *
day_text (int day, bool short_year)
{
    if (day == OW_DATE_NONE)
        return ow_strdup ("");
    int year, month, mday;
    ow_date_to_ymd (day, &year, &month, &mday);
    return short_year ? ow_printf ("%02d/%02d/%02d", mday, month, year % 100)
                      : ow_printf ("%02d/%02d/%04d", mday, month, year);
}

static const char *
framework (Ofwatch__V1__InspectionKind kind)
{
    switch (kind) {
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT:    return "short";
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD: return "standard";
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS:          return "";
        default: {
            const char *word = ow_kind_word (kind);
            return word ? word : "";
        }
    }
}

void
sheet_values_fill (sheet_values_t *values, const model_inspection_t *inspection)
{
    static const char *leaders [] = { "leaders", "leadership", "leadership_and_management", NULL };
    static const char *help [] = { "help_and_protection", NULL };
    static const char *in_care [] = { "in_care", "in_care_and_care_leavers", "looked_after", NULL };
    static const char *care_leavers [] = { "care_leavers", NULL };
    static const char *overall [] = { "overall", NULL };
    memset (values, 0, sizeof *values);
    values->overall = model_is_post_reform (inspection) ? ow_strdup ("not_reported_post_reform")
                                               : grade_words (inspection, overall);
    values->framework = ow_strdup (framework (inspection->kind));
    values->inspector = lower_words (inspection->lead_inspector);
    values->start = day_text (inspection->start, false);
    values->end = day_text (inspection->end, false);
    values->published = day_text (inspection->published, true);
    values->leaders = grade_words (inspection, leaders);
    values->help_and_protection = grade_words (inspection, help);
    values->in_care = grade_words (inspection, in_care);
    values->care_leavers = model_grade (inspection, "in_care_and_care_leavers")
                         ? ow_strdup ("inspection_pre_dates_judgement")
                         : grade_words (inspection, care_leavers);
}

void
sheet_values_clear (sheet_values_t *values)
{
    char **fields [] = { &values->overall, &values->framework, &values->inspector,
                         &values->start, &values->end, &values->published, &values->leaders,
                         &values->help_and_protection, &values->in_care, &values->care_leavers };
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++) {
        free (*fields [i]);
        *fields [i] = NULL;
    }
}

void
sheet_take (char **field, char **value)
{
    assert (*value);
    ow_pb_set_string (field, *value);
    free (*value);
    *value = NULL;
}

void
sheet_values_move (sheet_values_t *values, ProtobufCMessage *row)
{
    struct { const char *column; char **value; } columns [] = {
        { "overall_effectiveness_grade", &values->overall },
        { "inspection_framework",        &values->framework },
        { "inspector_name",              &values->inspector },
        { "inspection_start_date",       &values->start },
        { "inspection_end_date",         &values->end },
        { "publication_date",            &values->published },
        { "impact_of_leaders_grade",     &values->leaders },
        { "help_and_protection_grade",   &values->help_and_protection },
        { "in_care_grade",               &values->in_care },
        { "care_leavers_grade",          &values->care_leavers },
    };
    for (size_t i = 0; i < sizeof columns / sizeof columns [0]; i++) {
        const ProtobufCFieldDescriptor *field =
            protobuf_c_message_descriptor_get_field_by_name (row->descriptor, columns [i].column);
        assert (field && field->type == PROTOBUF_C_TYPE_STRING);
        sheet_take ((char **) ((char *) row + field->offset), columns [i].value);
    }
}

//  ---------------------------------------------------------------------
//  The register's columns

struct _sheet_register_t {
    sheet_authority_t *entries;
    size_t count;
    char *strings;              // NUL-separated text the entries point into
    size_t used, size;
};

//  Copies text into the register's own storage. Offsets, not pointers,
//  while loading: the storage moves as it grows.
static size_t
keep (sheet_register_t *self, const char *text)
{
    size_t length = strlen (text) + 1;
    if (self->used + length > self->size) {
        while (self->used + length > self->size)
            self->size = self->size ? self->size * 2 : 16384;
        self->strings = realloc (self->strings, self->size);
        if (!self->strings)
            abort ();
    }
    memcpy (self->strings + self->used, text, length);
    self->used += length;
    return self->used - length;
}

typedef struct {
    size_t urn, local_authority, region_code, ltla23cd, stat_neighbours;
} offsets_t;

//  Opens a CSV file of data_dir and reads its header; NULL after setting
//  *error when the file or one of the columns is missing.
static ow_csv_t *
open_table (const char *data_dir, const char *file, const char *const *columns, int *found,
            char **error)
{
    char *path = ow_printf ("%s/%s", data_dir, file);
    ow_csv_t *csv = ow_csv_open (path, error);
    if (csv) {
        ow_csv_set_comment (csv, '#');
        bool header = ow_csv_next (csv);
        for (size_t i = 0; columns [i]; i++)
            if (!header || (found [i] = ow_csv_find (csv, columns [i])) < 0) {
                *error = ow_printf ("%s: the header lacks %s", path, columns [i]);
                ow_csv_destroy (&csv);
                break;
            }
    }
    free (path);
    return csv;
}

sheet_register_t *
sheet_register_load (const char *data_dir, char **error)
{
    static const char *names_columns [] = { "urn", "local_authority", NULL };
    static const char *lookup_columns [] = { "urn", "region_code", "ltla23cd", "stat_neighbours",
                                             NULL };
    int names_at [2], lookup_at [4];
    ow_csv_t *names = open_table (data_dir, "sheet_names.csv", names_columns, names_at, error);
    ow_csv_t *lookup = names ? open_table (data_dir, "la_lookup.csv", lookup_columns, lookup_at,
                                           error) : NULL;
    if (!lookup) {
        ow_csv_destroy (&names);
        return NULL;
    }
    sheet_register_t *self = ow_calloc (1, sizeof *self);
    offsets_t *offsets = NULL;
    while (ow_csv_next (names)) {
        offsets = realloc (offsets, (self->count + 1) * sizeof *offsets);
        if (!offsets)
            abort ();
        offsets_t *o = &offsets [self->count++];
        o->urn = keep (self, ow_csv_field (names, (size_t) names_at [0]));
        o->local_authority = keep (self, ow_csv_field (names, (size_t) names_at [1]));
        o->region_code = o->ltla23cd = o->stat_neighbours = keep (self, "");
    }
    while (ow_csv_next (lookup))
        for (size_t i = 0; i < self->count; i++)
            if (strcmp (self->strings + offsets [i].urn,
                        ow_csv_field (lookup, (size_t) lookup_at [0])) == 0) {
                offsets [i].region_code = keep (self, ow_csv_field (lookup, (size_t) lookup_at [1]));
                offsets [i].ltla23cd = keep (self, ow_csv_field (lookup, (size_t) lookup_at [2]));
                offsets [i].stat_neighbours = keep (self, ow_csv_field (lookup,
                                                                        (size_t) lookup_at [3]));
            }
    self->entries = ow_calloc (self->count ? self->count : 1, sizeof (sheet_authority_t));
    for (size_t i = 0; i < self->count; i++) {
        sheet_authority_t *e = &self->entries [i];
        e->urn = self->strings + offsets [i].urn;
        e->local_authority = self->strings + offsets [i].local_authority;
        e->region_code = self->strings + offsets [i].region_code;
        e->ltla23cd = self->strings + offsets [i].ltla23cd;
        e->stat_neighbours = self->strings + offsets [i].stat_neighbours;
    }
    free (offsets);
    ow_csv_destroy (&names);
    ow_csv_destroy (&lookup);
    return self;
}

void
sheet_register_destroy (sheet_register_t **self_p)
{
    sheet_register_t *self = *self_p;
    if (!self)
        return;
    free (self->entries);
    free (self->strings);
    free (self);
    *self_p = NULL;
}

const sheet_authority_t *
sheet_register_find (const sheet_register_t *self, const ow_authority_t *authority)
{
    for (size_t i = 0; self && *authority->urn && i < self->count; i++)
        if (strcmp (self->entries [i].urn, authority->urn) == 0)
            return &self->entries [i];
    return NULL;
}

char *
sheet_reports_page (const char *urn)
{
    return ow_printf ("https://reports.ofsted.gov.uk/provider/44/%s", urn);
}
