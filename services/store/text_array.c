/*  text_array — PostgreSQL text[] literals for array parameters.

    The literal is a parameter value, never part of the SQL text, so
    quoting here is about PostgreSQL's array syntax, not injection: every
    element is double-quoted with " and \ escaped.
*/

#include "store.h"

char *
store_text_array (const char *const *items, size_t count)
{
    size_t size = 3;
    for (size_t i = 0; i < count; i++)
        size += 2 * strlen (items [i]) + 3;
    char *literal = ow_malloc (size);
    char *out = literal;
    *out++ = '{';
    for (size_t i = 0; i < count; i++) {
        if (i)
            *out++ = ',';
        *out++ = '"';
        for (const char *c = items [i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                *out++ = '\\';
            *out++ = *c;
        }
        *out++ = '"';
    }
    *out++ = '}';
    *out = 0;
    return literal;
}
