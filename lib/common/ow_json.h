/*  ow_json — how ofwatch writes and reads JSON, over jansson.

    jansson does the writing and reading; this file holds the conventions
    every JSON text of ofwatch shares, so they are decided once:
    - text is compact, with members in the order they were set (the
      order of the proto fields, of CONTRACTS.md's examples);
    - a NULL string is written as null, and bytes that are not UTF-8 are
      replaced by U+FFFD, so the output is always valid JSON (jansson
      itself refuses such strings);
    - a parse error is one sentence with the line and column.
*/
#ifndef OW_JSON_H
#define OW_JSON_H

#include <jansson.h>
#include <stddef.h>

//  A JSON string of the first `length` bytes of text, or null when text
//  is NULL. Never NULL.
json_t *ow_json_string_n (const char *text, size_t length);
json_t *ow_json_string (const char *text);

//  object[key] = ow_json_string (value).
void ow_json_set_string (json_t *object, const char *key, const char *value);

//  The compact text of value (caller frees); never NULL.
char *ow_json_dump (const json_t *value);

//  Parses one JSON value (white space around it allowed). NULL and
//  *error (caller frees) when the text is not JSON: "not JSON: WHY at
//  line L, column C".
json_t *ow_json_parse (const char *text, size_t length, char **error);

//  The string value of object[key], or NULL when absent or not a string.
const char *ow_json_get_string (const json_t *object, const char *key);

#endif
