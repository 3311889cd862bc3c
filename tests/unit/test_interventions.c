/*  DfE intervention facts: the council papers in samples/ report an
    improvement notice (2014), Government intervention (2014), a
    statutory direction and an appointed commissioner (2022).
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <czmq.h>
#include "extract.h"

static Ofwatch__V1__Extraction *
extract_sample (const char *name, ow_register_t *reg)
{
    char *path = ow_printf ("samples/%s", name);
    zchunk_t *bytes = zchunk_slurp (path, 0);
    assert_non_null (bytes);
    extract_input_t input = { .bytes = zchunk_data (bytes), .size = zchunk_size (bytes),
                              .file_name = path };
    char *error = NULL;
    Ofwatch__V1__Extraction *out = extract_document (reg, &input, NULL, &error);
    assert_null (error);
    assert_non_null (out);
    zchunk_destroy (&bytes);
    free (path);
    return out;
}

static const Ofwatch__V1__Intervention *
find (const Ofwatch__V1__Extraction *out, const char *kind)
{
    for (size_t i = 0; i < out->n_interventions; i++)
        if (strcmp (out->interventions [i]->kind, kind) == 0)
            return out->interventions [i];
    return NULL;
}

static void
test_2014_cabinet_report_names_the_improvement_notice (void **state)
{
    ow_register_t *reg = *state;
    Ofwatch__V1__Extraction *out = extract_sample (
        "herefordshire-2014-09-11-cabinet-inspection-outcome.txt", reg);
    const Ofwatch__V1__Intervention *notice = find (out, "improvement_notice");
    assert_non_null (notice);
    assert_non_null (strstr (notice->text, "improvement notice"));
    assert_true (notice->end > notice->start);
    assert_non_null (find (out, "government_intervention"));
    assert_null (find (out, "commissioner"));
    ow_pb_free (&out);
}

static void
test_2022_minutes_name_the_direction_and_commissioner (void **state)
{
    ow_register_t *reg = *state;
    Ofwatch__V1__Extraction *out = extract_sample ("herefordshire-2022-scrutiny-minutes-ilacs.txt",
                                                   reg);
    assert_non_null (find (out, "statutory_direction"));
    const Ofwatch__V1__Intervention *commissioner = find (out, "commissioner");
    assert_non_null (commissioner);
    assert_non_null (strstr (commissioner->text, "Eleanor Brazil"));
    ow_pb_free (&out);
}

static void
test_an_ofsted_letter_reports_no_intervention (void **state)
{
    ow_register_t *reg = *state;
    Ofwatch__V1__Extraction *out = extract_sample ("herefordshire-2024-12-04-monitoring-visit.txt",
                                                   reg);
    assert_int_equal (out->n_interventions, 0);
    ow_pb_free (&out);
}

static int
load_register (void **state)
{
    char *error = NULL;
    *state = ow_register_load (OW_DEFAULT_DATA_DIR, &error);
    free (error);
    return *state ? 0 : -1;
}

static int
free_register (void **state)
{
    ow_register_t *reg = *state;
    ow_register_destroy (&reg);
    return 0;
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_2014_cabinet_report_names_the_improvement_notice),
        cmocka_unit_test (test_2022_minutes_name_the_direction_and_commissioner),
        cmocka_unit_test (test_an_ofsted_letter_reports_no_intervention),
    };
    return cmocka_run_group_tests_name ("interventions", tests, load_register, free_register);
}
