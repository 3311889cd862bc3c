/*  ex_lexicon — weighted phrase lists that sort text into a vocabulary.

    Phrases are bucketed by their first byte (lower case), so a passage is
    scanned once: at each word start only the phrases that begin with
    that letter are compared.
*/

#include "ex_lexicon.h"
#include "ow_csv.h"
#include "ow_vocab.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SHORT_PHRASE 4

typedef struct {
    char *phrase;
    size_t length;
    int value;
    int weight;
    size_t order;               // line order, for a stable sort
} phrase_t;

struct _ex_lexicon_t {
    phrase_t *phrases;
    size_t count;
    size_t bucket_start [257];  // phrases sorted by first byte
};

static int
compare_phrases (const void *a, const void *b)
{
    const phrase_t *x = a, *y = b;
    int order = (int) (unsigned char) x->phrase [0] - (int) (unsigned char) y->phrase [0];
    return order ? order : (x->order > y->order) - (x->order < y->order);
}

static char *
add_phrase (ex_lexicon_t *self, size_t *capacity, ow_csv_t *csv,
            const ProtobufCEnumDescriptor *values, const char *file_name)
{
    const char *phrase = ow_csv_field (csv, 0);
    const char *word = ow_csv_field (csv, 1);
    int value = ow_vocab_value (values, word);
    if (!*phrase || value <= 0 || value >= EX_LEXICON_VALUES)
        return ow_printf ("%s line %zu: '%s' is not a word of the vocabulary",
                          file_name, ow_csv_line (csv), word);
    if (self->count == *capacity) {
        *capacity = *capacity ? *capacity * 2 : 256;
        self->phrases = realloc (self->phrases, *capacity * sizeof (phrase_t));
        if (!self->phrases)
            abort ();
    }
    phrase_t *p = &self->phrases [self->count];
    p->order = self->count++;
    p->phrase = ow_strdup (phrase);
    for (char *c = p->phrase; *c; c++)
        *c = (char) tolower ((unsigned char) *c);
    p->length = strlen (p->phrase);
    p->value = value;
    p->weight = *ow_csv_field (csv, 2) ? atoi (ow_csv_field (csv, 2)) : 1;
    if (p->weight <= 0)
        p->weight = 1;
    return NULL;
}

ex_lexicon_t *
ex_lexicon_load (const char *data_dir, const char *file_name,
                 const ProtobufCEnumDescriptor *values, char **error)
{
    char *path = ow_printf ("%s/%s", data_dir, file_name);
    ow_csv_t *csv = ow_csv_open (path, error);
    free (path);
    if (!csv)
        return NULL;
    ow_csv_set_comment (csv, '#');
    ex_lexicon_t *self = ow_calloc (1, sizeof (ex_lexicon_t));
    size_t capacity = 0;
    while (!*error && ow_csv_next (csv))
        if (strcmp (ow_csv_field (csv, 0), "phrase") != 0)
            *error = add_phrase (self, &capacity, csv, values, file_name);
    if (!*error && ow_csv_error (csv))
        *error = ow_printf ("%s line %zu: %s", file_name, ow_csv_line (csv), ow_csv_error (csv));
    ow_csv_destroy (&csv);
    if (*error) {
        ex_lexicon_destroy (&self);
        return NULL;
    }
    qsort (self->phrases, self->count, sizeof (phrase_t), compare_phrases);
    size_t p = 0;
    for (int byte = 0; byte < 256; byte++) {
        self->bucket_start [byte] = p;
        while (p < self->count && (unsigned char) self->phrases [p].phrase [0] == byte)
            p++;
    }
    self->bucket_start [256] = self->count;
    return self;
}

void
ex_lexicon_destroy (ex_lexicon_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ex_lexicon_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        free (self->phrases [i].phrase);
    free (self->phrases);
    free (self);
    *self_p = NULL;
}

static bool
matches (const phrase_t *p, const char *text, size_t length, size_t pos)
{
    //  The bucket matched the first letter; most phrases differ at the
    //  second, which is cheaper to see than to compare them whole.
    if (length - pos < p->length
    ||  (p->length > 1 && tolower ((unsigned char) text [pos + 1]) != p->phrase [1])
    ||  strncasecmp (text + pos, p->phrase, p->length) != 0)
        return false;
    if (p->length > SHORT_PHRASE || !isalnum ((unsigned char) p->phrase [p->length - 1]))
        return true;
    size_t end = pos + p->length;
    if (end < length && (text [end] == 's' || text [end] == 'S'))
        end++;
    return end == length || !isalnum ((unsigned char) text [end]);
}

void
ex_lexicon_score (const ex_lexicon_t *self, const char *text, size_t length,
                  ex_scores_t *scores)
{
    memset (scores->score, 0, sizeof scores->score);
    for (size_t i = 0; i < EX_LEXICON_VALUES; i++)
        scores->first_seen [i] = SIZE_MAX;
    if (!self || !text)
        return;
    for (size_t pos = 0; pos < length; pos++) {
        if (pos > 0 && isalnum ((unsigned char) text [pos - 1]))
            continue;
        unsigned char first = (unsigned char) tolower ((unsigned char) text [pos]);
        for (size_t i = self->bucket_start [first]; i < self->bucket_start [first + 1]; i++) {
            const phrase_t *p = &self->phrases [i];
            if (matches (p, text, length, pos)) {
                scores->score [p->value] += p->weight;
                if (scores->first_seen [p->value] == SIZE_MAX)
                    scores->first_seen [p->value] = pos;
            }
        }
    }
}

Ofwatch__V1__Theme
ex_themes_classify (const ex_lexicon_t *themes, const char *text, size_t length)
{
    ex_scores_t scores;
    ex_lexicon_score (themes, text, length, &scores);
    int best = OFWATCH__V1__THEME__THEME_OTHER;
    for (int theme = 1; theme < EX_LEXICON_VALUES; theme++)
        if (scores.score [theme] > 0
        &&  (scores.score [best] == 0 || scores.score [theme] > scores.score [best]
          || (scores.score [theme] == scores.score [best]
              && scores.first_seen [theme] < scores.first_seen [best])))
            best = theme;
    return (Ofwatch__V1__Theme) best;
}
