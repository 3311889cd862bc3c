/*  ex_statements — lines to blocks to sentences to statements.

    Three passes over the range:

    1. lines: each line's trimmed span, where its words start (past a
       bullet, "(a)" or "4.3"), and whether it is blank or furniture. A
       line is furniture when the same words (digits aside) make three or
       more lines of the range and no sentence ends on it, or when it is
       a bare page number.
    2. blocks: consecutive lines that belong together (a paragraph or a
       list item), with the heading and lead-in in force. A line joins
       the open block when it starts in lower case (whatever came
       between), or when the block's last line did not end a sentence, or
       ended one but ran to the full width of the page (the paragraph
       goes on); it opens a new block when it is a bullet or a number,
       follows a gap or a lead-in, or is a heading.
    3. statements: a block's lines joined into one buffer (remembering
       where each byte came from), cut into sentences, sentences that
       refer back joined to their predecessor, and what is not whole
       left out.

    The wrap width (the 90th percentile of line lengths) is what "full
    width" and "short" are measured against: Ofsted's PDFs wrap near 90
    bytes, council text files hold a paragraph a line.
*/

#include "ex_statements.h"
#include "ex_lists.h"
#include "ow_pb.h"

#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FURNITURE_REPEATS 3         // a line printed this often is page furniture
#define FURNITURE_MAX 160           // bytes; longer lines are prose
#define HEADING_MAX_WORDS 12
#define HEADING_SHARE 0.75          // of the wrap width: a heading is shorter
#define FULL_LINE_SHARE 0.80        // a line this wide goes on to the next
#define MIN_WORDS 4
#define MAX_STATEMENT 1500          // bytes
#define MAX_QUOTE 400               // an opening quote unclosed this long was none
#define MAX_OPENING_WORDS 15        // an opening phrase before the main clause

enum {
    LINE_BLANK = 1,
    LINE_FURNITURE = 2,
    LINE_BULLET = 4,                // opens a bullet or lettered item
    LINE_NUMBERED = 8,              // opens a numbered paragraph
    LINE_STOP = 16                  // "Yours sincerely": the letter's prose ends
};

typedef struct {
    ex_span_t span;                 // trimmed
    size_t body;                    // where the words start
    unsigned words;
    unsigned flags;
    uint64_t hash;                  // of the words, digits aside
} line_t;

typedef struct {
    const char *text;
    const ex_headings_t *headings;
    line_t *lines;
    size_t n_lines;
    size_t width;                   // wrap width in bytes
    ex_context_t heading;           // of the last heading
    ex_context_t lead_in;           // of the list being read, or NONE
    ex_statements_t *out;
} reader_t;

typedef struct {
    size_t first, last;             // line indices, inclusive
    size_t title;                   // an item's title line, or SIZE_MAX
    bool item;
} block_t;

//  ---------------------------------------------------------------------
//  Characters

static bool
is_upper_start (const char *text, size_t pos, size_t end)
{
    //  Opening quotes and brackets may come first: "'Children are..."
    while (pos < end) {
        unsigned char c = (unsigned char) text [pos];
        if (c == '\'' || c == '"' || c == '(' || c == '[')
            pos++;
        else
        if (c == 0xE2 && pos + 2 < end && (unsigned char) text [pos + 1] == 0x80
        &&  ((unsigned char) text [pos + 2] == 0x98 || (unsigned char) text [pos + 2] == 0x9C))
            pos += 3;
        else
            break;
    }
    return pos < end && (isupper ((unsigned char) text [pos]) || isdigit ((unsigned char) text [pos]));
}

static bool
is_lower_start (const char *text, size_t pos, size_t end)
{
    if (pos >= end)
        return false;
    unsigned char c = (unsigned char) text [pos];
    return islower (c) || c == ',' || c == ';' || c == ')';
}

//  Length of a closing quote or bracket at pos, 0 when none.
static size_t
closer_at (const char *text, size_t pos, size_t end)
{
    unsigned char c = (unsigned char) text [pos];
    if (c == ')' || c == ']' || c == '"' || c == '\'')
        return 1;
    if (c == 0xE2 && pos + 2 < end && (unsigned char) text [pos + 1] == 0x80
    &&  ((unsigned char) text [pos + 2] == 0x99 || (unsigned char) text [pos + 2] == 0x9D))
        return 3;
    return 0;
}

//  The last character of a span, quotes and brackets aside.
static char
last_char (const char *text, ex_span_t span)
{
    size_t end = span.end;
    while (end > span.start) {
        size_t back = end - 1;
        while (back > span.start && ((unsigned char) text [back] & 0xC0) == 0x80)
            back--;
        if (closer_at (text, back, end) && back > span.start)
            end = back;
        else
            break;
    }
    return end > span.start ? text [end - 1] : '\0';
}

static bool
ends_sentence (const char *text, ex_span_t span)
{
    char c = last_char (text, span);
    return c == '.' || c == '?' || c == '!';
}

static bool
ends_open (const char *text, ex_span_t span)
{
    char c = last_char (text, span);
    return c == ':' || c == ';' || c == ',';
}

//  ---------------------------------------------------------------------
//  Pass 1: lines

static uint64_t
words_hash (const char *text, ex_span_t span)
{
    uint64_t hash = 1469598103934665603ULL;
    for (size_t i = span.start; i < span.end; i++) {
        unsigned char c = (unsigned char) text [i];
        if (isdigit (c) || isspace (c))
            continue;
        hash = (hash ^ c) * 1099511628211ULL;
    }
    return hash;
}

static bool
is_page_number (const char *text, ex_span_t span)
{
    if (span.end == span.start || span.end - span.start > 4)
        return false;
    for (size_t i = span.start; i < span.end; i++)
        if (!isdigit ((unsigned char) text [i]))
            return false;
    return true;
}

//  Where the words of a line start: past a bullet, past "(a)", "a)",
//  "(iv)", and past a paragraph number ("4.", "4.3", "12 "). Sets the
//  line's flags.
static void
read_marker (const char *text, line_t *line)
{
    size_t pos = line->span.start, end = line->span.end;
    size_t bullet = ex_bullet_at (text, end, pos);
    if (bullet) {
        line->flags |= LINE_BULLET;
        pos += bullet;
        while (pos < end && (text [pos] == ' ' || text [pos] == '\t'))
            pos++;
    }
    //  "(a)", "a)", "(iv)", "iv)"
    size_t p = pos + (pos < end && text [pos] == '(');
    size_t letters = 0;
    while (p + letters < end && islower ((unsigned char) text [p + letters]) && letters < 4)
        letters++;
    bool closed = letters && p + letters < end && text [p + letters] == ')'
               && (letters == 1 || strspn (text + p, "ivx") >= letters);
    bool dotted = letters == 1 && p == pos && p + 2 < end && text [p + 1] == '.'
               && text [p + 2] == ' ' && is_upper_start (text, p + 3, end);
    if (closed || dotted) {
        line->flags |= LINE_BULLET;
        pos = p + letters + 1;
    }
    else {
        //  "4.", "4.3", "12 " followed by a capital; "1.When" as poppler
        //  prints a numbered paragraph.
        size_t digits = 0;
        while (pos + digits < end && isdigit ((unsigned char) text [pos + digits]) && digits < 3)
            digits++;
        size_t q = pos + digits;
        if (digits && q < end && text [q] == '.' && q + 1 < end && isdigit ((unsigned char) text [q + 1])) {
            q++;
            while (q < end && isdigit ((unsigned char) text [q]))
                q++;
        }
        if (digits && q < end && (text [q] == '.' || text [q] == ')'))
            q++;
        size_t words = q;
        while (words < end && (text [words] == ' ' || text [words] == '\t'))
            words++;
        if (digits && words < end && (words > q || text [q - 1] == '.')
        &&  is_upper_start (text, words, end)) {
            //  "- 10 These outcomes ...": a numbered paragraph that a
            //  converted document put a bullet before.
            line->flags &= ~LINE_BULLET;
            line->flags |= LINE_NUMBERED;
            pos = words;
        }
    }
    while (pos < end && (text [pos] == ' ' || text [pos] == '\t'))
        pos++;
    line->body = pos;
}

static unsigned
count_words (const char *text, size_t from, size_t to)
{
    unsigned words = 0;
    bool in_word = false;
    for (size_t i = from; i < to; i++) {
        bool space = isspace ((unsigned char) text [i]);
        if (!space && !in_word)
            words++;
        in_word = !space;
    }
    return words;
}

static bool
is_stop (const char *text, const line_t *line)
{
    static const char *stops [] = { "Yours sincerely", "Yours faithfully", "Your sincerely", NULL };
    for (size_t i = 0; stops [i]; i++)
        if (ex_at (text, line->span.end, line->body, stops [i]))
            return true;
    return false;
}

static int
compare_hashes (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return (x > y) - (x < y);
}

static int
compare_sizes (const void *a, const void *b)
{
    size_t x = *(const size_t *) a, y = *(const size_t *) b;
    return (x > y) - (x < y);
}

//  Times hash occurs in the sorted array.
static size_t
occurrences (const uint64_t *sorted, size_t count, uint64_t hash)
{
    size_t low = 0, high = count;
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (sorted [mid] < hash)
            low = mid + 1;
        else
            high = mid;
    }
    size_t n = 0;
    while (low + n < count && sorted [low + n] == hash)
        n++;
    return n;
}

#define MAX_INSERTION 4            // lines

static bool skipped (const line_t *line);
static bool is_short (const reader_t *self, const line_t *line, double share);

//  A footnote or caption that the page put in the middle of a sentence:
//  a few lines that start a sentence and end one, after a line that
//  stops mid-sentence and before a line that carries it on in lower
//  case ("... through to / The areas for improvement have been cross-
//  referenced ... children's social care. / leadership development,
//  reflects ..."). Such lines are left out like furniture.
static bool is_abbreviation (const char *s, size_t dot);

//  True when line j ends a sentence that the line after it does not
//  carry on, although that line starts in lower case: the sentence was an
//  insertion (its full stop is no abbreviation's).
static bool
ends_insertion (const reader_t *self, size_t j)
{
    const line_t *line = &self->lines [j];
    if (skipped (line) || (line->flags & (LINE_BULLET | LINE_NUMBERED))
    ||  !ends_sentence (self->text, line->span) || j + 1 >= self->n_lines)
        return false;
    const line_t *after = &self->lines [j + 1];
    if (skipped (after) || (after->flags & (LINE_BULLET | LINE_NUMBERED))
    ||  !is_lower_start (self->text, after->body, after->span.end))
        return false;
    size_t dot = line->span.end - 1;
    while (dot > line->span.start && self->text [dot] != '.' && self->text [dot] != '?'
        && self->text [dot] != '!')
        dot--;
    return self->text [dot] != '.' || !is_abbreviation (self->text, dot);
}

//  A footnote or caption that the page put in the middle of a sentence:
//  a few lines that start a sentence and end one, after a full line that
//  stops mid-sentence and before a line that carries it on in lower
//  case ("... through to / The areas for improvement have been cross-
//  referenced ... children's social care. / leadership development,
//  reflects ..."). The shortest such run is left out like furniture.
static void
mark_insertions (reader_t *self)
{
    const char *text = self->text;
    for (size_t j = 1; j < self->n_lines; j++) {
        if (!ends_insertion (self, j))
            continue;
        for (size_t i = j; i >= 1 && i + MAX_INSERTION > j; i--) {
            const line_t *first = &self->lines [i], *before = &self->lines [i - 1];
            if (i < j && (skipped (first) || ends_sentence (text, first->span)
                          || (first->flags & (LINE_BULLET | LINE_NUMBERED))))
                break;
            if (skipped (before) || ends_sentence (text, before->span) || ends_open (text, before->span)
            ||  is_short (self, before, FULL_LINE_SHARE)
            ||  !is_upper_start (text, first->body, first->span.end))
                continue;
            for (size_t k = i; k <= j; k++)
                self->lines [k].flags |= LINE_FURNITURE;
            break;
        }
    }
}

static void
read_lines (reader_t *self, size_t length, size_t from, size_t to)
{
    size_t capacity = 256;
    self->lines = ow_calloc (capacity, sizeof (line_t));
    size_t pos = from;
    ex_span_t span;
    while (pos < to && ex_next_line (self->text, to, &pos, &span)) {
        if (self->n_lines == capacity) {
            capacity *= 2;
            self->lines = realloc (self->lines, capacity * sizeof (line_t));
            if (!self->lines)
                abort ();
        }
        line_t *line = &self->lines [self->n_lines++];
        memset (line, 0, sizeof *line);
        line->span = ex_trim (self->text, span);
        if (line->span.end == line->span.start) {
            line->flags = LINE_BLANK;
            continue;
        }
        read_marker (self->text, line);
        line->words = count_words (self->text, line->body, line->span.end);
        line->hash = words_hash (self->text, line->span);
        if (is_stop (self->text, line))
            line->flags |= LINE_STOP;
    }
    (void) length;
    //  Furniture: repeated lines on which no sentence ends.
    uint64_t *hashes = ow_calloc (self->n_lines + 1, sizeof (uint64_t));
    size_t *widths = ow_calloc (self->n_lines + 1, sizeof (size_t));
    size_t n = 0;
    for (size_t i = 0; i < self->n_lines; i++)
        if (!(self->lines [i].flags & LINE_BLANK)) {
            hashes [n] = self->lines [i].hash;
            widths [n++] = self->lines [i].span.end - self->lines [i].span.start;
        }
    qsort (hashes, n, sizeof (uint64_t), compare_hashes);
    qsort (widths, n, sizeof (size_t), compare_sizes);
    self->width = n ? widths [(n * 9) / 10] : 0;
    for (size_t i = 0; i < self->n_lines; i++) {
        line_t *line = &self->lines [i];
        if (line->flags & LINE_BLANK)
            continue;
        size_t bytes = line->span.end - line->span.start;
        if (is_page_number (self->text, line->span)
        ||  (bytes <= FURNITURE_MAX && !ends_sentence (self->text, line->span)
             && !(line->flags & (LINE_BULLET | LINE_NUMBERED))
             && occurrences (hashes, n, line->hash) >= FURNITURE_REPEATS))
            line->flags |= LINE_FURNITURE;
    }
    free (hashes);
    free (widths);
    mark_insertions (self);
}

//  ---------------------------------------------------------------------
//  Pass 2: blocks

static bool
skipped (const line_t *line)
{
    return line->flags & (LINE_BLANK | LINE_FURNITURE);
}

//  The next line with words after i, or SIZE_MAX.
static size_t
next_text_line (const reader_t *self, size_t i)
{
    for (size_t j = i + 1; j < self->n_lines; j++)
        if (!skipped (&self->lines [j]))
            return j;
    return SIZE_MAX;
}

static size_t
line_bytes (const line_t *line)
{
    return line->span.end - line->span.start;
}

static bool
is_short (const reader_t *self, const line_t *line, double share)
{
    return !self->width || (double) line_bytes (line) < share * (double) self->width;
}

//  A line that ends in "on", "of", "the" ... wraps a sentence.
static bool
ends_in_small_word (const char *text, ex_span_t span)
{
    static const char *words [] = { "a", "an", "and", "as", "at", "by", "for", "from", "in", "of",
                                    "on", "or", "the", "to", "with", "that", "which", NULL };
    size_t start = span.end;
    while (start > span.start && isalpha ((unsigned char) text [start - 1]))
        start--;
    if (start > span.start && text [start - 1] != ' ')
        return false;
    for (size_t i = 0; words [i]; i++)
        if (strlen (words [i]) == span.end - start
        &&  strncasecmp (text + start, words [i], span.end - start) == 0)
            return true;
    return false;
}

//  A heading: a few words on a line of their own, no sentence ending on
//  it, and what follows starts a sentence or an item.
static bool
is_heading (const reader_t *self, size_t i)
{
    const line_t *line = &self->lines [i];
    const char *text = self->text;
    if (line->flags & LINE_BULLET)
        return false;
    char last = last_char (text, line->span);
    if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!')
        return false;
    if (line->words == 0 || line->words > HEADING_MAX_WORDS || !is_short (self, line, HEADING_SHARE)
    ||  ends_in_small_word (text, line->span))
        return false;
    if (!is_upper_start (text, line->span.start, line->span.end))
        return false;
    //  A question is a heading only when it names a known section ("What
    //  needs to improve?").
    if (last == '?' && ex_headings_context (self->headings, text + line->span.start,
                                            line_bytes (line)) == EX_CONTEXT_NONE)
        return false;
    size_t next = next_text_line (self, i);
    return next == SIZE_MAX
        || !is_lower_start (text, self->lines [next].body, self->lines [next].span.end);
}

//  ---------------------------------------------------------------------
//  Pass 3: statements

typedef struct {
    char *bytes;
    size_t *origin;                 // text position of each byte
    size_t used, capacity;
} buffer_t;

static void
buffer_put (buffer_t *buffer, char c, size_t origin)
{
    if (buffer->used + 1 >= buffer->capacity) {
        buffer->capacity = buffer->capacity ? buffer->capacity * 2 : 1024;
        buffer->bytes = realloc (buffer->bytes, buffer->capacity);
        buffer->origin = realloc (buffer->origin, buffer->capacity * sizeof (size_t));
        if (!buffer->bytes || !buffer->origin)
            abort ();
    }
    buffer->bytes [buffer->used] = c;
    buffer->origin [buffer->used++] = origin;
}

//  Appends a line's words; runs of white space become one space, and a
//  line that ended in a hyphen joins the next without one ("multi-
//  agency").
static void
buffer_line (buffer_t *buffer, const char *text, size_t from, size_t to)
{
    if (buffer->used) {
        bool hyphen = buffer->used > 1 && buffer->bytes [buffer->used - 1] == '-'
                   && buffer->bytes [buffer->used - 2] != ' ';
        if (!hyphen)
            buffer_put (buffer, ' ', from);
    }
    bool space = false;
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char) text [i];
        if (isspace (c)) {
            space = true;
            continue;
        }
        if (space)
            buffer_put (buffer, ' ', i);
        space = false;
        buffer_put (buffer, (char) c, i);
    }
}

static bool
is_abbreviation (const char *s, size_t dot)
{
    static const char *words [] = {
        "e.g", "i.e", "eg", "ie", "no", "nos", "dr", "mr", "mrs", "ms", "st", "cllr", "prof",
        "approx", "para", "paras", "vs", "cf", "incl", "fig", "p", "pp", "ref", NULL
    };
    size_t start = dot;
    while (start > 0 && (isalpha ((unsigned char) s [start - 1]) || s [start - 1] == '.'))
        start--;
    size_t n = dot - start;
    if (n == 1 && isupper ((unsigned char) s [start]))
        return true;            // an initial: "J. Smith"
    for (size_t i = 0; words [i]; i++)
        if (strlen (words [i]) == n && strncasecmp (s + start, words [i], n) == 0)
            return true;
    return false;
}

//  Opening quote at pos: 1 for ‘ or “ (3 bytes), 0 otherwise.
static size_t
opener_at (const char *s, size_t pos, size_t end)
{
    if ((unsigned char) s [pos] == 0xE2 && pos + 2 < end && (unsigned char) s [pos + 1] == 0x80
    &&  ((unsigned char) s [pos + 2] == 0x98 || (unsigned char) s [pos + 2] == 0x9C))
        return 3;
    return 0;
}

typedef struct {
    size_t start, end;              // in the buffer
} piece_t;

//  Cuts the buffer into sentences; returns how many (at most max).
static size_t
cut_sentences (const buffer_t *buffer, piece_t *pieces, size_t max)
{
    const char *s = buffer->bytes;
    size_t n = buffer->used, count = 0, start = 0;
    size_t quote_open = SIZE_MAX;
    for (size_t i = 0; i < n && count + 1 < max; i++) {
        if (opener_at (s, i, n)) {
            quote_open = i;
            i += 2;
            continue;
        }
        if (quote_open != SIZE_MAX && i - quote_open > MAX_QUOTE)
            quote_open = SIZE_MAX;
        size_t close = closer_at (s, i, n);
        if (close == 3 && quote_open != SIZE_MAX && (i + 3 >= n || !isalpha ((unsigned char) s [i + 3])))
            quote_open = SIZE_MAX;
        char c = s [i];
        if (c != '.' && c != '?' && c != '!')
            continue;
        size_t j = i + 1;
        bool closed = false;
        size_t k;
        while (j < n && (k = closer_at (s, j, n)) != 0) {
            closed = true;
            j += k;
        }
        if (quote_open != SIZE_MAX && !closed)
            continue;
        if (closed)
            quote_open = SIZE_MAX;
        if (j >= n)
            break;
        if (s [j] != ' ')
            continue;
        size_t next = j + 1;
        if (next < n && is_lower_start (s, next, n))
            continue;
        if (c == '.' && is_abbreviation (s, i))
            continue;
        pieces [count++] = (piece_t) { start, j };
        start = next;
        i = j;
    }
    if (start < n)
        pieces [count++] = (piece_t) { start, n };
    return count;
}

//  "However, ", "As a result, " and the like, before the subject.
static size_t
skip_connective (const char *s, size_t length)
{
    static const char *connectives [] = {
        "however,", "however", "therefore,", "consequently,", "as a result,", "in addition,",
        "additionally,", "furthermore,", "moreover,", "nevertheless,", "also,", "equally,",
        "similarly,", "likewise,", "in turn,", "again,", "despite this,", "because of this,",
        "as such,", "in these cases,", "in such cases,", "alongside this,", "overall,",
        "importantly,", "crucially,", "at times,", "in most cases,", "in some cases,",
        "for example,", "in particular,", "and ", "but ", "so ", NULL
    };
    for (size_t i = 0; connectives [i]; i++) {
        size_t n = strlen (connectives [i]);
        if (length > n && strncasecmp (s, connectives [i], n) == 0) {
            size_t pos = n;
            while (pos < length && s [pos] == ' ')
                pos++;
            return pos;
        }
    }
    return 0;
}

static bool
word_is (const char *s, size_t length, size_t pos, const char *word)
{
    size_t n = strlen (word);
    return length - pos >= n && strncasecmp (s + pos, word, n) == 0
        && (pos + n == length || !isalpha ((unsigned char) s [pos + n]));
}

//  "It is clear that ...", "It was confirmed that ...", "It is too early
//  to ...": an empty "it" that points forward, not back. It is followed
//  by a form of "be" (or "seems", "appears"), and what it points to
//  ("that", "to", "how" ...) follows within a few words.
static bool
empty_it (const char *s, size_t length, size_t pos)
{
    static const char *verbs [] = { "is", "was", "has been", "had been", "will be", "would be",
                                    "may be", "can be", "could be", "should be", "remains",
                                    "seems", "seemed", "appears", "appeared", "became", NULL };
    static const char *pointers [] = { "that", "to", "how", "why", "whether", "what", "when",
                                       "where", "for", "if", NULL };
    size_t at = pos + 3;
    bool verb = false;
    for (size_t v = 0; verbs [v] && !verb; v++)
        if (word_is (s, length, at, verbs [v])) {
            verb = true;
            at += strlen (verbs [v]);
        }
    if (!verb)
        return false;
    size_t end = at + 80 < length ? at + 80 : length;
    unsigned words = 0;
    for (size_t i = at; i < end && words < 9; i++) {
        if (s [i] != ' ')
            continue;
        words++;
        for (size_t p = 0; pointers [p]; p++)
            if (word_is (s, end, i + 1, pointers [p]))
                return true;
    }
    return false;
}

//  A quantifier that stands for a noun said before: "Many are too
//  broad", "Some of them ...", "Most do not ..." (not "Most children
//  ..."): what it counts is in an earlier sentence. It is followed by
//  "of" and a pronoun, or straight away by a verb that statements use.
static bool
quantifier_alone_at (const char *s, size_t length, size_t pos)
{
    static const char *quantifiers [] = {
        "many", "most", "some", "few", "a few", "several", "others", "all", "none", "both",
        "each", "a number", "a minority", "the majority", "the minority", NULL
    };
    static const char *verbs [] = {
        "of them", "of these", "of those", "are", "is", "was", "were", "do", "does", "did",
        "have", "has", "had", "can", "could", "will", "would", "should", "may", "might", "must",
        "also", "still", "now", "only", "not", "don't", "don\xE2\x80\x99t", "receive", "lack",
        "show", "live", "feel", "say", "said", "told", "reported", "described", "include",
        "contain", "need", "remain", NULL
    };
    for (size_t q = 0; quantifiers [q]; q++) {
        if (!word_is (s, length, pos, quantifiers [q]))
            continue;
        size_t at = pos + strlen (quantifiers [q]);
        while (at < length && s [at] == ' ')
            at++;
        for (size_t v = 0; verbs [v]; v++)
            if (word_is (s, length, at, verbs [v]))
                return true;
        return false;
    }
    return false;
}

//  True when the words at pos refer back: "They ...", "These plans ...",
//  an "It" that is no empty "it", a quantifier with no noun.
static bool
refers_back_at (const char *s, size_t length, size_t pos)
{
    if (quantifier_alone_at (s, length, pos))
        return true;
    static const char *words [] = {
        "they", "this", "these", "those", "their", "them", "its", "he", "she", "his", "her",
        "such", "both of these", NULL
    };
    if (word_is (s, length, pos, "it"))
        return !empty_it (s, length, pos);
    for (size_t i = 0; words [i]; i++)
        if (word_is (s, length, pos, words [i]))
            return true;
    return false;
}

//  Where the main clause starts after an opening phrase that ends in a
//  comma and opens with a preposition ("For some children, this means
//  ...", "For most children, these visits ..."), or 0 when the sentence
//  opens with no such phrase. A clause that opens with "when", "where"
//  or "while" names what its main clause's pronoun means ("When strategy
//  meetings take place, they are timely"), so it is no such phrase.
static size_t
after_opening_phrase (const char *s, size_t length, size_t pos)
{
    static const char *prepositions [] = {
        "for", "despite", "in", "with", "without", "at", "during", "through", "by", "on",
        "following", "given", "after", "before", "of", NULL
    };
    bool opens = false;
    for (size_t i = 0; prepositions [i] && !opens; i++)
        opens = word_is (s, length, pos, prepositions [i]);
    if (!opens)
        return 0;
    const char *comma = memchr (s + pos, ',', length - pos);
    if (!comma || count_words (s, pos, (size_t) (comma - s)) > MAX_OPENING_WORDS)
        return 0;
    size_t after = (size_t) (comma - s) + 1;
    while (after < length && s [after] == ' ')
        after++;
    return after;
}

//  A demonstrative that opens a main clause points outside the sentence
//  ("For a small number of children, this has led to delays"); a
//  personal pronoun there may mean the opening phrase's children.
static bool
demonstrative_at (const char *s, size_t length, size_t pos)
{
    static const char *words [] = { "this", "these", "those", "such", NULL };
    for (size_t i = 0; words [i]; i++)
        if (word_is (s, length, pos, words [i]))
            return true;
    return false;
}

bool
ex_statement_refers_back (const char *s, size_t length)
{
    size_t pos = skip_connective (s, length);
    if (refers_back_at (s, length, pos))
        return true;
    size_t main = after_opening_phrase (s, length, pos);
    return main && demonstrative_at (s, length, main);
}

static void
add_statement (reader_t *self, const buffer_t *buffer, const block_t *block,
               size_t from, size_t to, unsigned sentences, const char *title)
{
    while (from < to && buffer->bytes [from] == ' ')
        from++;
    while (to > from && buffer->bytes [to - 1] == ' ')
        to--;
    const char *s = buffer->bytes + from;
    size_t length = to - from;
    ex_span_t own = { 0, length };
    bool terminated = ends_sentence (s, own);
    //  Whole statements only.
    if (!length || length > MAX_STATEMENT || count_words (s, 0, length) < MIN_WORDS
    ||  is_lower_start (s, 0, length) || !is_upper_start (s, 0, length)
    ||  (!block->item && !terminated) || ends_open (s, own))
        return;
    ex_statements_t *out = self->out;
    out->items = realloc (out->items, (out->count + 1) * sizeof (ex_statement_t));
    if (!out->items)
        abort ();
    ex_statement_t *statement = &out->items [out->count++];
    memset (statement, 0, sizeof *statement);
    statement->span.start = buffer->origin [from];
    statement->span.end = buffer->origin [to - 1] + 1;
    statement->text = title ? ow_printf ("%s: %.*s", title, (int) length, s)
                            : ow_strndup (s, length);
    statement->heading = self->heading;
    statement->lead_in = block->item ? self->lead_in : EX_CONTEXT_NONE;
    statement->sentences = sentences;
    statement->item = block->item;
    statement->terminated = terminated;
    statement->titled = title != NULL;
}

#define MAX_SENTENCES 256

//  The context a lead-in gives its list: its last sentence, with the one
//  before when the last is a stub ("These include:").
static ex_context_t
lead_in_context (const reader_t *self, const buffer_t *buffer, const piece_t *pieces, size_t count)
{
    if (!count)
        return EX_CONTEXT_NONE;
    const piece_t *last = &pieces [count - 1];
    size_t from = last->start;
    if (count_words (buffer->bytes, last->start, last->end) < 5 && count > 1)
        from = pieces [count - 2].start;
    return ex_headings_lead_in (self->headings, buffer->bytes + from, last->end - from);
}

static void
read_block (reader_t *self, const block_t *block)
{
    buffer_t buffer = { 0 };
    for (size_t i = block->first; i <= block->last; i++) {
        const line_t *line = &self->lines [i];
        if (skipped (line) || i == block->title)
            continue;
        //  A numbered line that carried on a sentence keeps its number.
        size_t from = i == block->first || !(line->flags & LINE_NUMBERED) ? line->body : line->span.start;
        buffer_line (&buffer, self->text, from, line->span.end);
    }
    char *title = NULL;
    if (block->title != SIZE_MAX) {
        const line_t *line = &self->lines [block->title];
        ex_span_t words = { line->body, line->span.end };
        title = ex_join (self->text, words);
    }
    piece_t *pieces = ow_calloc (MAX_SENTENCES, sizeof (piece_t));
    size_t count = buffer.used ? cut_sentences (&buffer, pieces, MAX_SENTENCES) : 0;
    //  Sentences that refer back join the statement before them; a first
    //  sentence that does has only an item's title to lean on, or is left
    //  out. An item's title opens its first statement ("Supervision: ...").
    size_t from = 0, to = 0;
    unsigned joined = 0;
    bool have = false, title_first = false;     // the statement opens the titled item
    for (size_t p = 0; p < count; p++) {
        const char *s = buffer.bytes + pieces [p].start;
        size_t length = pieces [p].end - pieces [p].start;
        bool back = ex_statement_refers_back (s, length);
        if (back && have && joined < EX_STATEMENT_MAX_SENTENCES
        &&  pieces [p].end - from <= MAX_STATEMENT) {
            to = pieces [p].end;
            joined++;
            continue;
        }
        if (have)
            add_statement (self, &buffer, block, from, to, joined, title_first ? title : NULL);
        have = false;
        title_first = false;
        if (back && p == 0 && title)
            add_statement (self, &buffer, block, pieces [p].start, pieces [p].end, 1, title);
        else
        if (!back) {
            title_first = p == 0;
            from = pieces [p].start;
            to = pieces [p].end;
            joined = 1;
            have = true;
        }
    }
    if (have)
        add_statement (self, &buffer, block, from, to, joined, title_first ? title : NULL);
    //  A block that ends in ':' leads in the list after it.
    if (count && last_char (buffer.bytes, (ex_span_t) { 0, buffer.used }) == ':')
        self->lead_in = lead_in_context (self, &buffer, pieces, count);
    else
    if (!block->item)
        self->lead_in = EX_CONTEXT_NONE;
    free (title);
    free (pieces);
    free (buffer.bytes);
    free (buffer.origin);
}

//  A heading right after a full line that did not end a sentence: one
//  that names a known section ("Main findings"), or one after a line that
//  ended in a bracket ("... intervention. (Outcome 3, national
//  framework)").
static bool
breaks_after_wrap (const reader_t *self, size_t prev, size_t i)
{
    const line_t *line = &self->lines [i], *before = &self->lines [prev];
    if (!is_heading (self, i))
        return false;
    return self->text [before->span.end - 1] == ')'
        || ex_headings_context (self->headings, self->text + line->body,
                                line->span.end - line->body) != EX_CONTEXT_NONE;
}

//  Does line i carry on the open block, whose last line is prev?
static bool
continues (const reader_t *self, const block_t *block, size_t prev, size_t i, bool gap)
{
    const line_t *line = &self->lines [i], *before = &self->lines [prev];
    const char *text = self->text;
    if (line->flags & LINE_BULLET)
        return false;
    //  A line in lower case goes on with the sentence, and so does a
    //  bracket ("(Outcome 4, national framework)" under an item).
    if (!(line->flags & LINE_NUMBERED) && (is_lower_start (text, line->body, line->span.end)
                                           || text [line->body] == '('))
        return true;
    if (gap || last_char (text, before->span) == ':')
        return false;
    if (prev == block->title || before->span.end == before->body)
        return true;            //  an item's title, or a bullet alone on its line
    //  A numbered line after a sentence that goes on is a wrapped date
    //  or figure ("... inspected in\n18 November 2022"), not a new
    //  paragraph.
    if (!ends_sentence (text, before->span))
        return !is_short (self, before, HEADING_SHARE) && !breaks_after_wrap (self, prev, i);
    //  A sentence that ends a line ends an item: the item's sentences
    //  wrap within its lines, and what follows a list is a paragraph.
    if (block->item || (line->flags & (LINE_BULLET | LINE_NUMBERED)))
        return false;
    return !is_short (self, before, FULL_LINE_SHARE) && !is_heading (self, i);
}

//  An item's first line that is its title: a bullet, a few words and no
//  full stop, the item's sentences on the lines after.
static bool
is_item_title (const reader_t *self, size_t i)
{
    const line_t *line = &self->lines [i];
    if (!(line->flags & LINE_BULLET) || line->body == line->span.end
    ||  line->words > HEADING_MAX_WORDS / 2 || last_char (self->text, line->span) == '.'
    ||  ends_open (self->text, line->span))
        return false;
    size_t next = next_text_line (self, i);
    if (next == SIZE_MAX)
        return false;
    const line_t *body = &self->lines [next];
    return !(body->flags & (LINE_BULLET | LINE_NUMBERED))
        && is_upper_start (self->text, body->body, body->span.end)
        && is_short (self, line, HEADING_SHARE);
}

static void
read_blocks (reader_t *self)
{
    block_t block = { SIZE_MAX, 0, SIZE_MAX, false };
    size_t prev = SIZE_MAX;
    bool gap = false;
    for (size_t i = 0; i < self->n_lines; i++) {
        const line_t *line = &self->lines [i];
        if (line->flags & LINE_STOP)
            break;
        if (line->flags & LINE_BLANK)
            gap = true;
        if (skipped (line))
            continue;
        bool open = block.first != SIZE_MAX;
        if (open && continues (self, &block, prev, i, gap)) {
            block.last = i;
            prev = i;
            gap = false;
            continue;
        }
        if (open)
            read_block (self, &block);
        gap = false;
        prev = i;
        if (is_heading (self, i)) {
            self->heading = ex_headings_context (self->headings, self->text + line->body,
                                                 line->span.end - line->body);
            self->lead_in = self->heading;
            block.first = SIZE_MAX;
            continue;
        }
        block = (block_t) { i, i, SIZE_MAX, (line->flags & LINE_BULLET) != 0 };
        if (is_item_title (self, i))
            block.title = i;
    }
    if (block.first != SIZE_MAX)
        read_block (self, &block);
}

ex_statements_t *
ex_statements_read (const char *text, size_t length, size_t from, size_t to,
                    const ex_headings_t *headings)
{
    assert (from <= to && to <= length);
    reader_t self = { .text = text, .headings = headings };
    self.out = ow_calloc (1, sizeof (ex_statements_t));
    read_lines (&self, length, from, to);
    read_blocks (&self);
    free (self.lines);
    return self.out;
}

void
ex_statements_destroy (ex_statements_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ex_statements_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        free (self->items [i].text);
    free (self->items);
    free (self);
    *self_p = NULL;
}
