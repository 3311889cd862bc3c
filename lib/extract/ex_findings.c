/*  ex_findings — candidates, judgement, findings.

    One feature maker (it holds a stemmer) serves one document's reading,
    so concurrent extractions share only the read-only tables.
*/

#include "ex_findings.h"
#include "ex_features.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ex_findings_tools (const ex_tables_t *tables, ex_findings_tools_t *tools)
{
    memset (tools, 0, sizeof *tools);
    if (!tables)
        return;
    tools->headings = tables->headings;
    tools->polarity = tables->polarity;
    tools->themes = tables->themes;
    tools->classifier = tables->classifier;
}

bool
ex_findings_by_council (Ofwatch__V1__DocKind kind)
{
    return kind == OFWATCH__V1__DOC_KIND__DOC_KIND_COUNCIL_REPORT
        || kind == OFWATCH__V1__DOC_KIND__DOC_KIND_COUNCIL_MINUTES
        || kind == OFWATCH__V1__DOC_KIND__DOC_KIND_OTHER;
}

static bool
overlaps (ex_span_t span, const ex_span_t *taken, size_t n_taken)
{
    for (size_t i = 0; i < n_taken; i++)
        if (span.start < taken [i].end && taken [i].start < span.end)
            return true;
    return false;
}

void
ex_findings_candidates (const ex_findings_tools_t *tools, const char *text, size_t length,
                        size_t from, size_t to, const ex_span_t *taken, size_t n_taken,
                        ex_statement_fn *visit, void *arg)
{
    ex_statements_t *statements = ex_statements_read (text, length, from, to, tools->headings);
    for (size_t i = 0; i < statements->count; i++) {
        const ex_statement_t *statement = &statements->items [i];
        //  A council's own business is no inspection's finding.
        if (statement->heading == EX_CONTEXT_PROCEDURE || statement->lead_in == EX_CONTEXT_PROCEDURE)
            continue;
        if (!overlaps (statement->span, taken, n_taken))
            visit (arg, statement);
    }
    ex_statements_destroy (&statements);
}

char *
ex_findings_focus (const Ofwatch__V1__InspectionFacts *event)
{
    if (!event || !event->n_focus)
        return NULL;
    size_t length = 0;
    for (size_t i = 0; i < event->n_focus; i++)
        length += strlen (event->focus [i]) + 2;
    char *focus = ow_malloc (length + 1);
    char *end = focus;
    for (size_t i = 0; i < event->n_focus; i++)
        end += sprintf (end, "%s%s", i ? "; " : "", event->focus [i]);
    return focus;
}

void
ex_findings_input (const ex_statement_t *statement, bool council, const char *focus,
                   ex_feature_input_t *input)
{
    *input = (ex_feature_input_t) {
        .text = statement->text, .length = strlen (statement->text),
        .heading = statement->heading, .lead_in = statement->lead_in,
        .sentences = statement->sentences, .item = statement->item,
        .terminated = statement->terminated, .titled = statement->titled,
        .council = council, .focus = focus
    };
}

void
ex_findings_item_input (const char *text, size_t length, Ofwatch__V1__Polarity polarity,
                        bool council, const char *focus, ex_feature_input_t *input)
{
    ex_context_t context = polarity == OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION
                         ? EX_CONTEXT_PRIORITY : EX_CONTEXT_IMPROVE;
    *input = (ex_feature_input_t) {
        .text = text, .length = length, .heading = context, .lead_in = context,
        .sentences = 1, .item = true, .terminated = length && text [length - 1] == '.',
        .council = council, .focus = focus
    };
}

Ofwatch__V1__Polarity
ex_findings_side (const ex_statement_t *statement)
{
    ex_context_t context = statement->item && statement->lead_in != EX_CONTEXT_NONE
                         ? statement->lead_in : statement->heading;
    switch (context) {
        case EX_CONTEXT_STRENGTHS:  return OFWATCH__V1__POLARITY__POLARITY_STRENGTH;
        case EX_CONTEXT_WEAKNESSES: return OFWATCH__V1__POLARITY__POLARITY_WEAKNESS;
        case EX_CONTEXT_IMPROVE:    return OFWATCH__V1__POLARITY__POLARITY_IMPROVEMENT_NEEDED;
        case EX_CONTEXT_PRIORITY:   return OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION;
        default:                    return 0;
    }
}

bool
ex_findings_decide (const ex_classifier_settings_t *settings, const ex_statement_t *statement,
                    const ex_judgement_t *judgement, Ofwatch__V1__Polarity *polarity)
{
    Ofwatch__V1__Polarity side = ex_findings_side (statement);
    *polarity = side ? side : judgement->polarity;
    //  A list that takes a side, or a statement that names the
    //  inspectors as its source, is itself evidence of a finding.
    double least = settings->finding;
    if (side && settings->finding_sided < least)
        least = settings->finding_sided;
    if (settings->finding_attributed < least
    &&  ex_features_attributed (statement->text, strlen (statement->text)))
        least = settings->finding_attributed;
    return judgement->finding >= least
        && (side || judgement->polarity_p >= settings->polarity)
        && judgement->theme_p >= settings->theme;
}

//  A finding with its own text: the statement's, which leaves out the
//  page furniture its span may cross.
static void
add_finding (Ofwatch__V1__InspectionFacts *event, Ofwatch__V1__Polarity polarity,
             Ofwatch__V1__Theme theme, const ex_statement_t *statement)
{
    Ofwatch__V1__Finding *finding = OW_PB_NEW (Ofwatch__V1__Finding, ofwatch__v1__finding__init);
    finding->polarity = polarity;
    finding->theme = theme;
    finding->text = ow_strdup (statement->text);
    finding->start = (uint32_t) statement->span.start;
    finding->end = (uint32_t) statement->span.end;
    ow_pb_append ((void ***) &event->findings, &event->n_findings, finding);
}

typedef struct {
    const ex_classifier_t *classifier;
    ex_features_t *features;
    bool council;
    const char *focus;
    Ofwatch__V1__InspectionFacts *event;
} reading_t;

static void
judge_candidate (void *arg, const ex_statement_t *statement)
{
    reading_t *reading = arg;
    ex_feature_input_t input;
    ex_findings_input (statement, reading->council, reading->focus, &input);
    const struct feature_node *x = ex_features_vector (reading->features, &input,
        ex_classifier_vocabulary (reading->classifier), false, 1);
    ex_judgement_t judgement;
    ex_classifier_judge (reading->classifier, x, &judgement);
    Ofwatch__V1__Polarity polarity;
    if (ex_findings_decide (ex_classifier_settings (reading->classifier), statement, &judgement,
                            &polarity))
        add_finding (reading->event, polarity, judgement.theme, statement);
}

void
ex_findings_read (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, size_t from, size_t to)
{
    ex_findings_tools_t tools;
    ex_findings_tools (doc->tables, &tools);
    if (!tools.classifier)
        return;
    //  The list items are read already, findings or not.
    size_t n_taken = doc->n_items;
    ex_span_t *taken = ow_calloc (n_taken + 1, sizeof (ex_span_t));
    if (n_taken)
        memcpy (taken, doc->items, n_taken * sizeof (ex_span_t));
    char *focus = ex_findings_focus (event);
    reading_t reading = {
        .classifier = tools.classifier,
        .features = ex_features_new (tools.polarity, tools.themes),
        .council = ex_findings_by_council (doc->out->doc_kind),
        .focus = focus,
        .event = event
    };
    ex_findings_candidates (&tools, doc->text, doc->length, from, to, taken, n_taken,
                            judge_candidate, &reading);
    ex_features_destroy (&reading.features);
    free (focus);
    free (taken);
}

bool
ex_findings_item_sure (const ex_classifier_settings_t *settings, Ofwatch__V1__Polarity polarity,
                       double theme_p)
{
    //  What the report makes a priority is a finding whatever its theme:
    //  the improvements do not say which of them were priorities.
    return polarity == OFWATCH__V1__POLARITY__POLARITY_PRIORITY_ACTION
        || theme_p >= settings->theme_item;
}

Ofwatch__V1__Theme
ex_findings_theme (const ex_doc_t *doc, const Ofwatch__V1__InspectionFacts *event,
                   const char *text, size_t length, Ofwatch__V1__Polarity polarity, bool *sure)
{
    ex_findings_tools_t tools;
    ex_findings_tools (doc->tables, &tools);
    *sure = true;
    if (!tools.classifier)
        return ex_themes_classify (tools.themes, text, length);
    char *focus = ex_findings_focus (event);
    ex_feature_input_t input;
    ex_findings_item_input (text, length, polarity, ex_findings_by_council (doc->out->doc_kind),
                            focus, &input);
    ex_features_t *features = ex_features_new (tools.polarity, tools.themes);
    const struct feature_node *x = ex_features_vector (features, &input,
        ex_classifier_vocabulary (tools.classifier), false, 1);
    double probability = 0;
    Ofwatch__V1__Theme theme = ex_classifier_theme (tools.classifier, x, &probability);
    *sure = ex_findings_item_sure (ex_classifier_settings (tools.classifier), polarity, probability);
    ex_features_destroy (&features);
    free (focus);
    return theme;
}
