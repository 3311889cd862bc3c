/*  ex_features — statements to named features to liblinear vectors.

    Words are runs of ASCII letters, lower-cased and stemmed; a run of
    digits is "<num>", or "<year>" when it looks like one; an apostrophe
    ends a word ("children's" is "children"), so does a hyphen. Feature
    names carry a prefix saying what they are: w= word, b= word pair,
    f= the first word (past "However," and the like), g= the first pair,
    s= a word of the subject (the words before the first verb), n= a
    word a negation governs, h= heading, l= lead-in, k= writer, t= theme
    lexicon, o= theme lexicon over the opening words, u= over the
    subject, d= over what the visit looked at, p= polarity lexicon, r=
    the side the polarity lexicon gives the main clause of a mixed
    statement (rm= the same, for a statement that is mixed), x= what a
    statement does beside what it says (a plan, an account of what
    people told the inspectors, background, a few people, a shortfall, a
    fall of something bad to have), and a few flags (a list item, no
    full stop, a titled item, sentences joined, a judgement attributed
    to inspectors, quoted speech, a percentage).

    The vocabulary is an open-addressing hash table over the names, with
    the names in column order beside it.
*/

#include "ex_features.h"
#include "ex_text.h"
#include "ow_pb.h"
#include "ow_vocab.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <libstemmer.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 48
#define OPENING_WORDS 8             // where a statement names what it judges
#define LEXICON_CAP 9               // lexicon scores above this say nothing more
#define NEGATION_SCOPE 3            // words a negation governs

typedef struct {
    char *name;
    double value;
} named_t;

struct _ex_features_t {
    const ex_lexicon_t *polarity, *themes;
    struct sb_stemmer *stemmer;
    named_t *named;                 // this statement's features
    size_t count, capacity;
    char **stems;                   // this statement's words
    size_t *starts;                 // where each word starts in the text
    bool *breaks;                   // a clause ends before the word (, ; : ( .)
    size_t n_stems, stems_capacity;
    struct feature_node *vector;
    size_t vector_capacity;
};

struct _ex_vocabulary_t {
    char **names;                   // names [column - 1]
    size_t count, capacity;
    int *slots;                     // columns, 0 empty; size a power of two
    size_t n_slots;
};

//  ---------------------------------------------------------------------
//  Vocabulary

static uint64_t
hash_name (const char *name)
{
    uint64_t hash = 1469598103934665603ULL;
    for (const unsigned char *c = (const unsigned char *) name; *c; c++)
        hash = (hash ^ *c) * 1099511628211ULL;
    return hash;
}

ex_vocabulary_t *
ex_vocabulary_new (void)
{
    ex_vocabulary_t *self = ow_calloc (1, sizeof (ex_vocabulary_t));
    self->n_slots = 1024;
    self->slots = ow_calloc (self->n_slots, sizeof (int));
    return self;
}

void
ex_vocabulary_destroy (ex_vocabulary_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ex_vocabulary_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        free (self->names [i]);
    free (self->names);
    free (self->slots);
    free (self);
    *self_p = NULL;
}

//  The slot that holds name, or the empty slot where it would go.
static size_t
slot_of (const ex_vocabulary_t *self, const char *name)
{
    size_t mask = self->n_slots - 1;
    size_t slot = (size_t) hash_name (name) & mask;
    while (self->slots [slot] && strcmp (self->names [self->slots [slot] - 1], name) != 0)
        slot = (slot + 1) & mask;
    return slot;
}

static void
grow_slots (ex_vocabulary_t *self)
{
    free (self->slots);
    self->n_slots *= 2;
    self->slots = ow_calloc (self->n_slots, sizeof (int));
    for (size_t i = 0; i < self->count; i++)
        self->slots [slot_of (self, self->names [i])] = (int) i + 1;
}

int
ex_vocabulary_find (const ex_vocabulary_t *self, const char *name)
{
    return self->slots [slot_of (self, name)];
}

int
ex_vocabulary_add (ex_vocabulary_t *self, const char *name)
{
    size_t slot = slot_of (self, name);
    if (self->slots [slot])
        return self->slots [slot];
    if (self->count == self->capacity) {
        self->capacity = self->capacity ? self->capacity * 2 : 1024;
        self->names = realloc (self->names, self->capacity * sizeof (char *));
        if (!self->names)
            abort ();
    }
    self->names [self->count++] = ow_strdup (name);
    self->slots [slot] = (int) self->count;
    if (self->count * 2 > self->n_slots)
        grow_slots (self);
    return (int) self->count;
}

size_t
ex_vocabulary_size (const ex_vocabulary_t *self)
{
    return self->count;
}

const char *
ex_vocabulary_name (const ex_vocabulary_t *self, int column)
{
    assert (column >= 1 && (size_t) column <= self->count);
    return self->names [column - 1];
}

ex_vocabulary_t *
ex_vocabulary_load (const char *path, char **error)
{
    FILE *file = fopen (path, "r");
    if (!file) {
        *error = ow_printf ("%s: %s", path, strerror (errno));
        return NULL;
    }
    ex_vocabulary_t *self = ex_vocabulary_new ();
    char *line = NULL;
    size_t size = 0;
    ssize_t read;
    while ((read = getline (&line, &size, file)) > 0) {
        while (read > 0 && (line [read - 1] == '\n' || line [read - 1] == '\r'))
            line [--read] = '\0';
        if (!read || (size_t) ex_vocabulary_add (self, line) != self->count) {
            *error = ow_printf ("%s line %zu: an empty or repeated feature name", path,
                                self->count + 1);
            ex_vocabulary_destroy (&self);
            break;
        }
    }
    free (line);
    fclose (file);
    return self;
}

bool
ex_vocabulary_save (const ex_vocabulary_t *self, const char *path, char **error)
{
    FILE *file = fopen (path, "w");
    if (!file) {
        *error = ow_printf ("%s: %s", path, strerror (errno));
        return false;
    }
    for (size_t i = 0; i < self->count; i++)
        fprintf (file, "%s\n", self->names [i]);
    if (fclose (file) != 0) {
        *error = ow_printf ("%s: %s", path, strerror (errno));
        return false;
    }
    return true;
}

//  ---------------------------------------------------------------------
//  Features

ex_features_t *
ex_features_new (const ex_lexicon_t *polarity, const ex_lexicon_t *themes)
{
    ex_features_t *self = ow_calloc (1, sizeof (ex_features_t));
    self->polarity = polarity;
    self->themes = themes;
    self->stemmer = sb_stemmer_new ("english", NULL);
    if (!self->stemmer)
        abort ();
    return self;
}

static void
clear (ex_features_t *self)
{
    for (size_t i = 0; i < self->count; i++)
        free (self->named [i].name);
    self->count = 0;
    for (size_t i = 0; i < self->n_stems; i++)
        free (self->stems [i]);
    self->n_stems = 0;
}

void
ex_features_destroy (ex_features_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ex_features_t *self = *self_p;
    clear (self);
    free (self->named);
    free (self->stems);
    free (self->starts);
    free (self->breaks);
    free (self->vector);
    sb_stemmer_delete (self->stemmer);
    free (self);
    *self_p = NULL;
}

size_t
ex_features_count (const ex_features_t *self)
{
    return self->count;
}

const char *
ex_features_name (const ex_features_t *self, size_t index)
{
    assert (index < self->count);
    return self->named [index].name;
}

static void
add (ex_features_t *self, char *name, double value)
{
    if (self->count == self->capacity) {
        self->capacity = self->capacity ? self->capacity * 2 : 256;
        self->named = realloc (self->named, self->capacity * sizeof (named_t));
        if (!self->named)
            abort ();
    }
    self->named [self->count++] = (named_t) { name, value };
}

static void
add_stem (ex_features_t *self, const char *word, size_t length, size_t start, bool after_break)
{
    const sb_symbol *stem = sb_stemmer_stem (self->stemmer, (const sb_symbol *) word, (int) length);
    if (self->n_stems == self->stems_capacity) {
        self->stems_capacity = self->stems_capacity ? self->stems_capacity * 2 : 64;
        self->stems = realloc (self->stems, self->stems_capacity * sizeof (char *));
        self->starts = realloc (self->starts, self->stems_capacity * sizeof (size_t));
        self->breaks = realloc (self->breaks, self->stems_capacity * sizeof (bool));
        if (!self->stems || !self->starts || !self->breaks)
            abort ();
    }
    self->starts [self->n_stems] = start;
    self->breaks [self->n_stems] = after_break;
    self->stems [self->n_stems++] = stem ? ow_strndup ((const char *) stem, (size_t) sb_stemmer_length (self->stemmer))
                                         : ow_strndup (word, length);
}

static bool
is_clause_break (char c)
{
    return c == ',' || c == ';' || c == ':' || c == '.' || c == '(' || c == ')' || c == '?'
        || c == '!';
}

//  The statement's words, stemmed, into self->stems, with where each
//  starts and whether a clause ended before it.
static void
read_words (ex_features_t *self, const char *text, size_t length)
{
    char word [MAX_WORD + 1];
    bool after_break = false;
    for (size_t i = 0; i < length;) {
        unsigned char c = (unsigned char) text [i];
        if (isalpha (c)) {
            size_t n = 0, start = i;
            while (i < length && isalpha ((unsigned char) text [i])) {
                if (n < MAX_WORD)
                    word [n++] = (char) tolower ((unsigned char) text [i]);
                i++;
            }
            if (n > 1) {
                add_stem (self, word, n, start, after_break);
                after_break = false;
            }
        }
        else
        if (isdigit (c)) {
            size_t start = i;
            while (i < length && isdigit ((unsigned char) text [i]))
                i++;
            bool year = i - start == 4 && (text [start] == '1' || text [start] == '2');
            const char *token = year ? "<year>" : "<num>";
            add_stem (self, token, strlen (token), start, after_break);
            after_break = false;
        }
        else {
            after_break |= is_clause_break ((char) c);
            i++;
        }
    }
}

//  Connectives that open a sentence without saying what it is about.
static size_t
opening (const ex_features_t *self)
{
    static const char *skip [] = { "howev", "therefor", "consequ", "as", "result", "in", "addit",
                                   "also", "overal", "nevertheless", "furthermor", "moreov", NULL };
    size_t i = 0;
    while (i < self->n_stems && i < 3) {
        bool skipped = false;
        for (size_t k = 0; skip [k]; k++)
            if (strcmp (self->stems [i], skip [k]) == 0)
                skipped = true;
        if (!skipped)
            break;
        i++;
    }
    return i < self->n_stems ? i : 0;
}

static void
add_lexicon (ex_features_t *self, const ex_lexicon_t *lexicon, const ProtobufCEnumDescriptor *values,
             const char *prefix, const char *text, size_t length)
{
    if (!lexicon)
        return;
    ex_scores_t scores;
    ex_lexicon_score (lexicon, text, length, &scores);
    for (int value = 1; value < EX_LEXICON_VALUES; value++) {
        if (scores.score [value] <= 0)
            continue;
        const char *word = ow_vocab_word (values, value);
        int score = scores.score [value] < LEXICON_CAP ? scores.score [value] : LEXICON_CAP;
        if (word)
            add (self, ow_printf ("%s%s", prefix, word), (double) score / 3.0);
    }
}

//  The first OPENING_WORDS words of the text, as a length in bytes.
static size_t
opening_length (const char *text, size_t length)
{
    unsigned words = 0;
    for (size_t i = 0; i < length; i++)
        if (text [i] == ' ' && ++words == OPENING_WORDS)
            return i;
    return length;
}

//  True when the turn ending at `after` only qualifies the subject:
//  its clause closes with a comma that the main verb follows
//  ("Planning for children ..., but where adopters have not yet been
//  identified, is both timely and child-centred").
static bool
parenthetical (const char *text, size_t length, size_t after)
{
    static const char *verbs [] = { " is ", " are ", " was ", " were ", " has ", " have ", NULL };
    const char *comma = memchr (text + after, ',', length - after);
    if (!comma)
        return false;
    size_t at = (size_t) (comma - text) + 1;
    for (size_t i = 0; verbs [i]; i++)
        if (length - at >= strlen (verbs [i]) && strncmp (text + at, verbs [i], strlen (verbs [i])) == 0)
            return true;
    return false;
}

//  The clause a mixed statement stands on: what follows a concession
//  that opens it ("Although supervision is regular, it lacks ..."), or
//  what follows its last "but" or "however" ("Plans are detailed, but
//  some ..."), up to a concession that follows it ("Return home
//  interviews are offered, although not always in time"). The whole
//  text otherwise. Works on lower-case text.
static ex_span_t
main_clause (const char *text, size_t length)
{
    static const char *concessions [] = { "although ", "though ", "while ", "whilst ", "despite ",
                                          "notwithstanding ", "even though ", NULL };
    static const char *trailing [] = { ", although ", ", though ", ", while ", ", whilst ",
                                       ", even though ", ", despite ", NULL };
    static const char *turns [] = { ", but ", " but ", "; however", ". however", ", however", NULL };
    size_t start = strncmp (text, "however, ", 9) == 0 ? 9 : 0;
    for (size_t i = 0; concessions [i]; i++)
        if (strncmp (text + start, concessions [i], strlen (concessions [i])) == 0) {
            const char *comma = memchr (text + start, ',', length - start);
            if (comma)
                return (ex_span_t) { (size_t) (comma - text) + 1, length };
        }
    size_t from = 0;
    for (size_t i = 0; turns [i]; i++)
        for (const char *at = strstr (text, turns [i]); at && (size_t) (at - text) < length;
             at = strstr (at + 1, turns [i])) {
            size_t after = (size_t) (at - text) + strlen (turns [i]);
            if (after > from && !parenthetical (text, length, after))
                from = after;
        }
    size_t to = length;
    for (size_t i = 0; trailing [i]; i++) {
        const char *at = strstr (text + from, trailing [i]);
        if (at && (size_t) (at - text) < to)
            to = (size_t) (at - text);
    }
    return (ex_span_t) { from, to };
}

//  The side a span takes by the polarity lexicon: "strength",
//  "weakness" or NULL on a tie.
static const char *
side_of (const ex_lexicon_t *polarity, const char *lower, ex_span_t span)
{
    ex_scores_t scores;
    ex_lexicon_score (polarity, lower + span.start, span.end - span.start, &scores);
    int strength = scores.score [OFWATCH__V1__POLARITY__POLARITY_STRENGTH];
    int weakness = scores.score [OFWATCH__V1__POLARITY__POLARITY_WEAKNESS];
    return weakness > strength ? "weakness" : strength > weakness ? "strength" : NULL;
}

//  The side a statement's main clause takes by the polarity lexicon, its
//  whole text breaking a tie: "strength", "weakness" or NULL.
static const char *
lean (const ex_lexicon_t *polarity, const char *text, size_t length, bool *mixed)
{
    char *lower = ow_strndup (text, length);
    for (size_t i = 0; i < length; i++)
        lower [i] = (char) tolower ((unsigned char) lower [i]);
    ex_span_t clause = main_clause (lower, length);
    *mixed = clause.start > 0 || clause.end < length;
    const char *side = side_of (polarity, lower, clause);
    if (!side)
        side = side_of (polarity, lower, (ex_span_t) { 0, length });
    free (lower);
    return side;
}

//  Whether stem is one of a NULL-terminated list of stems.
static bool
is_one_of (const char *stem, const char *const *stems)
{
    for (size_t i = 0; stems [i]; i++)
        if (strcmp (stem, stems [i]) == 0)
            return true;
    return false;
}

//  Where the subject ends: the first word that is a verb of being,
//  having or doing that statements use ("Management oversight of plans
//  | is weak", "Children in care | benefit from ..."). Stems.
static bool
is_main_verb (const char *stem)
{
    static const char *const verbs [] = {
        "is", "are", "was", "were", "has", "have", "had", "do", "doe", "did", "can", "could",
        "will", "would", "should", "may", "might", "must", "remain", "continu", "provid",
        "ensur", "help", "support", "lack", "mean", "need", "lead", "led", "demonstr", "show",
        "includ", "receiv", "benefit", "vari", "take", "took", "make", "made", "use", "know",
        "understand", "work", "enabl", "contribut", "focus", "reflect", "identifi", "consid",
        "recognis", "inform", "result", "keep", "becom", "seek", "promot", "reduc", "requir",
        "offer", "give", "build", "meet", "capture", "captur", "not", NULL
    };
    return is_one_of (stem, verbs);
}

//  A statement that says whose judgement it reports: a council paper's
//  findings are Ofsted's, told at second hand ("Inspectors concluded
//  that ...", "was considered to be ...", "Ofsted identified ...").
bool
ex_features_attributed (const char *text, size_t length)
{
    static const char *phrases [] = {
        "inspectors found", "inspectors concluded", "inspectors noted", "inspectors identified",
        "inspectors saw", "inspectors judged", "inspectors reported", "inspectors recognised",
        "ofsted found", "ofsted identified", "ofsted reported", "ofsted recognised",
        "ofsted noted", "ofsted concluded", "ofsted judged", "ofsted's observation",
        "according to the ofsted", "the ofsted report", "the inspection found",
        "the visit found", "was considered to", "were considered to", "was found to",
        "were found to", "was seen as", "were seen to", "was judged", "were judged",
        "feedback about", "feedback for", "letter identifies", NULL
    };
    char *lower = ow_strndup (text, length);
    for (size_t i = 0; i < length; i++)
        lower [i] = (char) tolower ((unsigned char) lower [i]);
    bool attributed = false;
    for (size_t i = 0; phrases [i] && !attributed; i++)
        attributed = strstr (lower, phrases [i]) != NULL;
    free (lower);
    return attributed;
}

//  Words that negate what follows them within their clause ("not
//  consistently effective", "lack of timely plans", "doesn't record").
static bool
is_negator (const char *stem)
{
    static const char *const negators [] = {
        "not", "no", "never", "nor", "without", "lack", "cannot", "insuffici", "doesn", "don",
        "isn", "aren", "wasn", "weren", "hasn", "haven", "didn", "won", "nobodi", "none", NULL
    };
    return is_one_of (stem, negators);
}

//  n= features: the words a negation governs, so that "effective" after
//  "not" weighs on its own.
static void
add_negated (ex_features_t *self)
{
    size_t scope = 0;
    for (size_t i = 0; i < self->n_stems; i++) {
        if (self->breaks [i])
            scope = 0;
        if (is_negator (self->stems [i])) {
            scope = NEGATION_SCOPE;
            continue;
        }
        if (scope) {
            add (self, ow_printf ("n=%s", self->stems [i]), 1);
            scope--;
        }
    }
}

//  True when the text quotes someone's words (three words or more
//  between quotation marks): an illustration, not the inspectors' own
//  judgement.
static bool
quotes_speech (const char *text, size_t length)
{
    static const char *pairs [][2] = {
        { "\xE2\x80\x98", "\xE2\x80\x99" }, { "\xE2\x80\x9C", "\xE2\x80\x9D" }, { "\"", "\"" }
    };
    for (size_t p = 0; p < sizeof pairs / sizeof pairs [0]; p++) {
        size_t open_length = strlen (pairs [p][0]), close_length = strlen (pairs [p][1]);
        for (size_t i = 0; i + open_length <= length; i++) {
            if (memcmp (text + i, pairs [p][0], open_length) != 0)
                continue;
            unsigned spaces = 0;
            for (size_t j = i + open_length; j + close_length <= length; j++) {
                if (text [j] == ' ')
                    spaces++;
                else
                if (memcmp (text + j, pairs [p][1], close_length) == 0
                &&  (j + close_length == length || !isalpha ((unsigned char) text [j + close_length]))) {
                    if (spaces >= 2)
                        return true;
                    i = j;
                    break;
                }
            }
        }
    }
    return false;
}

//  ---------------------------------------------------------------------
//  Markers: what a statement does, beside what it says. Each is a
//  feature the models weigh, not a rule: "will be" opens a plan as often
//  as it closes a judgement ("Children will be better protected when
//  ..."), and the labelled set decides how much each counts.

//  True when a phrase of the list starts a word of lower (a phrase ending
//  in a space must be followed by one).
static bool
says_any (const char *lower, const char *const *phrases)
{
    for (size_t i = 0; phrases [i]; i++)
        for (const char *at = strstr (lower, phrases [i]); at; at = strstr (at + 1, phrases [i]))
            if (at == lower || !isalpha ((unsigned char) at [-1]))
                return true;
    return false;
}

//  What the council or its leaders plan, intend or have only begun: no
//  judgement of services as they are ("Additional social workers ... are
//  due to begin in October", "is in the process of finalising its plan").
static const char *const s_plans [] = {
    "due to ", "in the process of", "plans to ", "plan to ", "planning to ", "intends to ",
    "intend to ", "will be ", "will ", "is developing", "are developing", "being developed",
    "is being ", "are being ", "year ahead", "in its infancy", "early stages", "going forward",
    "recently introduced", "has been introduced", "have been introduced", "has resumed",
    "have resumed", "recently appointed", "have been recruited", "has been recruited",
    "is planned", "are planned", "has been commissioned", "have introduced", "has introduced",
    "are addressing", "is addressing", "top priority", NULL
};

//  What people told the inspectors: an account, not the inspectors' own
//  evaluation ("A small number of older care leavers expressed some
//  concerns to inspectors").
static const char *const s_reported [] = {
    "told inspectors", "to inspectors", "told us", "said that", "say that", "says that",
    "expressed", "spoke ", "described ", "describe ", "reported that they", "feel that",
    "felt that", NULL
};

//  A statement about a handful of people: an illustration as often as a
//  finding ("only one care leaver is in an apprenticeship").
static const char *const s_few [] = {
    "a small number of", "a few ", "only one ", "one young person", "one child ", "one care leaver",
    "one parent", "one worker", NULL
};

//  Background: what changed around the services, not how good they are
//  (leaders' changes, the pandemic, the time since an inspection).
static const char *const s_context [] = {
    "pandemic", "covid", "lockdown", "since the last inspection", "since the inspection",
    "changes of", "interim ", "acting ", "has been in post", "have been in post", "newly appointed",
    NULL
};

//  A shortfall said without a word of the polarity lexicon: "not
//  enough", "too few", what "should be" done "sooner", what "could be
//  further strengthened", progress "slower than planned".
static const char *const s_shortfall [] = {
    "not enough", "too few", "sooner", "slower than", "should be ", "should have", "could be ",
    "would benefit", "long way to go", "further strengthened", "further developed",
    "not all ", "not every", "less than", "fewer than", NULL
};

//  Stems of what is bad to have: when it falls, the statement is good
//  news however the lexicon scores it ("Staff turnover has fallen",
//  "fewer delays", "the proportion ... judged inadequate has fallen").
static bool
is_bad_to_have (const char *stem)
{
    static const char *bad [] = {
        "turnov", "inadequ", "delay", "drift", "vacanc", "agenc", "relianc", "exclus", "absenc",
        "backlog", "wait", "churn", "caseload", "rereferr", "re-referr", "sick", "complaint",
        "repeat", "concern", NULL
    };
    for (size_t i = 0; bad [i]; i++)
        if (strncmp (stem, bad [i], strlen (bad [i])) == 0)
            return true;
    return false;
}

//  Stems of a fall ("has fallen", "reduced", "fewer", "decreased").
static bool
is_decline (const char *stem)
{
    static const char *const declines [] = {
        "fallen", "fell", "fall", "reduc", "decreas", "declin", "fewer", "lower", "less", "drop", NULL
    };
    return is_one_of (stem, declines);
}

//  x=decline_bad: a fall of something bad to have, in one clause: before
//  the fall in its subject ("Staff turnover has fallen"), or just after
//  it ("fewer delays", "reduced drift").
static bool
declines_bad (const ex_features_t *self)
{
    for (size_t i = 0; i < self->n_stems; i++) {
        if (!is_decline (self->stems [i]))
            continue;
        for (size_t j = i; j > 0 && !self->breaks [j]; j--)
            if (is_bad_to_have (self->stems [j - 1]))
                return true;
        for (size_t j = i + 1; j < self->n_stems && j <= i + 2 && !self->breaks [j]; j++)
            if (is_bad_to_have (self->stems [j]))
                return true;
    }
    return false;
}

//  A negation that governs "enough" in its clause ("do not take place
//  swiftly enough", "are not seen often enough").
static bool
not_enough (const ex_features_t *self)
{
    for (size_t i = 0; i < self->n_stems; i++)
        if (is_negator (self->stems [i]))
            for (size_t j = i + 1; j < self->n_stems && j <= i + 6 && !self->breaks [j]; j++)
                if (strcmp (self->stems [j], "enough") == 0)
                    return true;
    return false;
}

static void
add_markers (ex_features_t *self, const char *text, size_t length)
{
    char *lower = ow_strndup (text, length);
    for (size_t i = 0; i < length; i++)
        lower [i] = (char) tolower ((unsigned char) lower [i]);
    if (says_any (lower, s_plans))
        add (self, ow_strdup ("x=plan"), 1);
    if (says_any (lower, s_reported))
        add (self, ow_strdup ("x=reported"), 1);
    if (says_any (lower, s_few))
        add (self, ow_strdup ("x=few"), 1);
    if (says_any (lower, s_context))
        add (self, ow_strdup ("x=context"), 1);
    if (says_any (lower, s_shortfall) || not_enough (self))
        add (self, ow_strdup ("x=shortfall"), 1);
    if (declines_bad (self))
        add (self, ow_strdup ("x=decline_bad"), 1);
    free (lower);
}

static const char *
length_band (size_t words)
{
    return words < 10 ? "len=short" : words < 25 ? "len=mid" : words < 45 ? "len=long" : "len=very";
}

static void
make_features (ex_features_t *self, const ex_feature_input_t *input)
{
    clear (self);
    read_words (self, input->text, input->length);
    for (size_t i = 0; i < self->n_stems; i++) {
        add (self, ow_printf ("w=%s", self->stems [i]), 1);
        if (i + 1 < self->n_stems)
            add (self, ow_printf ("b=%s_%s", self->stems [i], self->stems [i + 1]), 1.5);
    }
    size_t first = opening (self);
    if (first < self->n_stems) {
        add (self, ow_printf ("f=%s", self->stems [first]), 1);
        if (first + 1 < self->n_stems)
            add (self, ow_printf ("g=%s_%s", self->stems [first], self->stems [first + 1]), 1);
    }
    size_t verb = first;
    for (; verb < self->n_stems && verb < first + 2 * OPENING_WORDS
           && !is_main_verb (self->stems [verb]); verb++)
        add (self, ow_printf ("s=%s", self->stems [verb]), 1);
    //  What the subject names is what a statement most often judges.
    if (first < self->n_stems && verb > first) {
        size_t from = self->starts [first];
        size_t to = verb < self->n_stems ? self->starts [verb] : input->length;
        add_lexicon (self, self->themes, &ofwatch__v1__theme__descriptor, "u=",
                     input->text + from, to - from);
    }
    add_negated (self);
    add_markers (self, input->text, input->length);
    add (self, ow_printf ("h=%s", ex_context_word (input->heading)), 1);
    add (self, ow_printf ("l=%s", ex_context_word (input->lead_in)), 1);
    add (self, ow_strdup (input->council ? "k=council" : "k=ofsted"), 1);
    add (self, ow_strdup (length_band (self->n_stems)), 1);
    if (input->item)
        add (self, ow_strdup ("item"), 1);
    if (!input->terminated)
        add (self, ow_strdup ("unterminated"), 1);
    if (input->titled)
        add (self, ow_strdup ("titled"), 1);
    if (input->sentences > 1)
        add (self, ow_strdup ("joined"), 1);
    if (ex_features_attributed (input->text, input->length))
        add (self, ow_strdup ("attributed"), 1);
    if (quotes_speech (input->text, input->length))
        add (self, ow_strdup ("quoted"), 1);
    if (memchr (input->text, '%', input->length))
        add (self, ow_strdup ("percent"), 1);
    add_lexicon (self, self->polarity, &ofwatch__v1__polarity__descriptor, "p=",
                 input->text, input->length);
    bool mixed = false;
    const char *side = self->polarity ? lean (self->polarity, input->text, input->length, &mixed)
                                      : NULL;
    //  A fall of something bad to have is good news, whatever the
    //  lexicon makes of its words ("Staff turnover has fallen"); in a
    //  mixed statement the main clause still decides.
    if (!mixed && declines_bad (self))
        side = "strength";
    if (side)
        add (self, ow_printf ("r=%s", side), 1);
    //  The side of a statement that weighs both, on its own column: the
    //  whole text's words pull both ways there, and the main clause
    //  decides ("..., although these are not consistently timely").
    if (side && mixed)
        add (self, ow_printf ("rm=%s", side), 1);
    add_lexicon (self, self->themes, &ofwatch__v1__theme__descriptor, "t=",
                 input->text, input->length);
    add_lexicon (self, self->themes, &ofwatch__v1__theme__descriptor, "o=",
                 input->text, opening_length (input->text, input->length));
    if (input->focus)
        add_lexicon (self, self->themes, &ofwatch__v1__theme__descriptor, "d=",
                     input->focus, strlen (input->focus));
}

static int
compare_nodes (const void *a, const void *b)
{
    const struct feature_node *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

const struct feature_node *
ex_features_vector (ex_features_t *self, const ex_feature_input_t *input,
                    ex_vocabulary_t *vocabulary, bool grow, double bias)
{
    make_features (self, input);
    if (self->vector_capacity < self->count + 2) {
        self->vector_capacity = self->count + 2;
        self->vector = realloc (self->vector, self->vector_capacity * sizeof (struct feature_node));
        if (!self->vector)
            abort ();
    }
    size_t n = 0;
    for (size_t i = 0; i < self->count; i++) {
        int column = grow ? ex_vocabulary_add (vocabulary, self->named [i].name)
                          : ex_vocabulary_find (vocabulary, self->named [i].name);
        if (column)
            self->vector [n++] = (struct feature_node) { column, self->named [i].value };
    }
    //  One entry a column: a word said twice is said.
    qsort (self->vector, n, sizeof (struct feature_node), compare_nodes);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++)
        if (!unique || self->vector [unique - 1].index != self->vector [i].index)
            self->vector [unique++] = self->vector [i];
    double norm = 0;
    for (size_t i = 0; i < unique; i++)
        norm += self->vector [i].value * self->vector [i].value;
    norm = sqrt (norm);
    for (size_t i = 0; norm > 0 && i < unique; i++)
        self->vector [i].value /= norm;
    if (bias >= 0)
        self->vector [unique++] = (struct feature_node) { (int) ex_vocabulary_size (vocabulary) + 1, bias };
    self->vector [unique].index = -1;
    return self->vector;
}
