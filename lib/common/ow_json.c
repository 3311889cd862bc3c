/*  ow_json — how ofwatch writes and reads JSON; see ow_json.h.  */

#include "ow_json.h"
#include "ow_check.h"
#include "ow_pb.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  A copy of bytes with every byte that starts no valid UTF-8 sequence
//  replaced by U+FFFD; caller frees. A sequence is valid when it is one
//  whole character: the shortest prefix ow_check_utf8 accepts.
static char *
repaired (const char *bytes, size_t size)
{
    char *out = ow_malloc (size * 3 + 1);
    size_t used = 0, i = 0;
    while (i < size) {
        size_t length = 0;
        for (size_t n = 1; n <= 4 && i + n <= size && !length; n++)
            if (ow_check_utf8 (bytes + i, n))
                length = n;
        if (length) {
            memcpy (out + used, bytes + i, length);
            used += length;
            i += length;
        }
        else {
            memcpy (out + used, "\xEF\xBF\xBD", 3);
            used += 3;
            i++;
        }
    }
    out [used] = '\0';
    return out;
}

json_t *
ow_json_string_n (const char *text, size_t length)
{
    if (!text)
        return json_null ();
    if (ow_check_utf8 (text, length) && !memchr (text, '\0', length)) {
        json_t *value = json_stringn (text, length);
        assert (value);
        return value;
    }
    //  A NUL byte ends the text, as it does for every C string we hold.
    size_t shown = strnlen (text, length);
    char *fixed = repaired (text, shown);
    json_t *value = json_string (fixed);
    free (fixed);
    assert (value);
    return value;
}

json_t *
ow_json_string (const char *text)
{
    return ow_json_string_n (text, text ? strlen (text) : 0);
}

void
ow_json_set_string (json_t *object, const char *key, const char *value)
{
    json_object_set_new (object, key, ow_json_string (value));
}

char *
ow_json_dump (const json_t *value)
{
    char *text = json_dumps (value, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (!text)
        abort ();               // only when out of memory
    return text;
}

json_t *
ow_json_parse (const char *text, size_t length, char **error)
{
    json_error_t why;
    json_t *value = text ? json_loadb (text, length, JSON_DECODE_ANY, &why) : NULL;
    if (!value && error)
        *error = text ? ow_printf ("not JSON: %s at line %d, column %d", why.text, why.line,
                                   why.column)
                      : ow_strdup ("not JSON: no text");
    return value;
}

const char *
ow_json_get_string (const json_t *object, const char *key)
{
    return json_string_value (json_object_get (object, key));
}
