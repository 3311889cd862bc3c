/*  ex_statements — a document's prose as statements a reader can take
    alone: whole sentences, with the heading they sit under.

    PDF text has no paragraph marks: lines wrap, running headers and page
    numbers land in the middle of sentences, list items run over several
    lines, and a sentence often leans on the one before ("They consider
    the holistic needs of the family"). This module turns the lines of a
    range of text into statements:

    - page furniture (a line printed three times or more, page numbers)
      is left out and the sentence it interrupted is joined again;
    - paragraphs, bullet and lettered items, and numbered paragraphs are
      told apart by their first line, and headings by being a few words
      on a line of their own between sentences;
    - a paragraph is cut into sentences at '.', '?' or '!' followed by a
      capital, not inside a quotation and not after "e.g." or "Mr";
    - a sentence that opens with a word referring back ("It", "They",
      "This", "These", "Their", ...) is joined to the sentence it follows,
      so the statement says what "they" are; one that opens a paragraph,
      with nothing before it to refer to, is left out;
    - what is not a whole sentence is left out: text that starts in the
      middle of a sentence, a paragraph line without a full stop, a list
      item that runs on into the next (ending in ';' or ','), a lead-in
      ending in ':'. List items need no full stop.

    Each statement records the context of the heading above it and of the
    lead-in line of the list it belongs to (ex_headings).
*/
#ifndef EX_STATEMENTS_H
#define EX_STATEMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "ex_headings.h"
#include "ex_text.h"

#define EX_STATEMENT_MAX_SENTENCES 3    // one and at most two that refer back

typedef struct {
    ex_span_t span;             // in the text: first byte of the first
                                // sentence to the end of the last
    char *text;                 // its words on one line, furniture left out
    ex_context_t heading;       // the heading it sits under
    ex_context_t lead_in;       // the lead-in of its list; NONE when no item
    unsigned sentences;         // how many sentences were joined
    bool item;                  // a bullet or lettered list item
    bool terminated;            // ends as a sentence does ('.', '?', '!')
    bool titled;                // an item's title line was put in front
                                // ("Supervision: This is now occurring...")
} ex_statement_t;

typedef struct {
    ex_statement_t *items;
    size_t count;
} ex_statements_t;

//  The statements of text [from, to), in order. headings may be NULL
//  (every context is then NONE). Caller destroys.
ex_statements_t *ex_statements_read (const char *text, size_t length, size_t from, size_t to,
                                     const ex_headings_t *headings);
void ex_statements_destroy (ex_statements_t **self_p);

//  True when a sentence opens with a word that refers back to an earlier
//  one ("They", "This means", "However, it ..."); "It is clear that ..."
//  and "There are ..." stand alone.
bool ex_statement_refers_back (const char *sentence, size_t length);

#endif
