/*  ex_training — examples from labelled documents, three models from the
    examples, and scores from extracting with them. */

#include "ex_training.h"
#include "extract.h"
#include "ow_pb.h"
#include "ow_vocab.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EPSILON 0.01            // liblinear's stopping tolerance for L2R_LR

static const char *s_family_names [EX_FAMILY_COUNT] = {
    "inspection report", "focused-visit letter", "monitoring letter", "council paper", "other"
};

const char *
ex_family_name (ex_family_t family)
{
    assert (family < EX_FAMILY_COUNT);
    return s_family_names [family];
}

static ex_family_t
family_of (Ofwatch__V1__DocKind kind)
{
    switch (kind) {
        case OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_LSCB_REVIEW:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_AREA_SEND_REPORT:
            return EX_FAMILY_REPORT;
        case OFWATCH__V1__DOC_KIND__DOC_KIND_FOCUSED_VISIT_LETTER:
            return EX_FAMILY_FOCUSED;
        case OFWATCH__V1__DOC_KIND__DOC_KIND_MONITORING_LETTER:
            return EX_FAMILY_MONITORING;
        default:
            return ex_findings_by_council (kind) ? EX_FAMILY_COUNCIL : EX_FAMILY_OTHER;
    }
}

//  The kinds whose parsers read prose for findings (ex_letter,
//  ex_council); reports give their lists only.
static bool
reads_prose (Ofwatch__V1__DocKind kind)
{
    return kind == OFWATCH__V1__DOC_KIND__DOC_KIND_MONITORING_LETTER
        || kind == OFWATCH__V1__DOC_KIND__DOC_KIND_FOCUSED_VISIT_LETTER
        || kind == OFWATCH__V1__DOC_KIND__DOC_KIND_JTAI_LETTER
        || ex_findings_by_council (kind);
}

//  ---------------------------------------------------------------------
//  Documents

static ex_example_t *
new_example (ex_document_t *self, const char *text)
{
    self->examples = realloc (self->examples, (self->count + 1) * sizeof (ex_example_t));
    if (!self->examples)
        abort ();
    ex_example_t *example = &self->examples [self->count++];
    memset (example, 0, sizeof *example);
    example->text = ow_strdup (text);
    return example;
}

typedef struct {
    ex_document_t *document;
    bool council;
} collect_t;

static void
collect_candidate (void *arg, const ex_statement_t *statement)
{
    collect_t *collect = arg;
    ex_example_t *example = new_example (collect->document, statement->text);
    example->statement = *statement;
    example->statement.text = example->text;
}

//  A parser's list item: a priority action, or a "what needs to improve"
//  item (which is also among the event's improvements).
static bool
is_list_item (const Ofwatch__V1__InspectionFacts *event, const Ofwatch__V1__Finding *finding)
{
    if (finding->polarity == OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION)
        return true;
    if (finding->polarity != OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED)
        return false;
    for (size_t i = 0; i < event->n_improvements; i++)
        if (strcmp (event->improvements [i], finding->text) == 0)
            return true;
    return false;
}

static uint8_t *
read_bytes (const char *path, size_t *size, char **error)
{
    FILE *file = fopen (path, "rb");
    struct stat info;
    if (!file || fstat (fileno (file), &info) != 0) {
        *error = ow_printf ("%s cannot be read", path);
        if (file)
            fclose (file);
        return NULL;
    }
    uint8_t *bytes = ow_malloc ((size_t) info.st_size + 1);
    *size = fread (bytes, 1, (size_t) info.st_size, file);
    fclose (file);
    return bytes;
}

ex_document_t *
ex_document_read (const ow_register_t *reg, const ex_findings_tools_t *tools,
                  const ex_labels_t *labels, const char *path, char **error)
{
    size_t size = 0;
    uint8_t *bytes = read_bytes (path, &size, error);
    if (!bytes)
        return NULL;
    //  Every list item, so that each is measured, whether or not its
    //  theme is clear enough to the classifier being measured.
    extract_input_t input = { bytes, size, path, NULL, NULL, true };
    char *text = NULL;
    Ofwatch__V1__Extraction *extraction = extract_document (reg, &input, &text, error);
    free (bytes);
    if (!extraction)
        return NULL;
    ex_document_t *self = ow_calloc (1, sizeof (ex_document_t));
    self->path = ow_strdup (path);
    self->family = family_of (extraction->doc_kind);
    self->extraction = extraction;
    bool council = ex_findings_by_council (extraction->doc_kind);
    //  The list items, set aside from the prose as extraction does.
    ex_span_t *taken = NULL;
    size_t n_taken = 0;
    for (size_t e = 0; e < extraction->n_events; e++) {
        const Ofwatch__V1__InspectionFacts *event = extraction->events [e];
        for (size_t f = 0; f < event->n_findings; f++) {
            const Ofwatch__V1__Finding *finding = event->findings [f];
            if (!is_list_item (event, finding))
                continue;
            taken = realloc (taken, (n_taken + 1) * sizeof (ex_span_t));
            if (!taken)
                abort ();
            taken [n_taken++] = (ex_span_t) { finding->start, finding->end };
            ex_example_t *example = new_example (self, finding->text);
            example->given = finding->polarity;
        }
    }
    //  A letter has one event, and only a focused visit's says what it
    //  looked at.
    for (size_t e = 0; e < extraction->n_events && !self->focus; e++)
        self->focus = ex_findings_focus (extraction->events [e]);
    if (reads_prose (extraction->doc_kind)) {
        collect_t collect = { self, council };
        ex_findings_candidates (tools, text, strlen (text), 0, strlen (text), taken, n_taken,
                                collect_candidate, &collect);
    }
    for (size_t i = 0; i < self->count; i++) {
        ex_example_t *example = &self->examples [i];
        if (example->given)
            ex_findings_item_input (example->text, strlen (example->text), example->given,
                                    council, self->focus, &example->input);
        else
            ex_findings_input (&example->statement, council, self->focus, &example->input);
        example->label = labels ? ex_labels_find (labels, path, example->text) : NULL;
    }
    for (size_t i = 0; labels && i < ex_labels_count (labels); i++) {
        const ex_label_t *label = ex_labels_at (labels, i);
        self->labelled += label->polarity && strcmp (label->document, path) == 0;
    }
    free (taken);
    free (text);
    return self;
}

void
ex_document_destroy (ex_document_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ex_document_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        free (self->examples [i].text);
    free (self->examples);
    ow_pb_free (&self->extraction);
    free (self->focus);
    free (self->path);
    free (self);
    *self_p = NULL;
}

//  ---------------------------------------------------------------------
//  Training

typedef struct {
    struct feature_node **x;
    double *y;
    int l, capacity;
} rows_t;

static void
add_row (rows_t *rows, const struct feature_node *x, double y)
{
    if (rows->l == rows->capacity) {
        rows->capacity = rows->capacity ? rows->capacity * 2 : 512;
        rows->x = realloc (rows->x, (size_t) rows->capacity * sizeof (struct feature_node *));
        rows->y = realloc (rows->y, (size_t) rows->capacity * sizeof (double));
        if (!rows->x || !rows->y)
            abort ();
    }
    size_t n = 0;
    while (x [n].index != -1)
        n++;
    struct feature_node *copy = ow_malloc ((n + 1) * sizeof (struct feature_node));
    memcpy (copy, x, (n + 1) * sizeof (struct feature_node));
    rows->x [rows->l] = copy;
    rows->y [rows->l++] = y;
}

static void
free_rows (rows_t *rows)
{
    for (int i = 0; i < rows->l; i++)
        free (rows->x [i]);
    free (rows->x);
    free (rows->y);
}

static void
quiet (const char *message)
{
    (void) message;
}

static int
count_classes (const rows_t *rows)
{
    int classes = 0;
    for (int i = 0; i < rows->l; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = rows->y [j] == rows->y [i];
        classes += !seen;
    }
    return classes;
}

static struct model *
train_rows (const rows_t *rows, const ex_vocabulary_t *vocabulary, double cost, const char *what,
            char **error)
{
    if (count_classes (rows) < 2) {
        *error = ow_printf ("the labelled set gives the %s model fewer than two classes", what);
        return NULL;
    }
    struct problem problem = {
        .l = rows->l, .n = (int) ex_vocabulary_size (vocabulary) + 1,
        .y = rows->y, .x = rows->x, .bias = 1
    };
    struct parameter parameter = {
        .solver_type = L2R_LR, .eps = EPSILON, .C = cost, .p = 0.1
    };
    const char *problem_error = check_parameter (&problem, &parameter);
    if (problem_error) {
        *error = ow_printf ("liblinear refuses the %s problem: %s", what, problem_error);
        return NULL;
    }
    set_print_string_function (quiet);
    return train (&problem, &parameter);
}

//  A model's C: its own when the settings give one, else the common one.
static double
own_cost (const ex_classifier_settings_t *settings, double own)
{
    return own > 0 ? own : settings->cost;
}

//  The vocabulary: feature names of at least min_count labelled examples
//  of the documents used, in the order first seen.
static ex_vocabulary_t *
build_vocabulary (ex_document_t **documents, size_t count, const bool *use,
                  ex_features_t *features, int min_count)
{
    ex_vocabulary_t *all = ex_vocabulary_new ();
    int *seen = NULL;
    size_t seen_size = 0;
    for (size_t d = 0; d < count; d++) {
        if (use && !use [d])
            continue;
        for (size_t i = 0; i < documents [d]->count; i++) {
            const ex_example_t *example = &documents [d]->examples [i];
            if (!example->label)
                continue;
            const struct feature_node *x = ex_features_vector (features, &example->input, all, true, -1);
            if (ex_vocabulary_size (all) > seen_size) {
                size_t grown = ex_vocabulary_size (all) * 2;
                seen = realloc (seen, (grown + 1) * sizeof (int));
                if (!seen)
                    abort ();
                memset (seen + seen_size + 1, 0, (grown - seen_size) * sizeof (int));
                seen_size = grown;
            }
            for (size_t k = 0; x [k].index != -1; k++)
                seen [x [k].index]++;
        }
    }
    ex_vocabulary_t *vocabulary = ex_vocabulary_new ();
    for (size_t column = 1; column <= ex_vocabulary_size (all); column++)
        if (seen [column] >= min_count)
            ex_vocabulary_add (vocabulary, ex_vocabulary_name (all, (int) column));
    free (seen);
    ex_vocabulary_destroy (&all);
    return vocabulary;
}

ex_classifier_t *
ex_training_train (ex_document_t **documents, size_t count, const bool *use,
                   const ex_findings_tools_t *tools,
                   const ex_classifier_settings_t *settings, char **error)
{
    ex_features_t *features = ex_features_new (tools->polarity, tools->themes);
    ex_vocabulary_t *vocabulary = build_vocabulary (documents, count, use, features,
                                                    settings->min_count);
    rows_t finding = { 0 }, polarity = { 0 }, theme = { 0 };
    for (size_t d = 0; d < count; d++) {
        if (use && !use [d])
            continue;
        for (size_t i = 0; i < documents [d]->count; i++) {
            const ex_example_t *example = &documents [d]->examples [i];
            if (!example->label)
                continue;
            const struct feature_node *x = ex_features_vector (features, &example->input,
                                                               vocabulary, false, 1);
            bool is_finding = example->label->polarity != 0;
            if (!example->given) {
                add_row (&finding, x, is_finding ? 1 : 0);
                if (is_finding)
                    add_row (&polarity, x, example->label->polarity);
            }
            if (is_finding)
                add_row (&theme, x, example->label->theme);
        }
    }
    ex_features_destroy (&features);
    struct model *models [3] = { NULL, NULL, NULL };
    models [0] = train_rows (&finding, vocabulary, own_cost (settings, settings->cost_finding),
                             "finding", error);
    if (models [0])
        models [1] = train_rows (&polarity, vocabulary,
                                 own_cost (settings, settings->cost_polarity), "polarity", error);
    if (models [1])
        models [2] = train_rows (&theme, vocabulary, own_cost (settings, settings->cost_theme),
                                 "theme", error);
    free_rows (&finding);
    free_rows (&polarity);
    free_rows (&theme);
    if (!models [2]) {
        for (int i = 0; i < 3; i++)
            if (models [i])
                free_and_destroy_model (&models [i]);
        ex_vocabulary_destroy (&vocabulary);
        return NULL;
    }
    return ex_classifier_new (vocabulary, models [0], models [1], models [2], settings);
}

bool
ex_training_held_out (ex_document_t **documents, size_t count, const ex_findings_tools_t *tools,
                      const ex_classifier_settings_t *settings, ex_held_out_fn *visit, void *arg,
                      char **error)
{
    bool *use = ow_calloc (count + 1, sizeof (bool));
    for (size_t d = 0; d < count && !*error; d++) {
        for (size_t k = 0; k < count; k++)
            use [k] = k != d;
        ex_classifier_t *classifier = ex_training_train (documents, count, use, tools, settings,
                                                         error);
        if (classifier)
            visit (arg, documents [d], classifier);
        ex_classifier_destroy (&classifier);
    }
    free (use);
    return !*error;
}

//  ---------------------------------------------------------------------
//  Measuring

bool
ex_training_decide (const ex_classifier_settings_t *settings, const ex_example_t *example,
                    const ex_judgement_t *judgement, Ofwatch__V1__Polarity *polarity)
{
    //  A list item is a finding by its place when its theme is clear;
    //  only its theme is judged.
    *polarity = example->given;
    return *polarity ? ex_findings_item_sure (settings, *polarity, judgement->theme_p)
                     : ex_findings_decide (settings, &example->statement, judgement, polarity);
}

bool
ex_training_right (const ex_example_t *example, int polarity, int theme)
{
    const ex_label_t *label = example->label;
    return label && label->polarity == polarity && ex_label_theme_is (label, theme);
}

void
ex_training_judge (const ex_document_t *document, const ex_classifier_t *classifier,
                   const ex_findings_tools_t *tools, ex_judged_fn *each, void *arg)
{
    ex_features_t *features = ex_features_new (tools->polarity, tools->themes);
    ex_vocabulary_t *vocabulary = ex_classifier_vocabulary (classifier);
    for (size_t i = 0; i < document->count; i++) {
        const ex_example_t *example = &document->examples [i];
        const struct feature_node *x = ex_features_vector (features, &example->input,
                                                           vocabulary, false, 1);
        ex_judgement_t judgement;
        ex_classifier_judge (classifier, x, &judgement);
        Ofwatch__V1__Polarity polarity;
        bool extracted = ex_training_decide (ex_classifier_settings (classifier), example,
                                             &judgement, &polarity);
        each (arg, example, &judgement, polarity, extracted);
    }
    ex_features_destroy (&features);
}

typedef struct {
    void (*each) (void *arg, const char *text, int polarity, int theme);
    void *arg;
    size_t extracted;
} extracting_t;

static void
extract_one (void *arg, const ex_example_t *example, const ex_judgement_t *judgement,
             Ofwatch__V1__Polarity polarity, bool extracted)
{
    extracting_t *extracting = arg;
    if (!extracted)
        return;
    extracting->each (extracting->arg, example->text, polarity, judgement->theme);
    extracting->extracted++;
}

size_t
ex_training_extract (const ex_document_t *document, const ex_classifier_t *classifier,
                     const ex_findings_tools_t *tools,
                     void (*each) (void *arg, const char *text, int polarity, int theme), void *arg)
{
    extracting_t extracting = { each, arg, 0 };
    ex_training_judge (document, classifier, tools, extract_one, &extracting);
    return extracting.extracted;
}

typedef struct {
    const ex_document_t *document;
    ex_score_t *score;
    FILE *wrong;
} measuring_t;

static void
score_one (void *arg, const char *text, int polarity, int theme)
{
    measuring_t *measuring = arg;
    const ex_example_t *example = NULL;
    for (size_t i = 0; i < measuring->document->count && !example; i++)
        if (measuring->document->examples [i].text == text)
            example = &measuring->document->examples [i];
    assert (example);
    const ex_label_t *label = example->label;
    measuring->score->extracted++;
    if (!label)
        measuring->score->unlabelled++;
    if (ex_training_right (example, polarity, theme)) {
        measuring->score->right++;
        return;
    }
    if (measuring->wrong)
        fprintf (measuring->wrong, "  wrong %s: %s/%s, labelled %s/%s: %s\n",
                 measuring->document->path, ow_polarity_word (polarity), ow_theme_word (theme),
                 label ? (label->polarity ? ow_polarity_word (label->polarity) : "not_a_finding")
                       : "(not labelled)",
                 label && label->theme ? ow_theme_word (label->theme) : "-", text);
}

void
ex_training_measure (const ex_document_t *document, const ex_classifier_t *classifier,
                     const ex_findings_tools_t *tools, ex_score_t *score, FILE *wrong)
{
    measuring_t measuring = { document, score, wrong };
    size_t right_before = score->right;
    ex_training_extract (document, classifier, tools, score_one, &measuring);
    score->found += score->right - right_before;
    score->candidates += document->count;
    score->labelled += document->labelled;
}

static double
share (size_t part, size_t whole)
{
    return whole ? 100.0 * (double) part / (double) whole : 0;
}

void
ex_training_print (FILE *out, const char *title, const ex_score_t scores [EX_FAMILY_COUNT])
{
    fprintf (out, "%s\n", title);
    fprintf (out, "  %-22s %9s %6s %9s %9s %6s %7s\n", "kind", "extracted", "right", "precision",
             "labelled", "found", "recall");
    for (int family = 0; family < EX_FAMILY_COUNT; family++) {
        const ex_score_t *s = &scores [family];
        if (!s->candidates)
            continue;
        fprintf (out, "  %-22s %9zu %6zu %8.1f%% %9zu %6zu %6.1f%%\n", ex_family_name (family),
                 s->extracted, s->right, share (s->right, s->extracted), s->labelled, s->found,
                 share (s->found, s->labelled));
    }
}

static void
count_parts (void *arg, const ex_example_t *example, const ex_judgement_t *judgement,
             Ofwatch__V1__Polarity polarity, bool extracted)
{
    (void) extracted;
    ex_parts_t *parts = arg;
    if (!example->label)
        return;
    bool is_finding = example->label->polarity != 0;
    if (!example->given) {
        parts->candidates++;
        parts->finding_right += (judgement->finding >= 0.5) == is_finding;
    }
    if (!is_finding)
        return;
    parts->findings++;
    parts->polarity_right += (int) polarity == example->label->polarity;
    parts->theme_right += ex_label_theme_is (example->label, (int) judgement->theme);
}

void
ex_training_parts (const ex_document_t *document, const ex_classifier_t *classifier,
                   const ex_findings_tools_t *tools, ex_parts_t *parts)
{
    ex_training_judge (document, classifier, tools, count_parts, parts);
}

void
ex_training_print_parts (FILE *out, const ex_parts_t *parts)
{
    fprintf (out, "  finding or not %.1f%% of %zu candidates; polarity %.1f%%, theme %.1f%% "
                  "of %zu labelled findings\n",
             share (parts->finding_right, parts->candidates), parts->candidates,
             share (parts->polarity_right, parts->findings), share (parts->theme_right, parts->findings),
             parts->findings);
}
