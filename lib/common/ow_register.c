/*  ow_register — England's local authorities.

    Three data files make the register: la_lookup.csv (one row per
    authority that inspects children's services, current or recently
    abolished), predecessors.csv (what reorganisation abolished: codes, end
    date, successors) and authority_aliases.csv (other names documents use,
    optional). Every authority becomes one entry; every way of naming it
    becomes one key in a sorted index. Keys are normalised names (see
    normalise_tokens) or codes; when two entries claim one key, a register
    name beats a predecessor's name, which beats an alias, so "Bournemouth"
    is the abolished borough and not a fragment of BCP's alias list.

    All strings belong to the register and live until it is destroyed.
*/

#include "ow_register.h"
#include "ow_csv.h"
#include "ow_pb.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEY       128     // normalised names are short
#define MAX_KEY_WORDS 7       // "bath and north east somerset" has five

typedef enum { RANK_CODE, RANK_NAME, RANK_PREDECESSOR, RANK_ALIAS } key_rank_t;

typedef struct {
    char *key;
    size_t entry;
    key_rank_t rank;
} index_item_t;

struct _ow_register_t {
    ow_authority_t *entries;
    size_t size, capacity;
    index_item_t *index;
    size_t index_size, index_capacity;
    char **strings;             // every string entries point at
    size_t n_strings, strings_capacity;
};

//  --------------------------------------------------------------------------
//  Normalisation. A name becomes lower-case words joined by single spaces,
//  with "&" as "and", "Saint" as "st", apostrophes dropped ("children's"
//  is one word) and the words that say what kind of body it is removed:
//  "London Borough of Bromley", "Bromley Council" and "BROMLEY" are all
//  "bromley". "City of" stays before "London": the City of London is the
//  one authority whose name is mostly that phrase.

typedef struct {
    char word [32];
    size_t start, end;          // byte span in the source text
} word_t;

//  Reads the next word from text at *pos; false at the end. Bytes that
//  are not ASCII letters or digits separate words, except apostrophes
//  (ASCII and U+2019), which are skipped inside a word.
static bool
next_word (const char *text, size_t length, size_t *pos, word_t *word)
{
    size_t i = *pos;
    while (i < length && !isalnum ((unsigned char) text [i]) && text [i] != '&')
        i++;
    if (i >= length)
        return false;
    word->start = i;
    size_t n = 0;
    if (text [i] == '&') {
        strcpy (word->word, "and");
        i++;
    }
    else
    while (i < length) {
        unsigned char c = (unsigned char) text [i];
        if (isalnum (c)) {
            if (n + 1 < sizeof word->word)
                word->word [n++] = (char) tolower (c);
            i++;
        }
        else
        if (c == '\'' && i + 1 < length && isalpha ((unsigned char) text [i + 1]))
            i++;
        else
        if (c == 0xE2 && i + 3 < length && (unsigned char) text [i + 1] == 0x80
        &&  (unsigned char) text [i + 2] == 0x99 && isalpha ((unsigned char) text [i + 3]))
            i += 3;
        else
            break;
    }
    if (text [word->start] != '&')
        word->word [n] = '\0';
    word->end = i;
    *pos = i;
    if (strcmp (word->word, "saint") == 0)
        strcpy (word->word, "st");
    return true;
}

static bool
is (const word_t *words, size_t count, size_t at, const char *word)
{
    return at < count && strcmp (words [at].word, word) == 0;
}

//  How many words at `at` say what kind of body this is (0: none).
static size_t
noise_length (const word_t *words, size_t count, size_t at)
{
    if ((is (words, count, at, "london") || is (words, count, at, "royal"))
    &&   is (words, count, at + 1, "borough") && is (words, count, at + 2, "of"))
        return 3;
    if (is (words, count, at, "city") && is (words, count, at + 1, "of")
    &&  !is (words, count, at + 2, "london"))
        return 2;
    if ((is (words, count, at, "county") || is (words, count, at, "borough"))
    &&   is (words, count, at + 1, "of"))
        return 2;
    if (is (words, count, at, "city") && is (words, count, at + 1, "of"))
        return 0;
    static const char *single [] = {
        "council", "county", "borough", "metropolitan", "district", "city",
        "the", "mbc", "cc", "unitary", "authority", NULL
    };
    for (size_t i = 0; single [i]; i++)
        if (is (words, count, at, single [i]))
            return 1;
    return 0;
}

//  Drops noise words in place; returns the new count. Spans of the words
//  kept are unchanged.
static size_t
drop_noise (word_t *words, size_t count)
{
    size_t kept = 0;
    for (size_t i = 0; i < count;) {
        size_t noise = noise_length (words, count, i);
        if (noise)
            i += noise;
        else
            words [kept++] = words [i++];
    }
    return kept;
}

static void
join_words (const word_t *words, size_t count, char *out, size_t size)
{
    size_t used = 0;
    out [0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen (words [i].word);
        if (used + n + 2 > size)
            break;
        if (i)
            out [used++] = ' ';
        memcpy (out + used, words [i].word, n + 1);
        used += n;
    }
}

void
ow_register_normalise (const char *name, char *out, size_t size)
{
    word_t words [16];
    size_t count = 0, pos = 0, length = strlen (name);
    while (count < 16 && next_word (name, length, &pos, &words [count]))
        count++;
    count = drop_noise (words, count);
    join_words (words, count, out, size);
}

//  --------------------------------------------------------------------------
//  Building

static const char *
keep (ow_register_t *self, const char *string)
{
    if (self->n_strings == self->strings_capacity) {
        self->strings_capacity = self->strings_capacity ? self->strings_capacity * 2 : 1024;
        self->strings = realloc (self->strings, self->strings_capacity * sizeof (char *));
        if (!self->strings)
            abort ();
    }
    char *copy = ow_strdup (string);
    self->strings [self->n_strings++] = copy;
    return copy;
}

static ow_authority_t *
new_entry (ow_register_t *self)
{
    if (self->size == self->capacity) {
        self->capacity = self->capacity ? self->capacity * 2 : 256;
        self->entries = realloc (self->entries, self->capacity * sizeof (ow_authority_t));
        if (!self->entries)
            abort ();
    }
    ow_authority_t *entry = &self->entries [self->size++];
    memset (entry, 0, sizeof *entry);
    entry->code = entry->la_code = entry->urn = entry->name = "";
    entry->region_code = entry->region_name = entry->ended = "";
    return entry;
}

static void
add_key (ow_register_t *self, const char *key, size_t entry, key_rank_t rank)
{
    if (!*key)
        return;
    if (self->index_size == self->index_capacity) {
        self->index_capacity = self->index_capacity ? self->index_capacity * 2 : 1024;
        self->index = realloc (self->index, self->index_capacity * sizeof (index_item_t));
        if (!self->index)
            abort ();
    }
    index_item_t *item = &self->index [self->index_size++];
    item->key = ow_strdup (key);
    item->entry = entry;
    item->rank = rank;
}

static void
add_name (ow_register_t *self, const char *name, size_t entry, key_rank_t rank)
{
    char key [MAX_KEY];
    ow_register_normalise (name, key, sizeof key);
    add_key (self, key, entry, rank);
}

//  Splits a comma list ("1, 2, 3") into up to `max` kept strings.
static size_t
split_list (ow_register_t *self, const char *list, const char **out, size_t max)
{
    size_t count = 0;
    char *copy = ow_strdup (list);
    for (char *item = strtok (copy, ",;[]"); item && count < max; item = strtok (NULL, ",;[]")) {
        while (isspace ((unsigned char) *item))
            item++;
        char *end = item + strlen (item);
        while (end > item && isspace ((unsigned char) end [-1]))
            *--end = '\0';
        if (*item)
            out [count++] = keep (self, item);
    }
    free (copy);
    return count;
}

//  An alias list is written "[BCP, Bournemouth, Christchurch & Poole]":
//  commas both separate aliases and sit inside them, so each piece is a
//  key, and so is the whole list without its brackets.
static void
add_aliases (ow_register_t *self, const char *list, size_t entry)
{
    const char *pieces [16];
    size_t count = split_list (self, list, pieces, 16);
    for (size_t i = 0; i < count; i++)
        add_name (self, pieces [i], entry, RANK_ALIAS);
    for (size_t i = 0; i + 1 < count; i++) {
        char *joined = ow_printf ("%s, %s", pieces [i], pieces [i + 1]);
        add_name (self, joined, entry, RANK_ALIAS);
        free (joined);
    }
}

typedef struct {
    int urn, la_code, ons, neighbours, name, aliases, region_code, region_name, population;
} lookup_columns_t;

static bool
lookup_columns (ow_csv_t *csv, lookup_columns_t *c)
{
    c->urn = ow_csv_find (csv, "urn");
    c->la_code = ow_csv_find (csv, "la_code");
    c->ons = ow_csv_find (csv, "la_code_new");
    c->neighbours = ow_csv_find (csv, "stat_neighbours_la_code");
    c->name = ow_csv_find (csv, "local_authority_ons_name");
    c->aliases = ow_csv_find (csv, "also_known_as");
    c->region_code = ow_csv_find (csv, "rgn22cd");
    c->region_name = ow_csv_find (csv, "rgn22nm");
    c->population = ow_csv_find (csv, "ons_population_0-25");
    return c->urn >= 0 && c->la_code >= 0 && c->ons >= 0 && c->name >= 0;
}

static const char *
column (ow_csv_t *csv, int index)
{
    return index >= 0 ? ow_csv_field (csv, (size_t) index) : "";
}

static char *
load_lookup (ow_register_t *self, const char *data_dir)
{
    char *error = NULL;
    char *path = ow_printf ("%s/la_lookup.csv", data_dir);
    ow_csv_t *csv = ow_csv_open (path, &error);
    lookup_columns_t c = { -1, -1, -1, -1, -1, -1, -1, -1, -1 };
    if (csv && !(ow_csv_next (csv) && lookup_columns (csv, &c)))
        error = ow_printf ("%s: the header lacks urn, la_code, la_code_new or "
                           "local_authority_ons_name", path);
    while (!error && ow_csv_next (csv)) {
        ow_authority_t *entry = new_entry (self);
        entry->urn = keep (self, column (csv, c.urn));
        entry->la_code = keep (self, column (csv, c.la_code));
        entry->code = keep (self, column (csv, c.ons));
        entry->name = keep (self, column (csv, c.name));
        entry->region_code = keep (self, column (csv, c.region_code));
        entry->region_name = keep (self, column (csv, c.region_name));
        entry->population_0_25 = atol (column (csv, c.population));
        entry->n_neighbours = split_list (self, column (csv, c.neighbours),
                                          entry->neighbours, OW_REGISTER_MAX_NEIGHBOURS);
        add_aliases (self, column (csv, c.aliases), self->size - 1);
    }
    if (csv && !error && ow_csv_error (csv))
        error = ow_printf ("%s line %zu: %s", path, ow_csv_line (csv), ow_csv_error (csv));
    ow_csv_destroy (&csv);
    free (path);
    return error;
}

static ow_authority_t *
entry_by_la_code (ow_register_t *self, const char *la_code)
{
    for (size_t i = 0; i < self->size; i++)
        if (strcmp (self->entries [i].la_code, la_code) == 0)
            return &self->entries [i];
    return NULL;
}

static ow_authority_t *
entry_by_code (ow_register_t *self, const char *code)
{
    for (size_t i = 0; i < self->size; i++)
        if (*code && strcmp (self->entries [i].code, code) == 0)
            return &self->entries [i];
    return NULL;
}

//  Predecessors complete the rows la_lookup keeps without an ONS code
//  (Cumbria, Northamptonshire, Poole) and add the ones it lacks
//  (Bournemouth, Dorset county), taking region from their first successor.
static char *
load_predecessors (ow_register_t *self, const char *data_dir)
{
    char *error = NULL;
    char *path = ow_printf ("%s/predecessors.csv", data_dir);
    ow_csv_t *csv = ow_csv_open (path, &error);
    int ons = -1, la_code = -1, name = -1, ended = -1, successors = -1;
    if (csv && ow_csv_next (csv)) {
        ons = ow_csv_find (csv, "ons_code");
        la_code = ow_csv_find (csv, "la_code");
        name = ow_csv_find (csv, "name");
        ended = ow_csv_find (csv, "ended");
        successors = ow_csv_find (csv, "successor_ons_codes");
    }
    if (csv && (ons < 0 || la_code < 0 || name < 0 || ended < 0 || successors < 0))
        error = ow_printf ("%s: the header lacks ons_code, la_code, name, ended "
                           "or successor_ons_codes", path);
    while (!error && ow_csv_next (csv)) {
        ow_authority_t *entry = entry_by_la_code (self, column (csv, la_code));
        bool is_new = entry == NULL;
        if (is_new) {
            entry = new_entry (self);
            entry->la_code = keep (self, column (csv, la_code));
            entry->name = keep (self, column (csv, name));
        }
        entry->code = keep (self, column (csv, ons));
        entry->ended = keep (self, column (csv, ended));
        entry->n_successors = split_list (self, column (csv, successors),
                                          entry->successors, OW_REGISTER_MAX_SUCCESSORS);
        if (is_new) {
            add_name (self, entry->name, (size_t) (entry - self->entries), RANK_PREDECESSOR);
            const ow_authority_t *successor = entry->n_successors
                ? entry_by_code (self, entry->successors [0]) : NULL;
            if (successor) {
                entry->region_code = successor->region_code;
                entry->region_name = successor->region_name;
            }
        }
    }
    if (csv && !error && ow_csv_error (csv))
        error = ow_printf ("%s line %zu: %s", path, ow_csv_line (csv), ow_csv_error (csv));
    ow_csv_destroy (&csv);
    free (path);
    return error;
}

//  The alias file is optional: the register works without it.
static char *
load_aliases (ow_register_t *self, const char *data_dir)
{
    char *error = NULL;
    char *path = ow_printf ("%s/authority_aliases.csv", data_dir);
    ow_csv_t *csv = ow_csv_open (path, &error);
    free (error);
    error = NULL;
    if (csv) {
        ow_csv_set_comment (csv, '#');
        ow_csv_next (csv);      //  header
    }
    while (csv && ow_csv_next (csv)) {
        const ow_authority_t *entry = entry_by_code (self, ow_csv_field (csv, 1));
        if (entry)
            add_name (self, ow_csv_field (csv, 0), (size_t) (entry - self->entries), RANK_ALIAS);
        else {
            error = ow_printf ("%s line %zu: no authority has the code '%s'",
                               path, ow_csv_line (csv), ow_csv_field (csv, 1));
            break;
        }
    }
    ow_csv_destroy (&csv);
    free (path);
    return error;
}

static int
compare_items (const void *a, const void *b)
{
    const index_item_t *x = a, *y = b;
    int order = strcmp (x->key, y->key);
    if (order == 0)
        order = (int) x->rank - (int) y->rank;
    if (order == 0)
        order = x->entry < y->entry ? -1 : x->entry > y->entry;
    return order;
}

//  Sorts the index and keeps one item per key, the best ranked.
static void
build_index (ow_register_t *self)
{
    for (size_t i = 0; i < self->size; i++) {
        ow_authority_t *entry = &self->entries [i];
        add_name (self, entry->name, i, RANK_NAME);
        add_key (self, entry->code, i, RANK_CODE);
        add_key (self, entry->la_code, i, RANK_CODE);
        add_key (self, entry->urn, i, RANK_CODE);
    }
    for (size_t i = 0; i < self->index_size; i++)
        for (char *c = self->index [i].key; *c; c++)
            *c = (char) tolower ((unsigned char) *c);
    qsort (self->index, self->index_size, sizeof (index_item_t), compare_items);
    size_t kept = 0;
    for (size_t i = 0; i < self->index_size; i++)
        if (kept && strcmp (self->index [kept - 1].key, self->index [i].key) == 0)
            free (self->index [i].key);
        else
            self->index [kept++] = self->index [i];
    self->index_size = kept;
}

ow_register_t *
ow_register_load (const char *data_dir, char **error)
{
    ow_register_t *self = ow_calloc (1, sizeof (ow_register_t));
    *error = load_lookup (self, data_dir);
    if (!*error)
        *error = load_predecessors (self, data_dir);
    if (!*error)
        *error = load_aliases (self, data_dir);
    if (!*error && self->size == 0)
        *error = ow_printf ("%s/la_lookup.csv lists no authorities", data_dir);
    if (*error) {
        ow_register_destroy (&self);
        return NULL;
    }
    //  Entries no longer move: aliases already point at them by index.
    build_index (self);
    return self;
}

void
ow_register_destroy (ow_register_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ow_register_t *self = *self_p;
    for (size_t i = 0; i < self->n_strings; i++)
        free (self->strings [i]);
    for (size_t i = 0; i < self->index_size; i++)
        free (self->index [i].key);
    free (self->strings);
    free (self->index);
    free (self->entries);
    free (self);
    *self_p = NULL;
}

//  --------------------------------------------------------------------------
//  Lookup

static const ow_authority_t *
lookup_key (const ow_register_t *self, const char *key)
{
    size_t low = 0, high = self->index_size;
    while (low < high) {
        size_t middle = (low + high) / 2;
        int order = strcmp (self->index [middle].key, key);
        if (order == 0)
            return &self->entries [self->index [middle].entry];
        if (order < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return NULL;
}

const ow_authority_t *
ow_register_find (const ow_register_t *self, const char *any)
{
    if (!self || !any)
        return NULL;
    char key [MAX_KEY];
    size_t length = strlen (any);
    while (length && isspace ((unsigned char) any [length - 1]))
        length--;
    while (length && isspace ((unsigned char) *any)) {
        any++;
        length--;
    }
    if (length == 0 || length >= MAX_KEY)
        return NULL;
    //  Codes first, as written (lower-cased): "E06000019", "884", "80474".
    for (size_t i = 0; i < length; i++)
        key [i] = (char) tolower ((unsigned char) any [i]);
    key [length] = '\0';
    const ow_authority_t *found = lookup_key (self, key);
    if (!found) {
        ow_register_normalise (key, key, sizeof key);
        found = lookup_key (self, key);
    }
    return found;
}

const ow_authority_t *
ow_register_find_in_text (const ow_register_t *self, const char *text,
                          size_t length, size_t *start, size_t *end)
{
    if (!self || !text)
        return NULL;
    //  A window of words slides over the text; at each word, the longest
    //  run of (noise-free) words that is a key wins.
    enum { WINDOW = 12 };
    word_t window [WINDOW];
    size_t filled = 0, pos = 0;
    bool more = true;
    for (;;) {
        while (more && filled < WINDOW) {
            more = next_word (text, length, &pos, &window [filled]);
            if (more)
                filled++;
        }
        if (filled == 0)
            return NULL;
        word_t words [WINDOW];
        memcpy (words, window, filled * sizeof (word_t));
        size_t leading_noise = noise_length (words, filled, 0);
        size_t count = drop_noise (words, filled);
        //  A name starts at the first word, unless that word is noise
        //  that belongs before a name ("London Borough of ..."): then
        //  the name starts after it.
        for (size_t n = count < MAX_KEY_WORDS ? count : MAX_KEY_WORDS; n > 0; n--) {
            char key [MAX_KEY];
            join_words (words, n, key, sizeof key);
            const ow_authority_t *found = lookup_key (self, key);
            if (found && (leading_noise || words [0].start == window [0].start)) {
                if (start)
                    *start = words [0].start;
                if (end)
                    *end = words [n - 1].end;
                return found;
            }
        }
        size_t step = leading_noise ? leading_noise : 1;
        memmove (window, window + step, (filled - step) * sizeof (word_t));
        filled -= step;
    }
}

size_t
ow_register_size (const ow_register_t *self)
{
    return self ? self->size : 0;
}

const ow_authority_t *
ow_register_at (const ow_register_t *self, size_t index)
{
    return self && index < self->size ? &self->entries [index] : NULL;
}
