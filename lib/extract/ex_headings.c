/*  ex_headings — heading phrases and their contexts, in file order.

    A heading is a line of a few words, so a plain scan over the phrases
    costs nothing next to the rest of extraction.
*/

#include "ex_headings.h"
#include "ow_csv.h"
#include "ow_pb.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    char *phrase;
    size_t length;
    ex_context_t context;
    bool heading, lead_in;      // where the phrase applies
} heading_t;

struct _ex_headings_t {
    heading_t *headings;
    size_t count;
};

static const char *s_words [EX_CONTEXT_COUNT] = {
    "none", "findings", "strengths", "weaknesses", "improve", "priority", "procedure"
};

const char *
ex_context_word (ex_context_t context)
{
    if ((int) context < 0 || context >= EX_CONTEXT_COUNT)
        return "none";
    return s_words [context];
}

static int
context_of_word (const char *word)
{
    for (int i = 0; i < EX_CONTEXT_COUNT; i++)
        if (strcmp (s_words [i], word) == 0)
            return i;
    return -1;
}

ex_headings_t *
ex_headings_load (const char *data_dir, const char *file_name, char **error)
{
    char *path = ow_printf ("%s/%s", data_dir, file_name);
    ow_csv_t *csv = ow_csv_open (path, error);
    free (path);
    if (!csv)
        return NULL;
    ow_csv_set_comment (csv, '#');
    ex_headings_t *self = ow_calloc (1, sizeof (ex_headings_t));
    size_t capacity = 0;
    while (!*error && ow_csv_next (csv)) {
        const char *phrase = ow_csv_field (csv, 0);
        if (strcmp (phrase, "phrase") == 0)
            continue;
        int context = context_of_word (ow_csv_field (csv, 1));
        if (!*phrase || context < 0) {
            *error = ow_printf ("%s line %zu: '%s' is not a context", file_name,
                                ow_csv_line (csv), ow_csv_field (csv, 1));
            break;
        }
        if (self->count == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            self->headings = realloc (self->headings, capacity * sizeof (heading_t));
            if (!self->headings)
                abort ();
        }
        heading_t *heading = &self->headings [self->count++];
        heading->phrase = ow_strdup (phrase);
        for (char *c = heading->phrase; *c; c++)
            *c = (char) tolower ((unsigned char) *c);
        heading->length = strlen (phrase);
        heading->context = (ex_context_t) context;
        const char *applies = ow_csv_field (csv, 2);
        heading->heading = !*applies || strcmp (applies, "heading") == 0;
        heading->lead_in = !*applies || strcmp (applies, "lead-in") == 0;
        if (!heading->heading && !heading->lead_in) {
            *error = ow_printf ("%s line %zu: '%s' is not heading or lead-in", file_name,
                                ow_csv_line (csv), applies);
            break;
        }
    }
    if (!*error && ow_csv_error (csv))
        *error = ow_printf ("%s line %zu: %s", file_name, ow_csv_line (csv), ow_csv_error (csv));
    ow_csv_destroy (&csv);
    if (*error)
        ex_headings_destroy (&self);
    return self;
}

void
ex_headings_destroy (ex_headings_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ex_headings_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        free (self->headings [i].phrase);
    free (self->headings);
    free (self);
    *self_p = NULL;
}

//  The phrases are lower case (as loaded); the text is lowered once.
static ex_context_t
context_of (const ex_headings_t *self, const char *text, size_t length, bool lead_in)
{
    if (!self)
        return EX_CONTEXT_NONE;
    char *lower = ow_strndup (text, length);
    for (size_t i = 0; i < length; i++)
        lower [i] = (char) tolower ((unsigned char) lower [i]);
    //  The first phrase found decides, even when it says "none".
    ex_context_t context = EX_CONTEXT_NONE;
    bool found = false;
    for (size_t i = 0; i < self->count && !found; i++) {
        const heading_t *heading = &self->headings [i];
        found = (lead_in ? heading->lead_in : heading->heading) && strstr (lower, heading->phrase);
        if (found)
            context = heading->context;
    }
    free (lower);
    return context;
}

ex_context_t
ex_headings_context (const ex_headings_t *self, const char *text, size_t length)
{
    return context_of (self, text, length, false);
}

ex_context_t
ex_headings_lead_in (const ex_headings_t *self, const char *text, size_t length)
{
    return context_of (self, text, length, true);
}
