/*  ex_labels — reading the labelled set. */

#include "ex_labels.h"
#include "ow_pb.h"
#include "ow_vocab.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _ex_labels_t {
    ex_label_t *labels;
    size_t count, capacity;
    char **documents;
    size_t n_documents;
};

char *
ex_labels_key (const char *text)
{
    //  Curly quotes and dashes as their plain forms; runs of white space
    //  as one space.
    static const struct { const char *from, *to; } plain [] = {
        { "\xE2\x80\x98", "'" }, { "\xE2\x80\x99", "'" }, { "\xE2\x80\x9C", "\"" },
        { "\xE2\x80\x9D", "\"" }, { "\xE2\x80\x93", "-" }, { "\xE2\x80\x94", "-" },
        { "\xC2\xA0", " " }, { NULL, NULL }
    };
    size_t length = strlen (text);
    char *key = ow_malloc (length + 1);
    size_t used = 0;
    bool space = false;
    for (size_t i = 0; i < length;) {
        const char *put = NULL;
        size_t skip = 1;
        for (size_t p = 0; plain [p].from; p++) {
            size_t n = strlen (plain [p].from);
            if (strncmp (text + i, plain [p].from, n) == 0) {
                put = plain [p].to;
                skip = n;
                break;
            }
        }
        char c = put ? put [0] : text [i];
        i += skip;
        if (isspace ((unsigned char) c)) {
            space = used > 0;
            continue;
        }
        if (space)
            key [used++] = ' ';
        space = false;
        key [used++] = c;
    }
    key [used] = '\0';
    return key;
}

static char *
read_line (ex_labels_t *self, char *line, size_t number)
{
    char *fields [4];
    char *rest = line;
    for (int i = 0; i < 4; i++) {
        fields [i] = rest;
        char *tab = i < 3 ? strchr (rest, '\t') : NULL;
        if (i < 3 && !tab)
            return ow_printf ("line %zu: not four tab-separated fields", number);
        if (tab) {
            *tab = '\0';
            rest = tab + 1;
        }
    }
    int polarity = strcmp (fields [1], "not_a_finding") == 0
                 ? 0 : ow_vocab_value (&ofwatch__v1__polarity__descriptor, fields [1]);
    char *bar = strchr (fields [2], '|');
    if (bar)
        *bar = '\0';
    int theme = *fields [2] ? ow_vocab_value (&ofwatch__v1__theme__descriptor, fields [2]) : 0;
    int also = bar ? ow_vocab_value (&ofwatch__v1__theme__descriptor, bar + 1) : 0;
    if (polarity < 0 || (polarity == 0 && strcmp (fields [1], "not_a_finding") != 0))
        return ow_printf ("line %zu: '%s' is not a label", number, fields [1]);
    if ((*fields [2] && !theme) || (bar && !also))
        return ow_printf ("line %zu: '%s' is not a theme", number, theme ? bar + 1 : fields [2]);
    if ((polarity && !theme) || (!polarity && *fields [2]))
        return ow_printf ("line %zu: a finding needs a theme and only a finding has one ('%s')",
                          number, fields [2]);
    if (!*fields [0] || !*fields [3])
        return ow_printf ("line %zu: no document or no text", number);
    if (self->count == self->capacity) {
        self->capacity = self->capacity ? self->capacity * 2 : 512;
        self->labels = realloc (self->labels, self->capacity * sizeof (ex_label_t));
        if (!self->labels)
            abort ();
    }
    ex_label_t *label = &self->labels [self->count++];
    label->document = ow_strdup (fields [0]);
    label->polarity = polarity;
    label->theme = theme;
    label->also = also;
    label->text = ow_strdup (fields [3]);
    label->key = ex_labels_key (fields [3]);
    label->line = number;
    bool known = false;
    for (size_t i = 0; i < self->n_documents && !known; i++)
        known = strcmp (self->documents [i], label->document) == 0;
    if (!known) {
        self->documents = realloc (self->documents, (self->n_documents + 1) * sizeof (char *));
        if (!self->documents)
            abort ();
        self->documents [self->n_documents++] = label->document;
    }
    return NULL;
}

ex_labels_t *
ex_labels_load (const char *path, char **error)
{
    FILE *file = fopen (path, "r");
    if (!file) {
        *error = ow_printf ("%s: %s", path, strerror (errno));
        return NULL;
    }
    ex_labels_t *self = ow_calloc (1, sizeof (ex_labels_t));
    char *line = NULL;
    size_t size = 0, number = 0;
    ssize_t read;
    while (!*error && (read = getline (&line, &size, file)) >= 0) {
        number++;
        while (read > 0 && (line [read - 1] == '\n' || line [read - 1] == '\r'))
            line [--read] = '\0';
        if (read == 0 || line [0] == '#')
            continue;
        char *why = read_line (self, line, number);
        if (why) {
            *error = ow_printf ("%s %s", path, why);
            free (why);
        }
    }
    free (line);
    fclose (file);
    if (*error)
        ex_labels_destroy (&self);
    return self;
}

void
ex_labels_destroy (ex_labels_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ex_labels_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++) {
        free (self->labels [i].document);
        free (self->labels [i].text);
        free (self->labels [i].key);
    }
    free (self->labels);
    free (self->documents);
    free (self);
    *self_p = NULL;
}

size_t
ex_labels_count (const ex_labels_t *self)
{
    return self->count;
}

const ex_label_t *
ex_labels_at (const ex_labels_t *self, size_t index)
{
    return index < self->count ? &self->labels [index] : NULL;
}

bool
ex_label_theme_is (const ex_label_t *label, int theme)
{
    return theme && (label->theme == theme || label->also == theme);
}

const ex_label_t *
ex_labels_find (const ex_labels_t *self, const char *document, const char *text)
{
    char *key = ex_labels_key (text);
    const ex_label_t *found = NULL;
    for (size_t i = 0; i < self->count && !found; i++)
        if (strcmp (self->labels [i].key, key) == 0
        &&  strcmp (self->labels [i].document, document) == 0)
            found = &self->labels [i];
    free (key);
    return found;
}

size_t
ex_labels_documents (const ex_labels_t *self)
{
    return self->n_documents;
}

const char *
ex_labels_document (const ex_labels_t *self, size_t index)
{
    return index < self->n_documents ? self->documents [index] : NULL;
}
