/*  ex_thresholds — choosing the least probabilities a statement needs to
    be extracted (the settings finding, polarity, theme and theme_item)
    from held-out judgements, by a rule rather than by eye, and telling
    what the rule gives a document it never saw.

    The rule: of a grid of settings, the one that extracts the most
    findings right while every kind of document that has at least
    EX_THRESHOLDS_MIN_EXTRACTED extracted findings keeps its precision at
    least `least`. Choosing from the very judgements that are then
    measured flatters the figure; the nested measure chooses each
    document's settings from the other documents alone, so its figure is
    the one to expect of a document never seen.
*/
#ifndef EX_THRESHOLDS_H
#define EX_THRESHOLDS_H

#include "ex_training.h"

#define EX_THRESHOLDS_MIN_EXTRACTED 50

//  The precision the thresholds are chosen to keep on every kind of
//  document: the 95% aimed at, and half a point for documents the
//  labelled set has not seen.
#define EX_THRESHOLDS_LEAST 0.955

typedef struct _ex_thresholds_t ex_thresholds_t;

ex_thresholds_t *ex_thresholds_new (void);
void ex_thresholds_destroy (ex_thresholds_t **self_p);

//  Records how a classifier trained without the document judges each of
//  its labelled examples. The document must outlive self.
void ex_thresholds_add (ex_thresholds_t *self, const ex_document_t *document,
                        const ex_classifier_t *classifier, const ex_findings_tools_t *tools);

//  Chooses from every document recorded: *chosen is base with the
//  thresholds of the rule (base's when no setting of the grid keeps
//  every kind at least), and scores what they extract. When nested is
//  not NULL, also scores each document with the thresholds chosen from
//  the others. False when no setting of the grid met the rule.
bool ex_thresholds_choose (const ex_thresholds_t *self, double least,
                           const ex_classifier_settings_t *base, ex_classifier_settings_t *chosen,
                           ex_score_t scores [EX_FAMILY_COUNT],
                           ex_score_t nested [EX_FAMILY_COUNT]);

#endif
