/*  findings_train — the findings classifier's labelled set, training and
    figures.

    Run from the repository's root (the labelled set names documents from
    there; ../shared must be beside it for the corpus's PDFs):

      build/tools/findings_train candidates DOCUMENT...
          prints every statement extraction would judge in each document,
          and its list items, in the labelled set's format: the label when
          the set has one, `?` when it does not (list items show their
          list's polarity and `?` for the theme). For labelling.
      build/tools/findings_train text DOCUMENT
          prints the document's text as extraction decodes it (page
          numbers, running headers and footers removed), to read a
          statement in its place while labelling.
      build/tools/findings_train train
          trains on the whole labelled set with data/findings/settings.csv
          and writes the classifier into data/findings/.
      build/tools/findings_train settings
          chooses the thresholds (finding, polarity, theme, theme_item) by
          a rule from held-out judgements: the most findings right with
          every kind of document at 95.5% or more (ex_thresholds.h);
          prints what they give held out, and nested (each document with
          thresholds chosen from the others alone: what to expect of a
          document never seen); writes data/findings/settings.csv.
      build/tools/findings_train predictions
          prints the held-out judgement of every labelled statement (document,
          kind, label, themes, probability of a finding, polarity and its
          probability, theme and its probability, the lead-in's context,
          whether a list or heading gave the polarity, whether it names
          the inspectors as its source, the text), tab-separated, for
          studying the settings.
      build/tools/findings_train evaluate [--wrong]
          prints, per kind of document, the share of extracted findings
          that are right, held out (each document measured by a
          classifier trained without it) and with data/findings/ as
          committed; --wrong lists every wrong and missed finding.

    Options before the command: --labels FILE (tests/findings/labels.tsv),
    --model DIR (data/findings).
*/

#include "ex_tables.h"
#include "ex_training.h"
#include "ex_thresholds.h"
#include "extract.h"
#include "ow_pb.h"
#include "ow_vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *labels_path;
    const char *model_dir;
    ow_register_t *reg;
    ex_labels_t *labels;
    ex_findings_tools_t tools;
} context_t;

static int
usage (void)
{
    fprintf (stderr, "usage: findings_train [--labels FILE] [--model DIR] "
                     "candidates DOCUMENT... | text DOCUMENT... | train | settings | predictions | "
                     "evaluate [--wrong]\n");
    return 2;
}

static ex_document_t *
read_document (context_t *context, const char *path)
{
    char *error = NULL;
    ex_document_t *document = ex_document_read (context->reg, &context->tools, context->labels,
                                                path, &error);
    if (!document) {
        fprintf (stderr, "findings_train: %s: %s\n", path, error);
        free (error);
    }
    return document;
}

static void
print_tsv_field (const char *text)
{
    for (const char *c = text; *c; c++)
        putchar (*c == '\t' || *c == '\n' ? ' ' : *c);
}

static int
candidates (context_t *context, int argc, char **argv)
{
    int failed = 0;
    for (int i = 0; i < argc; i++) {
        ex_document_t *document = read_document (context, argv [i]);
        if (!document) {
            failed = 1;
            continue;
        }
        for (size_t k = 0; k < document->count; k++) {
            const ex_example_t *example = &document->examples [k];
            const ex_label_t *label = example->label;
            const char *polarity = label ? (label->polarity ? ow_polarity_word (label->polarity)
                                                            : "not_a_finding")
                                 : example->given ? ow_polarity_word (example->given) : "?";
            const char *theme = label ? (label->theme ? ow_theme_word (label->theme) : "") : "?";
            printf ("%s\t%s\t%s%s%s\t", argv [i], polarity, theme, label && label->also ? "|" : "",
                    label && label->also ? ow_theme_word (label->also) : "");
            print_tsv_field (example->text);
            putchar ('\n');
        }
        ex_document_destroy (&document);
    }
    return failed;
}

static int
print_text (int argc, char **argv)
{
    int failed = 0;
    for (int i = 0; i < argc; i++) {
        FILE *file = fopen (argv [i], "rb");
        if (!file) {
            fprintf (stderr, "findings_train: %s cannot be read\n", argv [i]);
            failed = 1;
            continue;
        }
        size_t capacity = 1 << 16, size = 0, got;
        uint8_t *bytes = ow_malloc (capacity);
        while ((got = fread (bytes + size, 1, capacity - size, file)) > 0) {
            size += got;
            if (size == capacity)
                bytes = realloc (bytes, capacity *= 2);
            if (!bytes)
                abort ();
        }
        fclose (file);
        extract_input_t input = { bytes, size, argv [i], NULL, NULL, false };
        const char *media_type = NULL;
        size_t length = 0;
        char *error = NULL;
        char *text = extract_decode (&input, &media_type, &length, &error);
        if (text)
            fwrite (text, 1, length, stdout);
        else {
            fprintf (stderr, "findings_train: %s: %s\n", argv [i], error);
            failed = 1;
        }
        free (error);
        free (text);
        free (bytes);
    }
    return failed;
}

//  Reads every labelled document; NULL when one cannot be read.
static ex_document_t **
read_all (context_t *context, size_t *count)
{
    *count = ex_labels_documents (context->labels);
    ex_document_t **documents = ow_calloc (*count + 1, sizeof (ex_document_t *));
    for (size_t i = 0; i < *count; i++) {
        documents [i] = read_document (context, ex_labels_document (context->labels, i));
        if (!documents [i]) {
            for (size_t k = 0; k < i; k++)
                ex_document_destroy (&documents [k]);
            free (documents);
            return NULL;
        }
    }
    return documents;
}

static void
free_all (ex_document_t **documents, size_t count)
{
    for (size_t i = 0; i < count; i++)
        ex_document_destroy (&documents [i]);
    free (documents);
}

//  The settings in the model directory, or the defaults (saying so).
static void
load_settings (const context_t *context, ex_classifier_settings_t *settings)
{
    char *error = NULL;
    char *path = ow_printf ("%s/settings.csv", context->model_dir);
    if (!ex_classifier_settings_load (path, settings, &error)) {
        fprintf (stderr, "findings_train: %s (using the defaults)\n", error);
        ex_classifier_settings_default (settings);
    }
    free (error);
    free (path);
}

//  ex_training_held_out, saying why when it fails.
static bool
held_out_each (context_t *context, ex_document_t **documents, size_t count,
               const ex_classifier_settings_t *settings, ex_held_out_fn *visit, void *arg)
{
    char *error = NULL;
    bool trained = ex_training_held_out (documents, count, &context->tools, settings, visit, arg,
                                         &error);
    if (!trained)
        fprintf (stderr, "findings_train: %s\n", error);
    free (error);
    return trained;
}

static int
train_all (context_t *context)
{
    size_t count;
    ex_document_t **documents = read_all (context, &count);
    if (!documents)
        return 1;
    char *error = NULL;
    ex_classifier_settings_t settings;
    load_settings (context, &settings);
    ex_classifier_t *classifier = ex_training_train (documents, count, NULL, &context->tools,
                                                     &settings, &error);
    int status = 0;
    if (!classifier || !ex_classifier_save (classifier, context->model_dir, &error)) {
        fprintf (stderr, "findings_train: %s\n", error);
        status = 1;
    }
    else
        printf ("trained on %zu documents: %zu features, written to %s\n", count,
                ex_vocabulary_size (ex_classifier_vocabulary (classifier)), context->model_dir);
    free (error);
    ex_classifier_destroy (&classifier);
    free_all (documents, count);
    return status;
}

typedef struct {
    const ex_findings_tools_t *tools;
    ex_score_t scores [EX_FAMILY_COUNT];
    ex_parts_t parts;
    FILE *wrong;
} evaluation_t;

static void
measure_held_out (void *arg, const ex_document_t *document, const ex_classifier_t *classifier)
{
    evaluation_t *evaluation = arg;
    ex_training_measure (document, classifier, evaluation->tools,
                         &evaluation->scores [document->family], evaluation->wrong);
    ex_training_parts (document, classifier, evaluation->tools, &evaluation->parts);
}

static int
evaluate (context_t *context, bool show_wrong)
{
    size_t count;
    ex_document_t **documents = read_all (context, &count);
    if (!documents)
        return 1;
    char *error = NULL;
    ex_classifier_t *committed = ex_classifier_load (context->model_dir, &error);
    if (!committed) {
        fprintf (stderr, "findings_train: %s (no overall figures)\n", error);
        free (error);
    }
    ex_classifier_settings_t settings;
    load_settings (context, &settings);
    evaluation_t held_out = { .tools = &context->tools, .wrong = show_wrong ? stdout : NULL };
    evaluation_t overall = { .tools = &context->tools };
    bool trained = held_out_each (context, documents, count, &settings, measure_held_out, &held_out);
    for (size_t d = 0; d < count && committed; d++)
        ex_training_measure (documents [d], committed, &context->tools,
                             &overall.scores [documents [d]->family], NULL);
    if (trained) {
        ex_training_print (stdout, "held out (each document by a classifier trained without it):",
                           held_out.scores);
        ex_training_print_parts (stdout, &held_out.parts);
        if (committed)
            ex_training_print (stdout, "overall (the committed classifier, trained on every document):",
                               overall.scores);
    }
    ex_classifier_destroy (&committed);
    free_all (documents, count);
    return trained ? 0 : 1;
}

static void
print_judged (void *arg, const ex_example_t *example, const ex_judgement_t *judgement,
              Ofwatch__V1__Polarity polarity, bool extracted)
{
    const ex_document_t *document = arg;
    const ex_label_t *label = example->label;
    if (!label)
        return;
    bool sided = !example->given && ex_findings_side (&example->statement);
    bool attributed = ex_features_attributed (example->text, strlen (example->text));
    printf ("%s\t%s\t%s\t%s\t%s\t%s\t%d\t%.4f\t%s\t%.4f\t%s\t%.4f\t%d\t%d\t%d\t",
            document->path,
            ex_family_name (document->family),
            label->polarity ? ow_polarity_word (label->polarity) : "not_a_finding",
            label->theme ? ow_theme_word (label->theme) : "-",
            label->also ? ow_theme_word (label->also) : "-",
            example->given ? "item" : "candidate", extracted, judgement->finding,
            ow_polarity_word (polarity), judgement->polarity_p, ow_theme_word (judgement->theme),
            judgement->theme_p, (int) example->input.lead_in, sided, attributed);
    print_tsv_field (example->text);
    putchar ('\n');
}

static void
print_held_out (void *arg, const ex_document_t *document, const ex_classifier_t *classifier)
{
    const ex_findings_tools_t *tools = arg;
    ex_training_judge (document, classifier, tools, print_judged, (void *) document);
}

static int
predictions (context_t *context)
{
    size_t count;
    ex_document_t **documents = read_all (context, &count);
    if (!documents)
        return 1;
    ex_classifier_settings_t settings;
    load_settings (context, &settings);
    bool trained = held_out_each (context, documents, count, &settings, print_held_out,
                                  &context->tools);
    free_all (documents, count);
    return trained ? 0 : 1;
}

typedef struct {
    ex_thresholds_t *thresholds;
    const ex_findings_tools_t *tools;
} recording_t;

static void
record_held_out (void *arg, const ex_document_t *document, const ex_classifier_t *classifier)
{
    recording_t *recording = arg;
    ex_thresholds_add (recording->thresholds, document, classifier, recording->tools);
}

//  Chooses the thresholds by the rule of ex_thresholds from what was
//  recorded, prints what they give held out and nested, and writes them
//  to the model directory's settings.csv.
static bool
choose_and_save (const context_t *context, const ex_thresholds_t *thresholds,
                 const ex_classifier_settings_t *base)
{
    ex_score_t scores [EX_FAMILY_COUNT] = { { 0 } }, nested [EX_FAMILY_COUNT] = { { 0 } };
    ex_classifier_settings_t chosen;
    if (!ex_thresholds_choose (thresholds, EX_THRESHOLDS_LEAST, base, &chosen, scores, nested)) {
        fprintf (stderr, "findings_train: no setting of the grid keeps every kind at %.1f%%; "
                 "the settings are left as they are\n", 100 * EX_THRESHOLDS_LEAST);
        return false;
    }
    printf ("chosen: finding %g, polarity %g, theme %g, theme_item %g: the most findings "
            "right with every kind of %d or more extracted at %.1f%% or more\n",
            chosen.finding, chosen.polarity, chosen.theme, chosen.theme_item,
            EX_THRESHOLDS_MIN_EXTRACTED, 100 * EX_THRESHOLDS_LEAST);
    ex_training_print (stdout, "held out, with the settings chosen:", scores);
    ex_training_print (stdout, "nested (each document with settings chosen from the "
                       "others alone):", nested);
    char *error = NULL;
    char *path = ow_printf ("%s/settings.csv", context->model_dir);
    bool saved = ex_classifier_settings_save (&chosen, path, &error);
    if (saved)
        printf ("written to %s\n", path);
    else
        fprintf (stderr, "findings_train: %s\n", error);
    free (error);
    free (path);
    return saved;
}

static int
choose_settings (context_t *context)
{
    size_t count;
    ex_document_t **documents = read_all (context, &count);
    if (!documents)
        return 1;
    ex_classifier_settings_t base;
    load_settings (context, &base);
    recording_t recording = { ex_thresholds_new (), &context->tools };
    bool chosen = held_out_each (context, documents, count, &base, record_held_out, &recording)
               && choose_and_save (context, recording.thresholds, &base);
    ex_thresholds_destroy (&recording.thresholds);
    free_all (documents, count);
    return chosen ? 0 : 1;
}

int
main (int argc, char **argv)
{
    context_t context = { "tests/findings/labels.tsv", NULL, NULL, NULL, { 0 } };
    int arg = 1;
    char *model_dir = NULL;
    for (; arg + 1 < argc && argv [arg][0] == '-' && argv [arg][1] == '-'; arg += 2) {
        if (strcmp (argv [arg], "--labels") == 0)
            context.labels_path = argv [arg + 1];
        else
        if (strcmp (argv [arg], "--model") == 0)
            context.model_dir = argv [arg + 1];
        else
            return usage ();
    }
    if (arg >= argc)
        return usage ();
    if (!context.model_dir) {
        model_dir = ow_printf ("%s/%s", ex_tables_data_dir (), EX_CLASSIFIER_DIR);
        context.model_dir = model_dir;
    }
    char *error = NULL;
    context.reg = ow_register_load (ex_tables_data_dir (), &error);
    if (context.reg)
        context.labels = ex_labels_load (context.labels_path, &error);
    if (!context.reg || !context.labels) {
        fprintf (stderr, "findings_train: %s\n", error);
        free (error);
        ow_register_destroy (&context.reg);
        free (model_dir);
        return 1;
    }
    ex_findings_tools (ex_tables (), &context.tools);
    const char *command = argv [arg++];
    int status;
    if (strcmp (command, "candidates") == 0)
        status = candidates (&context, argc - arg, argv + arg);
    else
    if (strcmp (command, "text") == 0)
        status = print_text (argc - arg, argv + arg);
    else
    if (strcmp (command, "train") == 0)
        status = train_all (&context);
    else
    if (strcmp (command, "predictions") == 0)
        status = predictions (&context);
    else
    if (strcmp (command, "settings") == 0)
        status = choose_settings (&context);
    else
    if (strcmp (command, "evaluate") == 0)
        status = evaluate (&context, arg < argc && strcmp (argv [arg], "--wrong") == 0);
    else
        status = usage ();
    ex_labels_destroy (&context.labels);
    ow_register_destroy (&context.reg);
    free (model_dir);
    return status;
}
