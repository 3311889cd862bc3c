/*  ow_json — writing JSON text.

    A writer appends values to a growing buffer and places the commas and
    colons itself, so callers only say what comes next. Strings are escaped
    per RFC 8259; invalid UTF-8 is replaced by U+FFFD so the output is
    always valid JSON.
*/
#ifndef OW_JSON_H
#define OW_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

typedef struct _ow_json_t ow_json_t;

ow_json_t *ow_json_new (void);
void ow_json_destroy (ow_json_t **self_p);

void ow_json_object_begin (ow_json_t *self);
void ow_json_object_end (ow_json_t *self);
void ow_json_array_begin (ow_json_t *self);
void ow_json_array_end (ow_json_t *self);

//  The name of the next member of an object.
void ow_json_key (ow_json_t *self, const char *key);

//  Values. A NULL string is written as null.
void ow_json_string (ow_json_t *self, const char *value);
void ow_json_string_n (ow_json_t *self, const char *value, size_t length);
void ow_json_int (ow_json_t *self, int64_t value);
void ow_json_uint (ow_json_t *self, uint64_t value);
void ow_json_bool (ow_json_t *self, bool value);
void ow_json_null (ow_json_t *self);

//  key + string value, the common case.
void ow_json_key_string (ow_json_t *self, const char *key, const char *value);

//  The text so far; valid until the next write or destroy.
const char *ow_json_text (ow_json_t *self);
size_t ow_json_length (ow_json_t *self);

//  Empties the writer for reuse.
void ow_json_reset (ow_json_t *self);

#endif
