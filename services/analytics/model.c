/*  model — every authority's history in memory; see model.h.  */

#include "model.h"
#include "hi_read.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct _model_t {
    const ow_register_t *reg;
    model_history_t *histories;     // one per register entry, in its order
    size_t size;
    size_t *by_code;                // history indexes sorted by ONS code
    uint64_t generation;            // loads swapped in
    pthread_mutex_t lock;
};

void
model_prepare (ow_db_t *db)
{
    hi_read_prepare (db);
}

//  --------------------------------------------------------------------------
//  Construction

static int
compare_codes (const void *a, const void *b, void *context)
{
    const model_history_t *h = ((const model_t *) context)->histories;
    return strcmp (h [*(const size_t *) a].authority->code,
                   h [*(const size_t *) b].authority->code);
}

model_t *
model_new (const ow_register_t *reg)
{
    model_t *self = ow_calloc (1, sizeof (model_t));
    self->reg = reg;
    self->size = ow_register_size (reg);
    self->histories = ow_calloc (self->size ? self->size : 1, sizeof (model_history_t));
    self->by_code = ow_calloc (self->size ? self->size : 1, sizeof (size_t));
    for (size_t i = 0; i < self->size; i++) {
        self->histories [i].authority = ow_register_at (reg, i);
        self->by_code [i] = i;
    }
    qsort_r (self->by_code, self->size, sizeof (size_t), compare_codes, self);
    pthread_mutex_init (&self->lock, NULL);
    return self;
}

void
model_destroy (model_t **self_p)
{
    model_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->size; i++)
        hi_history_clear (&self->histories [i]);
    free (self->histories);
    free (self->by_code);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

//  --------------------------------------------------------------------------
//  Lookup

static size_t
index_of (const model_t *self, const char *code)
{
    size_t low = 0, high = self->size;
    while (low < high) {
        size_t middle = (low + high) / 2;
        int order = strcmp (self->histories [self->by_code [middle]].authority->code, code);
        if (order == 0)
            return self->by_code [middle];
        if (order < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return self->size;
}

const model_history_t *
model_history_by_code (const model_t *self, const char *code)
{
    size_t index = code ? index_of (self, code) : self->size;
    return index < self->size ? &self->histories [index] : NULL;
}

const model_history_t *
model_history (const model_t *self, const ow_authority_t *authority)
{
    return authority ? model_history_by_code (self, authority->code) : NULL;
}

uint64_t
model_generation (const model_t *self)
{
    return self->generation;
}

size_t
model_size (const model_t *self)
{
    return self->size;
}

const model_history_t *
model_at (const model_t *self, size_t index)
{
    return index < self->size ? &self->histories [index] : NULL;
}

void
model_lock (model_t *self)
{
    pthread_mutex_lock (&self->lock);
}

void
model_unlock (model_t *self)
{
    pthread_mutex_unlock (&self->lock);
}

Ofwatch__V1__Grade
model_grade (const model_inspection_t *inspection, const char *area)
{
    for (size_t i = 0; i < inspection->n_grades; i++)
        if (strcmp (inspection->grades [i].area, area) == 0)
            return inspection->grades [i].grade;
    return 0;
}

bool
model_is_dated_full (const model_inspection_t *inspection)
{
    return ow_kind_is_full_inspection (inspection->kind)
        && (inspection->start != OW_DATE_NONE || inspection->end != OW_DATE_NONE);
}

bool
model_is_graded (Ofwatch__V1__Grade grade)
{
    return grade != 0 && grade != OFWATCH__V1__GRADE__GRADE_NOT_JUDGED;
}

bool
model_is_graded_full (const model_inspection_t *inspection)
{
    if (!model_is_dated_full (inspection))
        return false;
    for (size_t i = 0; i < inspection->n_grades; i++)
        if (model_is_graded (inspection->grades [i].grade))
            return true;
    return false;
}

bool
model_judged_inadequate (const model_inspection_t *inspection)
{
    Ofwatch__V1__Grade overall = model_grade (inspection, "overall");
    if (model_is_graded (overall))
        return overall == OFWATCH__V1__GRADE__GRADE_INADEQUATE;
    for (size_t i = 0; i < inspection->n_grades; i++)
        if (inspection->grades [i].grade == OFWATCH__V1__GRADE__GRADE_INADEQUATE)
            return true;
    return false;
}

bool
model_is_post_reform (const model_inspection_t *inspection)
{
    switch (inspection->kind) {
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS:
            break;
        default:
            return false;
    }
    if (model_is_graded (model_grade (inspection, "overall")) || inspection->n_grades == 0)
        return false;
    //  The fieldwork decides; the publication only when it is not known.
    int reform = ow_date_from_iso (MODEL_REFORM_DAY);
    int day = inspection->start != OW_DATE_NONE ? inspection->start : inspection->published;
    return day != OW_DATE_NONE && day >= reform;
}

const model_inspection_t *
model_inspection (const model_history_t *history, int64_t id)
{
    for (size_t i = 0; i < history->n_inspections; i++)
        if (history->inspections [i].id == id)
            return &history->inspections [i];
    return NULL;
}

//  --------------------------------------------------------------------------
//  Loading

typedef struct {
    model_t *model;
    model_history_t *fresh;         // what is being loaded, by register entry
} load_t;

//  The fresh history an authority's rows go to; NULL for one the
//  register no longer holds.
static hi_history_t *
history_slot (void *context, const char *code)
{
    load_t *load = context;
    size_t h = index_of (load->model, code);
    return h < load->model->size ? &load->fresh [h] : NULL;
}

bool
model_load (model_t *self, ow_db_t *db, const char *code)
{
    size_t only = code ? index_of (self, code) : self->size;
    if (code && only >= self->size)
        return true;            // not an authority of the register: nothing to hold
    load_t load = { .model = self };
    load.fresh = ow_calloc (self->size ? self->size : 1, sizeof (model_history_t));
    for (size_t i = 0; i < self->size; i++)
        load.fresh [i].authority = self->histories [i].authority;
    bool ok = hi_read (db, code, history_slot, &load);
    if (ok) {
        model_lock (self);
        for (size_t i = 0; i < self->size; i++) {
            if (code && i != only)
                continue;
            model_history_t old = self->histories [i];
            self->histories [i] = load.fresh [i];
            load.fresh [i] = old;
        }
        self->generation++;
        model_unlock (self);
    }
    for (size_t i = 0; i < self->size; i++)
        hi_history_clear (&load.fresh [i]);
    free (load.fresh);
    return ok;
}
