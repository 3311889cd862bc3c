/*  ow_vocab — enum values to the words of CONTRACTS.md section 5.

    Words are derived from the proto value names once, on first use, and
    kept in a table per enum: lookups then cost a pointer read.
*/

#include "ow_vocab.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

#define MAX_ENUMS  16
#define MAX_VALUES 64

typedef struct {
    const ProtobufCEnumDescriptor *descriptor;
    char *words [MAX_VALUES];
} word_table_t;

static word_table_t s_tables [MAX_ENUMS];
static size_t s_table_count;
static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;

//  Length of the enum's value prefix: "DOC_KIND_" for DocKind.
static size_t
prefix_length (const ProtobufCEnumDescriptor *descriptor)
{
    size_t length = 0;
    for (const char *c = descriptor->short_name; *c; c++)
        length += (c != descriptor->short_name && isupper ((unsigned char) *c)) ? 2 : 1;
    return length + 1;
}

static char *
word_for (const ProtobufCEnumDescriptor *descriptor, const char *value_name)
{
    char *word = ow_strdup (value_name + prefix_length (descriptor));
    for (char *c = word; *c; c++)
        *c = (char) tolower ((unsigned char) *c);
    if (descriptor == &ofwatch__v1__event_type__descriptor) {
        char *underscore = strchr (word, '_');
        if (underscore)
            *underscore = '.';
    }
    return word;
}

static word_table_t *
table_for (const ProtobufCEnumDescriptor *descriptor)
{
    pthread_mutex_lock (&s_lock);
    word_table_t *table = NULL;
    for (size_t i = 0; i < s_table_count && !table; i++)
        if (s_tables [i].descriptor == descriptor)
            table = &s_tables [i];
    if (!table && s_table_count < MAX_ENUMS) {
        table = &s_tables [s_table_count++];
        table->descriptor = descriptor;
        for (unsigned i = 0; i < descriptor->n_values; i++) {
            const ProtobufCEnumValue *v = &descriptor->values [i];
            if (v->value > 0 && v->value < MAX_VALUES)
                table->words [v->value] = word_for (descriptor, v->name);
        }
    }
    pthread_mutex_unlock (&s_lock);
    return table;
}

const char *
ow_vocab_word (const ProtobufCEnumDescriptor *descriptor, int value)
{
    if (value <= 0 || value >= MAX_VALUES)
        return NULL;
    word_table_t *table = table_for (descriptor);
    return table ? table->words [value] : NULL;
}

int
ow_vocab_value (const ProtobufCEnumDescriptor *descriptor, const char *word)
{
    if (!word || !*word)
        return 0;
    word_table_t *table = table_for (descriptor);
    for (int value = 1; table && value < MAX_VALUES; value++)
        if (table->words [value] && strcmp (table->words [value], word) == 0)
            return value;
    return 0;
}

static const char *s_areas [] = {
    // ILACS
    "leaders", "help_and_protection", "in_care_and_care_leavers", "in_care",
    "care_leavers", "overall",
    // SIF (help_and_protection, care_leavers and overall above)
    "looked_after", "adoption", "leadership", "lscb",
    // SLAC (overall above)
    "capacity_to_improve", "outcomes", "quality_of_provision",
    "leadership_and_management",
    NULL
};

bool
ow_vocab_is_area (const char *area)
{
    for (const char **a = s_areas; area && *a; a++)
        if (strcmp (*a, area) == 0)
            return true;
    return false;
}

int
ow_grade_rank (Ofwatch__V1__Grade grade)
{
    switch (grade) {
        case OFWATCH__V1__GRADE__GRADE_OUTSTANDING:          return 4;
        case OFWATCH__V1__GRADE__GRADE_GOOD:                 return 3;
        case OFWATCH__V1__GRADE__GRADE_REQUIRES_IMPROVEMENT:
        case OFWATCH__V1__GRADE__GRADE_ADEQUATE:             return 2;
        case OFWATCH__V1__GRADE__GRADE_INADEQUATE:           return 1;
        default:                                             return 0;
    }
}

bool
ow_kind_is_full_inspection (Ofwatch__V1__InspectionKind kind)
{
    switch (kind) {
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SIF_REINSPECTION:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_SLAC:
            return true;
        default:
            return false;
    }
}
