/*  test_extract_support — what the extraction tests share: reading a
    file, running extract_document on it, finding a judgement. Included by
    each test_extract_*.c (a header of static functions, so every test
    program stays one source file).
*/
#ifndef TEST_EXTRACT_SUPPORT_H
#define TEST_EXTRACT_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extract.h"
#include "ow_vocab.h"

//  Not every test program uses every helper.
#define TEST_HELPER static __attribute__ ((unused))

static ow_register_t *s_register;

static int
load_register (void **state)
{
    (void) state;
    const char *dir = getenv ("OFWATCH_DATA");
    char *error = NULL;
    s_register = ow_register_load (dir && *dir ? dir : OW_DEFAULT_DATA_DIR, &error);
    if (!s_register)
        fprintf (stderr, "cannot load the register: %s\n", error);
    free (error);
    return s_register ? 0 : -1;
}

static int
free_register (void **state)
{
    (void) state;
    ow_register_destroy (&s_register);
    return 0;
}

//  Reads a whole file; NULL when it cannot be read.
TEST_HELPER uint8_t *
read_file (const char *path, size_t *size)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return NULL;
    struct stat info;
    fstat (fileno (file), &info);
    uint8_t *bytes = malloc ((size_t) info.st_size + 1);
    *size = fread (bytes, 1, (size_t) info.st_size, file);
    fclose (file);
    return bytes;
}

//  Extracts a file that must succeed.
TEST_HELPER Ofwatch__V1__Extraction *
extract_file (const char *path)
{
    size_t size = 0;
    uint8_t *bytes = read_file (path, &size);
    if (!bytes)
        fail_msg ("cannot read %s", path);
    extract_input_t input = { bytes, size, path, NULL, NULL, false };
    char *error = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, NULL, &error);
    if (!x)
        fail_msg ("%s: %s", path, error);
    free (bytes);
    return x;
}

//  Extracts bytes that must be refused; returns the error (caller frees).
TEST_HELPER char *
extract_refused (const uint8_t *bytes, size_t size, const char *name)
{
    extract_input_t input = { bytes, size, name, NULL, NULL, false };
    char *error = NULL, *text = NULL;
    Ofwatch__V1__Extraction *x = extract_document (s_register, &input, &text, &error);
    if (x)
        fail_msg ("%s was accepted; it should be refused", name);
    assert_null (text);
    assert_non_null (error);
    assert_true (strlen (error) > 10);
    return error;
}

TEST_HELPER const char *
grade_of (const Ofwatch__V1__InspectionFacts *event, const char *area)
{
    for (size_t i = 0; i < event->n_judgements; i++)
        if (strcmp (event->judgements [i]->key, area) == 0)
            return ow_grade_word (event->judgements [i]->value);
    return NULL;
}

TEST_HELPER void
assert_grade (const Ofwatch__V1__InspectionFacts *event, const char *area, const char *grade)
{
    const char *found = grade_of (event, area);
    if (!found || strcmp (found, grade) != 0)
        fail_msg ("%s is %s, expected %s", area, found ? found : "missing", grade);
}

//  Every finding has a theme and a span that holds its text's words.
TEST_HELPER void
assert_findings_sound (const Ofwatch__V1__InspectionFacts *event)
{
    for (size_t i = 0; i < event->n_findings; i++) {
        const Ofwatch__V1__Finding *f = event->findings [i];
        assert_true (f->theme != 0);
        assert_true (f->polarity != 0);
        assert_true (f->end > f->start);
        assert_true (*f->text);
    }
}

#endif
