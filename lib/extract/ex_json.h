/*  ex_json — reading JSON into a small tree.

    For the JSON record feeds (CONTRACTS.md section 4 shape) and for
    tests that read gold data. Strict RFC 8259: no comments, no trailing
    commas; strings are checked as UTF-8 and \u escapes (with surrogate
    pairs) decoded; nesting is limited so hostile input cannot exhaust the
    stack. The tree owns every string in it.
*/
#ifndef EX_JSON_H
#define EX_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    EX_JSON_NULL, EX_JSON_BOOL, EX_JSON_NUMBER, EX_JSON_STRING, EX_JSON_ARRAY, EX_JSON_OBJECT
} ex_json_type_t;

typedef struct ex_json_t ex_json_t;
struct ex_json_t {
    ex_json_type_t type;
    bool boolean;
    double number;
    char *string;               // EX_JSON_STRING: NUL-terminated UTF-8
    size_t count;               // items of an array or members of an object
    ex_json_t **items;
    char **keys;                // object member names, parallel to items
};

#define EX_JSON_MAX_DEPTH 64

//  Parses one JSON value (white space around it allowed). NULL and
//  *error (caller frees) when the text is not JSON.
ex_json_t *ex_json_parse (const char *text, size_t length, char **error);
void ex_json_destroy (ex_json_t **self_p);

//  Member `key` of an object, or NULL.
const ex_json_t *ex_json_get (const ex_json_t *object, const char *key);

//  The string value, or NULL when the value is not a string.
const char *ex_json_string (const ex_json_t *value);

#endif
