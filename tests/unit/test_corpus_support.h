/*  test_corpus_support — what the tests over ../shared/corpus share:
    reading a gold file line by line, extracting one file with the time
    its decoding and its extraction took, counting each field right or
    wrong with the reason printed, the table of gold lines that are
    wrong (each with the document's own words), and the accuracy table
    printed at the end. The gold lines are read here and nowhere else
    (gold_t and its accessors). Included after test_extract_support.h (a
    header of static functions, so every test program stays one source
    file).
*/
#ifndef TEST_CORPUS_SUPPORT_H
#define TEST_CORPUS_SUPPORT_H

#include "test_extract_support.h"
#include "ow_json.h"

#include <time.h>

#define SHARED "../shared/corpus"

typedef struct {
    const char *name;
    double required;            // the share that must be right (1.0: all)
    size_t right, total;
} corpus_field_t;

//  A gold value the document itself contradicts: the test expects what
//  the document says, and prints the evidence.
typedef struct {
    const char *file;           // as the gold names it
    const char *field;          // the field's name in the accuracy table
    const char *document;       // the value the document gives
    const char *evidence;       // the document's own words
} gold_exception_t;

//  ---------------------------------------------------------------------
//  Gold lines: the one place the tests read JSON.

typedef json_t gold_t;

//  A member of an object (NULL when there is none).
TEST_HELPER const gold_t *
gold_member (const gold_t *gold, const char *key)
{
    return gold ? json_object_get (gold, key) : NULL;
}

//  A member's string value, or NULL.
TEST_HELPER const char *
gold_string (const gold_t *gold, const char *key)
{
    return gold ? ow_json_get_string (gold, key) : NULL;
}

//  The items of an array or the members of an object; 0 for anything else.
TEST_HELPER size_t
gold_size (const gold_t *gold)
{
    return json_is_array (gold) ? json_array_size (gold)
         : json_is_object (gold) ? json_object_size (gold) : 0;
}

//  The i-th item of an array, or the i-th member's value of an object (in
//  the order the line gives them; *key set to its name when not NULL).
TEST_HELPER const gold_t *
gold_item (const gold_t *gold, size_t i, const char **key)
{
    if (json_is_array (gold))
        return json_array_get (gold, i);
    void *iter = json_is_object (gold) ? json_object_iter ((json_t *) gold) : NULL;
    for (size_t k = 0; iter && k < i; k++)
        iter = json_object_iter_next ((json_t *) gold, iter);
    if (!iter)
        return NULL;
    if (key)
        *key = json_object_iter_key (iter);
    return json_object_iter_value (iter);
}

TEST_HELPER const char *
gold_value (const gold_t *gold)
{
    return json_string_value (gold);
}

TEST_HELPER bool
gold_is_object (const gold_t *gold)
{
    return json_is_object (gold);
}

//  ---------------------------------------------------------------------

TEST_HELPER double
corpus_now (void)
{
    struct timespec t;
    clock_gettime (CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

//  Calls fn with each line of a gold file, parsed; the number of lines,
//  or -1 (after saying so) when the corpus is not there.
TEST_HELPER long
corpus_each_gold (const char *path, void (*fn) (const gold_t *gold, void *arg), void *arg)
{
    size_t size = 0;
    char *text = (char *) read_file (path, &size);
    if (!text) {
        printf ("SKIP: %s is not there (the corpus lives beside the repository, "
                "in ../shared/corpus)\n", path);
        return -1;
    }
    long lines = 0;
    for (char *line = text; line < text + size;) {
        char *end = memchr (line, '\n', (size_t) (text + size - line));
        size_t n = end ? (size_t) (end - line) : (size_t) (text + size - line);
        if (n > 1) {
            char *error = NULL;
            gold_t *gold = ow_json_parse (line, n, &error);
            if (!gold)
                fail_msg ("%s line %ld: %s", path, lines + 1, error);
            fn (gold, arg);
            json_decref (gold);
            lines++;
        }
        line += n + 1;
    }
    free (text);
    return lines;
}

//  Decodes and extracts one file of the corpus (decoding it once),
//  adding the time each half took to *decoding and *extracting; sets
//  *text (when not NULL) to the decoded text (caller frees). NULL and
//  *error when refused.
TEST_HELPER Ofwatch__V1__Extraction *
corpus_extract (const char *path, double *decoding, double *extracting, char **text_out,
                char **error)
{
    size_t size = 0;
    uint8_t *bytes = read_file (path, &size);
    if (!bytes)
        fail_msg ("cannot read %s", path);
    extract_input_t input = { bytes, size, path, NULL, NULL, false };
    const char *media_type = NULL;
    size_t length = 0;
    double start = corpus_now ();
    char *text = extract_decode (&input, &media_type, &length, error);
    double decoded = corpus_now ();
    Ofwatch__V1__Extraction *x = text
        ? extract_text (s_register, &input, media_type, text, length, error) : NULL;
    *decoding += decoded - start;
    *extracting += corpus_now () - decoded;
    if (text_out)
        *text_out = text;
    else
        free (text);
    free (bytes);
    return x;
}

TEST_HELPER const gold_exception_t *
corpus_exception (const gold_exception_t *table, const char *file, const char *field)
{
    for (size_t i = 0; table && table [i].file; i++)
        if (strcmp (table [i].file, file) == 0 && strcmp (table [i].field, field) == 0)
            return &table [i];
    return NULL;
}

TEST_HELPER void
corpus_count (corpus_field_t *field, bool right, const char *file, const char *what)
{
    field->total++;
    if (right)
        field->right++;
    else
        printf ("  %-22s %s: %s\n", field->name, file, what);
}

TEST_HELPER bool
corpus_same (const char *a, const char *b)
{
    return strcmp (a ? a : "", b ? b : "") == 0;
}

//  Compares a string field with the gold's, or with the document's own
//  value where the gold is known to be wrong.
TEST_HELPER void
corpus_compare (corpus_field_t *field, const gold_exception_t *exceptions, const char *file,
                const char *found, const char *gold)
{
    const gold_exception_t *exception = corpus_exception (exceptions, file, field->name);
    const char *expected = exception ? exception->document : gold;
    char what [320];
    snprintf (what, sizeof what, "%s, %s %s", found && *found ? found : "null",
              exception ? "the document says" : "gold", expected ? expected : "null");
    corpus_count (field, corpus_same (found, expected), file, what);
}

TEST_HELPER double
corpus_share (const corpus_field_t *field)
{
    return field->total ? (double) field->right / (double) field->total : 1.0;
}

//  Counts every field wrong for a file that could not be read.
TEST_HELPER void
corpus_fail_all (corpus_field_t *fields, size_t n, const char *file, const char *why)
{
    for (size_t i = 0; i < n; i++)
        corpus_count (&fields [i], false, file, why ? why : "refused");
}

//  Prints the accuracy of each field, the gold lines overruled and the
//  time extraction took beside poppler's decoding (the 5% budget), and
//  asserts each field's required share.
TEST_HELPER void
corpus_report (const char *title, corpus_field_t *fields, size_t n,
               const gold_exception_t *exceptions, double decoding, double extracting)
{
    printf ("\n%s, field by field:\n", title);
    for (size_t i = 0; i < n; i++)
        printf ("  %-30s %4zu / %-4zu %6.1f%%\n", fields [i].name, fields [i].right,
                fields [i].total, 100.0 * corpus_share (&fields [i]));
    for (size_t i = 0; exceptions && exceptions [i].file; i++)
        printf ("  gold overruled: %s %s: the document says %s (\"%s\")\n", exceptions [i].file,
                exceptions [i].field, exceptions [i].document, exceptions [i].evidence);
    printf ("  time: decoding (poppler) %.2fs, extraction %.3fs = %.2f%% of decoding\n",
            decoding, extracting, 100.0 * extracting / (decoding > 0 ? decoding : 1));
    for (size_t i = 0; i < n; i++)
        if (corpus_share (&fields [i]) < fields [i].required)
            fail_msg ("%s: %.1f%% right, %.1f%% required", fields [i].name,
                      100.0 * corpus_share (&fields [i]), 100.0 * fields [i].required);
}

#endif
