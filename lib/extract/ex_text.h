/*  ex_text — small tools over a document's text: lines, case-insensitive
    search, joining wrapped lines into one sentence.

    Every parser reads the same UTF-8 text, a pointer and a length that
    the caller keeps alive; positions are byte offsets into it, which is
    what finding spans record.
*/
#ifndef EX_TEXT_H
#define EX_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EX_NONE SIZE_MAX

typedef struct {
    size_t start, end;          // [start, end), end before the newline
} ex_span_t;

//  Reads the line at *pos and moves *pos past its newline; false at the
//  end of the text.
bool ex_next_line (const char *text, size_t length, size_t *pos, ex_span_t *line);

//  The line that holds pos.
ex_span_t ex_line_at (const char *text, size_t length, size_t pos);

//  First position of needle (ASCII case ignored) in text [from, to), or
//  EX_NONE.
size_t ex_find (const char *text, size_t to, size_t from, const char *needle);

//  Writes a code point as UTF-8 into out (room for 4 bytes) and returns
//  the bytes written. NUL, surrogates and values past U+10FFFF become
//  U+FFFD, so decoded entities and escapes never make invalid text.
size_t ex_put_utf8 (char *out, unsigned long code);

//  As ex_find, but a space in the phrase matches any run of white space
//  (titles wrap: "local\nauthority"). Sets *end (when not NULL) past the
//  match.
size_t ex_find_phrase (const char *text, size_t to, size_t from, const char *phrase, size_t *end);

//  First position of label (ASCII case ignored) at a line start in text
//  [from, to), or EX_NONE: a heading or a label, not the same words in a
//  sentence.
size_t ex_find_line_start (const char *text, size_t to, size_t from, const char *label);

//  True when text at pos starts with prefix (ASCII case ignored).
bool ex_at (const char *text, size_t length, size_t pos, const char *prefix);

//  Span without leading and trailing white space (and no-break spaces).
ex_span_t ex_trim (const char *text, ex_span_t span);

//  True when the span holds only white space.
bool ex_blank (const char *text, ex_span_t span);

//  One line of text from a wrapped passage: runs of white space become
//  one space, a line break after a hyphen is dropped ("multi-\nagency"),
//  bullets opening wrapped lines are dropped, the ends are trimmed.
//  Caller frees.
char *ex_join (const char *text, ex_span_t span);

//  Length of the UTF-8 bullet or list marker at pos (•, ◼, ▪, ●, -, *, 
//  and the Symbol and Wingdings glyphs of U+F000-U+F0FF before a space
//  or a letter), 0 when there is none.
size_t ex_bullet_at (const char *text, size_t length, size_t pos);

//  True when the byte at pos starts a word (the one before is no letter
//  or digit).
bool ex_word_start (const char *text, size_t pos);

#endif
