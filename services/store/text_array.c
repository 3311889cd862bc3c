/*  text_array — a PostgreSQL text[] literal of a list of strings, for an
    array parameter (the register's neighbours, an inspection's
    inspectors, query filters). Built with bulk.c's array literals, so
    quoting is written once.
*/

#include "bulk.h"

char *
store_text_array (const char *const *items, size_t count)
{
    store_array_t *array = store_array_new ();
    for (size_t i = 0; i < count; i++)
        store_array_add (array, items [i] ? items [i] : "");
    char *literal = ow_strdup (store_array_text (array));
    store_array_destroy (&array);
    return literal;
}
