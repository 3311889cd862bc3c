/*  ex_headings — what a heading says about the statements under it.

    Councils and Ofsted put their findings under headings that take a
    side ("Strengths", "Areas for development", "What needs to improve in
    this area of social work practice") or none ("Main findings"), and put
    their own business under others ("Legal implications"). A list's
    lead-in line does the same for its items ("Ofsted identified a number
    of strengths including the following:"). The phrases are data
    (data/headings.csv): the first phrase a heading contains decides, and
    a phrase may apply to headings only or to lead-ins only.
*/
#ifndef EX_HEADINGS_H
#define EX_HEADINGS_H

#include <stddef.h>

typedef enum {
    EX_CONTEXT_NONE = 0,        // no heading, or one that takes no side
    EX_CONTEXT_FINDINGS,        // findings, no side taken
    EX_CONTEXT_STRENGTHS,
    EX_CONTEXT_WEAKNESSES,
    EX_CONTEXT_IMPROVE,         // what needs to improve
    EX_CONTEXT_PRIORITY,        // areas for priority action
    EX_CONTEXT_PROCEDURE,       // a council paper's own business
    EX_CONTEXT_COUNT
} ex_context_t;

typedef struct _ex_headings_t ex_headings_t;

//  Loads data_dir/file_name. NULL and *error (caller frees) when the file
//  is missing or names a context that does not exist.
ex_headings_t *ex_headings_load (const char *data_dir, const char *file_name, char **error);
void ex_headings_destroy (ex_headings_t **self_p);

//  The context of a heading, or of a list's lead-in sentence; NONE when
//  self is NULL. Some words mean one thing in a heading and another in a
//  sentence: a council paper's "Recommendations" are its own business,
//  "a number of strategic recommendations, including:" are Ofsted's.
ex_context_t ex_headings_context (const ex_headings_t *self, const char *text, size_t length);
ex_context_t ex_headings_lead_in (const ex_headings_t *self, const char *text, size_t length);

//  The context's word in data/headings.csv ("strengths"), for features
//  and messages.
const char *ex_context_word (ex_context_t context);

#endif
