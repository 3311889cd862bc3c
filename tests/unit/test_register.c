/*  test_register — the authority register: loading, names, codes, and
    the authorities that reorganisation abolished.
*/

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ow_register.h"

static const char *
data_dir (void)
{
    const char *dir = getenv ("OFWATCH_DATA");
    return dir && *dir ? dir : OW_DEFAULT_DATA_DIR;
}

static int
setup (void **state)
{
    char *error = NULL;
    ow_register_t *reg = ow_register_load (data_dir (), &error);
    if (!reg)
        fprintf (stderr, "cannot load the register: %s\n", error);
    free (error);
    *state = reg;
    return reg ? 0 : -1;
}

static int
teardown (void **state)
{
    ow_register_t *reg = *state;
    ow_register_destroy (&reg);
    assert_null (reg);
    return 0;
}

static void
assert_finds (const ow_register_t *reg, const char *any, const char *code)
{
    const ow_authority_t *found = ow_register_find (reg, any);
    if (!found)
        fail_msg ("'%s' found nothing, expected %s", any, code);
    if (strcmp (found->code, code) != 0)
        fail_msg ("'%s' found %s (%s), expected %s", any, found->code, found->name, code);
}

static void
test_loads_every_row (void **state)
{
    const ow_register_t *reg = *state;
    //  156 rows in la_lookup.csv and two predecessors it lacks.
    assert_int_equal (ow_register_size (reg), 158);
    for (size_t i = 0; i < ow_register_size (reg); i++) {
        const ow_authority_t *a = ow_register_at (reg, i);
        assert_true (strlen (a->code) == 9);
        assert_true (*a->name);
    }
    assert_null (ow_register_at (reg, 158));
}

static void
test_finds_by_code (void **state)
{
    const ow_register_t *reg = *state;
    assert_finds (reg, "E06000019", "E06000019");
    assert_finds (reg, "e06000019", "E06000019");
    assert_finds (reg, "884", "E06000019");
    assert_finds (reg, "80474", "E06000019");
    assert_finds (reg, " 342 ", "E08000013");
    assert_null (ow_register_find (reg, "E99999999"));
    assert_null (ow_register_find (reg, ""));
    assert_null (ow_register_find (reg, NULL));
}

static void
test_finds_by_any_spelling (void **state)
{
    const ow_register_t *reg = *state;
    assert_finds (reg, "St. Helens", "E08000013");
    assert_finds (reg, "St Helens", "E08000013");
    assert_finds (reg, "Saint Helens", "E08000013");
    assert_finds (reg, "St Helens Metropolitan Borough Council", "E08000013");
    assert_finds (reg, "ST. HELENS COUNCIL", "E08000013");
    assert_finds (reg, "Herefordshire Council", "E06000019");
    assert_finds (reg, "County of Herefordshire", "E06000019");
    assert_finds (reg, "Herefordshire County Council", "E06000019");
    assert_finds (reg, "London Borough of Bromley", "E09000006");
    assert_finds (reg, "Royal Borough of Greenwich", "E09000011");
    assert_finds (reg, "Telford & Wrekin Council", "E06000020");
    assert_finds (reg, "Bristol City Council", "E06000023");
    assert_finds (reg, "City of Bristol", "E06000023");
    assert_finds (reg, "Kingston upon Hull City Council", "E06000010");
    assert_finds (reg, "Hull", "E06000010");
    assert_finds (reg, "City of London", "E09000001");
    assert_finds (reg, "Bedford Borough Council", "E06000055");
    assert_finds (reg, "Southend-on-Sea Borough Council", "E06000033");
    assert_null (ow_register_find (reg, "London"));
    assert_null (ow_register_find (reg, "Atlantis"));
}

static void
test_finds_bcp_by_its_aliases (void **state)
{
    const ow_register_t *reg = *state;
    assert_finds (reg, "BCP", "E06000058");
    assert_finds (reg, "BCP Council", "E06000058");
    assert_finds (reg, "Bournemouth, Christchurch and Poole", "E06000058");
    assert_finds (reg, "Bournemouth, Christchurch & Poole Council", "E06000058");
}

static void
test_abolished_authorities_are_entries (void **state)
{
    const ow_register_t *reg = *state;
    //  The three old rows without an ONS code take it from predecessors.
    assert_finds (reg, "Northamptonshire County Council", "E10000021");
    assert_finds (reg, "Cumbria", "E10000006");
    assert_finds (reg, "Poole", "E06000029");
    assert_finds (reg, "Borough of Poole", "E06000029");
    //  And the two la_lookup lacks are added.
    assert_finds (reg, "Bournemouth", "E06000028");
    assert_finds (reg, "E10000009", "E10000009");
    assert_finds (reg, "835", "E10000009");
    //  "Dorset" is today's Dorset Council, however written: the old county
    //  council is found by its codes only.
    assert_finds (reg, "Dorset", "E06000059");
    assert_finds (reg, "Dorset County Council", "E06000059");

    const ow_authority_t *cumbria = ow_register_find (reg, "E10000006");
    assert_string_equal (cumbria->ended, "2023-04-01");
    assert_int_equal (cumbria->n_successors, 2);
    assert_string_equal (cumbria->successors [0], "E06000063");
    assert_string_equal (cumbria->successors [1], "E06000064");
    const ow_authority_t *bournemouth = ow_register_find (reg, "E06000028");
    assert_string_equal (bournemouth->la_code, "837");
    assert_string_equal (bournemouth->region_name, "South West");
    const ow_authority_t *north = ow_register_find (reg, "North Northamptonshire");
    assert_string_equal (north->code, "E06000061");
    assert_string_equal (north->ended, "");
}

static void
test_entries_carry_the_lookup_columns (void **state)
{
    const ow_register_t *reg = *state;
    const ow_authority_t *h = ow_register_find (reg, "Herefordshire");
    assert_string_equal (h->la_code, "884");
    assert_string_equal (h->urn, "80474");
    assert_string_equal (h->region_code, "E12000005");
    assert_string_equal (h->region_name, "West Midlands");
    assert_int_equal (h->n_neighbours, 10);
    assert_string_equal (h->neighbours [0], "E06000064");
    assert_int_equal (h->population_0_25, 47213);
}

//  Region rows are what benchmark and national group by: an authority
//  filed under another region's code is compared with the wrong peers.
static void
assert_in_region (const ow_register_t *reg, const char *any, const char *code,
                  const char *name)
{
    const ow_authority_t *found = ow_register_find (reg, any);
    if (!found)
        fail_msg ("'%s' found nothing, expected an authority in %s", any, name);
    if (strcmp (found->region_code, code) != 0 || strcmp (found->region_name, name) != 0)
        fail_msg ("'%s' is in %s (%s), expected %s (%s)", any, found->region_code,
                  found->region_name, code, name);
}

static void
test_authorities_are_in_their_regions (void **state)
{
    const ow_register_t *reg = *state;
    assert_in_region (reg, "Buckinghamshire", "E12000008", "South East");
    assert_in_region (reg, "Gloucestershire", "E12000009", "South West");
    assert_in_region (reg, "South Gloucestershire", "E12000009", "South West");
    assert_in_region (reg, "Sheffield", "E12000003", "Yorkshire and the Humber");
}

//  One name a region code, spelt one way: national takes a region's name
//  from its members, so a stray row would show under two headings.
static void
test_every_region_code_has_one_name (void **state)
{
    const ow_register_t *reg = *state;
    size_t size = ow_register_size (reg);
    for (size_t i = 0; i < size; i++) {
        const ow_authority_t *a = ow_register_at (reg, i);
        assert_true (*a->region_code);
        for (size_t j = i + 1; j < size; j++) {
            const ow_authority_t *b = ow_register_at (reg, j);
            if (strcmp (a->region_code, b->region_code) == 0
            &&  strcmp (a->region_name, b->region_name) != 0)
                fail_msg ("%s calls %s \"%s\" but %s calls it \"%s\"", a->name,
                          a->region_code, a->region_name, b->name, b->region_name);
        }
    }
}

static void
test_normalise (void **state)
{
    (void) state;
    char out [64];
    ow_register_normalise ("St. Helens Metropolitan Borough Council", out, sizeof out);
    assert_string_equal (out, "st helens");
    ow_register_normalise ("Brighton & Hove", out, sizeof out);
    assert_string_equal (out, "brighton and hove");
    ow_register_normalise ("Kingston Upon Hull, City of", out, sizeof out);
    assert_string_equal (out, "kingston upon hull");
    ow_register_normalise ("", out, sizeof out);
    assert_string_equal (out, "");
    ow_register_normalise ("Herefordshire", out, 5);
    assert_string_equal (out, "");      //  too long for out: nothing, never a fragment
}

static void
test_finds_in_text (void **state)
{
    const ow_register_t *reg = *state;
    size_t start, end;
    const char *text = "Inspection of Herefordshire local authority children’s services";
    const ow_authority_t *a = ow_register_find_in_text (reg, text, strlen (text), &start, &end);
    assert_non_null (a);
    assert_string_equal (a->code, "E06000019");
    assert_int_equal (start, 14);
    assert_int_equal (end, 27);

    text = "St Helens Metropolitan Borough\nCouncil\nInspection of children’s social care";
    a = ow_register_find_in_text (reg, text, strlen (text), &start, &end);
    assert_string_equal (a->code, "E08000013");
    assert_int_equal (start, 0);
    assert_int_equal (end, 9);

    text = "the London Borough of Bromley and North Northamptonshire";
    a = ow_register_find_in_text (reg, text, strlen (text), &start, &end);
    assert_string_equal (a->code, "E09000006");
    assert_int_equal (start, 22);
    a = ow_register_find_in_text (reg, text + end, strlen (text + end), NULL, NULL);
    assert_string_equal (a->code, "E06000061");

    text = "nothing to see: London, Sussex";
    assert_null (ow_register_find_in_text (reg, text, strlen (text), NULL, NULL));
}

static void
test_missing_directory_is_an_error (void **state)
{
    (void) state;
    char *error = NULL;
    ow_register_t *reg = ow_register_load ("/nonexistent", &error);
    assert_null (reg);
    assert_non_null (error);
    assert_non_null (strstr (error, "la_lookup.csv"));
    free (error);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_loads_every_row),
        cmocka_unit_test (test_finds_by_code),
        cmocka_unit_test (test_finds_by_any_spelling),
        cmocka_unit_test (test_finds_bcp_by_its_aliases),
        cmocka_unit_test (test_abolished_authorities_are_entries),
        cmocka_unit_test (test_entries_carry_the_lookup_columns),
        cmocka_unit_test (test_authorities_are_in_their_regions),
        cmocka_unit_test (test_every_region_code_has_one_name),
        cmocka_unit_test (test_normalise),
        cmocka_unit_test (test_finds_in_text),
        cmocka_unit_test (test_missing_directory_is_an_error),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
