/*  ex_tables — the data tables extraction reads: bank holidays (for
    deadlines), the theme and polarity lexicons, the heading contexts,
    the findings classifier and the anatomy of documents (for
    classification).

    Loaded once per process from the data directory (OFWATCH_DATA, else
    the compiled-in OW_DEFAULT_DATA_DIR) on first use and read-only after,
    so concurrent extractions share them without locking.
*/
#ifndef EX_TABLES_H
#define EX_TABLES_H

#include "ow_date.h"

#include "ex_classifier.h"
#include "ex_classify.h"
#include "ex_headings.h"
#include "ex_lexicon.h"

typedef struct {
    ow_holidays_t *holidays;    // NULL when the file could not be read
    ex_lexicon_t *themes;       // NULL when the file could not be read
    ex_lexicon_t *polarity;     // NULL when the file could not be read
    ex_headings_t *headings;    // NULL when the file could not be read
    ex_classifier_t *classifier;    // NULL when its files could not be read
    ex_anatomy_t *anatomy;      // NULL when the file could not be read
    char *error;                // why a table is missing, or NULL
} ex_tables_t;

//  The process's tables; never NULL.
const ex_tables_t *ex_tables (void);

//  The data directory in use.
const char *ex_tables_data_dir (void);

#endif
