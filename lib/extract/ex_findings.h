/*  ex_findings — which statements of a letter or council paper are
    findings about the authority's services, which way each leans, and
    what it judges.

    A finding is an inspector's evaluative statement about the
    authority's services: "Management oversight is not consistently
    effective", "Care leavers benefit from a strong local offer". Not
    findings: what Ofsted does and when, who inspected what, a
    committee's questions and resolutions, a council's plans and its own
    business, background and history, and anything that cannot be read
    alone.

    The reading is in three steps:

    1. ex_statements cuts the text into whole statements with the heading
       and list each sits under; statements under a council paper's own
       business (ex_headings: "Legal implications", "Recommendations")
       and statements a parser already took as list items ("what needs to
       improve", "areas for priority action") are no candidates;
    2. the classifier (ex_classifier, trained on tests/findings/) gives
       each candidate the probability of being a finding, its polarity
       and its theme;
    3. a candidate is extracted when the classifier is sure enough on all
       three (data/findings/settings.csv). A list or heading that takes a
       side decides the polarity ("strengths", "areas for development"),
       whatever the words.

    Without the classifier's files no statement is extracted (the tables'
    warning says why) and list items fall back to the theme lexicon.
*/
#ifndef EX_FINDINGS_H
#define EX_FINDINGS_H

#include "ex_classifier.h"
#include "ex_doc.h"
#include "ex_statements.h"

//  What choosing findings reads: parts of the data tables, or a
//  classifier of the caller's own (training, tests).
typedef struct {
    const ex_headings_t *headings;
    const ex_lexicon_t *polarity, *themes;
    const ex_classifier_t *classifier;      // NULL: none loaded
} ex_findings_tools_t;

//  The tools the process's data tables give.
void ex_findings_tools (const ex_tables_t *tables, ex_findings_tools_t *tools);

//  Adds the findings of text [from, to) to event. Statements that overlap
//  a list item the document has read (doc->items) are skipped.
void ex_findings_read (ex_doc_t *doc, Ofwatch__V1__InspectionFacts *event, size_t from, size_t to);

//  Whether a list item of the polarity its list gave, with a theme of
//  probability theme_p, is a finding.
bool ex_findings_item_sure (const ex_classifier_settings_t *settings,
                            Ofwatch__V1__Polarity polarity, double theme_p);

//  The theme of a list item (a "what needs to improve" item or a
//  priority action) of event, whose polarity its list gave, and whether
//  the classifier is sure enough of it for the item to be a finding.
Ofwatch__V1__Theme ex_findings_theme (const ex_doc_t *doc, const Ofwatch__V1__InspectionFacts *event,
                                      const char *text, size_t length,
                                      Ofwatch__V1__Polarity polarity, bool *sure);

//  ---------------------------------------------------------------------
//  The steps, for training and measuring with other classifiers.

typedef void (ex_statement_fn) (void *arg, const ex_statement_t *statement);

//  Calls visit with each candidate statement of text [from, to): not
//  under a council's own business, not overlapping any span of `taken`.
void ex_findings_candidates (const ex_findings_tools_t *tools, const char *text, size_t length,
                             size_t from, size_t to, const ex_span_t *taken, size_t n_taken,
                             ex_statement_fn *visit, void *arg);

//  What the visit looked at, its letter's words joined ("children in
//  care; the quality of pathway plans"), or NULL when the event does
//  not say. Caller frees.
char *ex_findings_focus (const Ofwatch__V1__InspectionFacts *event);

//  What the classifier is given about a candidate; focus as
//  ex_findings_focus gives it (it must outlive input).
void ex_findings_input (const ex_statement_t *statement, bool council, const char *focus,
                        ex_feature_input_t *input);

//  What the classifier is given about a list item of a polarity.
void ex_findings_item_input (const char *text, size_t length, Ofwatch__V1__Polarity polarity,
                             bool council, const char *focus, ex_feature_input_t *input);

//  The polarity a candidate's list or heading gives it ("strengths",
//  "areas for development"), or 0 when they take no side.
Ofwatch__V1__Polarity ex_findings_side (const ex_statement_t *statement);

//  True when a candidate so judged is extracted; sets *polarity (from
//  its list or heading when they take a side, else the classifier's).
bool ex_findings_decide (const ex_classifier_settings_t *settings, const ex_statement_t *statement,
                         const ex_judgement_t *judgement, Ofwatch__V1__Polarity *polarity);

//  True when the document is a council's rather than Ofsted's.
bool ex_findings_by_council (Ofwatch__V1__DocKind kind);

#endif
