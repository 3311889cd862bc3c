/*  ex_tables — the data tables extraction reads, loaded once.

    A table that cannot be read does not stop extraction: facts that do
    not need it are still right, and each extraction carries a warning
    naming the missing file (ex_tables_t.error).
*/

#include "ex_tables.h"
#include "ow_config.h"
#include "ow_pb.h"

#include <pthread.h>
#include <stdlib.h>

static ex_tables_t s_tables;
static pthread_once_t s_once = PTHREAD_ONCE_INIT;

const char *
ex_tables_data_dir (void)
{
    return ow_config_data_dir ();
}

static void
keep_error (char *error)
{
    if (error && !s_tables.error)
        s_tables.error = error;
    else
        free (error);
}

static void
load (void)
{
    const char *dir = ex_tables_data_dir ();
    char *error = NULL;
    s_tables.holidays = ow_holidays_load (dir, &error);
    keep_error (error);
    error = NULL;
    s_tables.themes = ex_lexicon_load (dir, "themes.csv", &ofwatch__v1__theme__descriptor, &error);
    keep_error (error);
    error = NULL;
    s_tables.polarity = ex_lexicon_load (dir, "polarity.csv", &ofwatch__v1__polarity__descriptor, &error);
    keep_error (error);
    error = NULL;
    s_tables.headings = ex_headings_load (dir, "headings.csv", &error);
    keep_error (error);
    error = NULL;
    char *findings = ow_printf ("%s/%s", dir, EX_CLASSIFIER_DIR);
    s_tables.classifier = ex_classifier_load (findings, &error);
    free (findings);
    keep_error (error);
    error = NULL;
    s_tables.anatomy = ex_anatomy_load (dir, &error);
    keep_error (error);
}

const ex_tables_t *
ex_tables (void)
{
    pthread_once (&s_once, load);
    return &s_tables;
}
