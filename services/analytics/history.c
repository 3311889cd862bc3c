/*  history — an authority's history with its state (`ofwatch history`).

    The first three fields are what store's History query answers, with
    the same names, built here from the model so the answer costs no
    database round trip; the state is analytics' own.
*/

#include "views.h"
#include "state.h"

static Ofwatch__V1__InspectionFacts *
facts_of (const model_inspection_t *inspection)
{
    Ofwatch__V1__InspectionFacts *facts = OW_PB_NEW (Ofwatch__V1__InspectionFacts,
                                                     ofwatch__v1__inspection_facts__init);
    facts->kind = inspection->kind;
    state_set_date (&facts->start_date, inspection->start);
    state_set_date (&facts->end_date, inspection->end);
    state_set_date (&facts->published_on, inspection->published);
    facts->visit_number = inspection->visit_number;
    ow_pb_set_string (&facts->lead_inspector, inspection->lead_inspector);
    for (size_t i = 0; i < inspection->n_inspectors; i++)
        ow_pb_append_string (&facts->inspectors, &facts->n_inspectors,
                             inspection->inspectors [i]);
    ow_pb_set_string (&facts->source_sha256, inspection->sha256);
    ow_pb_set_string (&facts->inadequate_since, inspection->inadequate_since);
    for (size_t i = 0; i < inspection->n_grades; i++) {
        Ofwatch__V1__InspectionFacts__JudgementsEntry *entry = OW_PB_NEW (
            Ofwatch__V1__InspectionFacts__JudgementsEntry,
            ofwatch__v1__inspection_facts__judgements_entry__init);
        ow_pb_set_string (&entry->key, inspection->grades [i].area);
        entry->value = inspection->grades [i].grade;
        ow_pb_append ((void ***) &facts->judgements, &facts->n_judgements, entry);
    }
    for (size_t i = 0; i < inspection->n_improvements; i++)
        ow_pb_append_string (&facts->improvements, &facts->n_improvements,
                             inspection->improvements [i]);
    for (size_t i = 0; i < inspection->n_findings; i++) {
        const model_finding_t *f = &inspection->findings [i];
        Ofwatch__V1__Finding *finding = OW_PB_NEW (Ofwatch__V1__Finding,
                                                   ofwatch__v1__finding__init);
        finding->polarity = f->polarity;
        finding->theme = f->theme;
        ow_pb_set_string (&finding->text, f->text);
        finding->start = f->start;
        finding->end = f->end;
        ow_pb_append ((void ***) &facts->findings, &facts->n_findings, finding);
    }
    return facts;
}

Ofwatch__V1__AuthorityHistory *
view_history (const view_t *view, const model_history_t *history)
{
    Ofwatch__V1__AuthorityHistory *reply = OW_PB_NEW (Ofwatch__V1__AuthorityHistory,
                                                      ofwatch__v1__authority_history__init);
    const ow_authority_t *a = history->authority;
    reply->authority = OW_PB_NEW (Ofwatch__V1__Authority, ofwatch__v1__authority__init);
    ow_pb_set_string (&reply->authority->code, a->code);
    ow_pb_set_string (&reply->authority->name, a->name);
    ow_pb_set_string (&reply->authority->la_code, a->la_code);
    ow_pb_set_string (&reply->authority->urn, a->urn);
    for (size_t i = 0; i < history->n_inspections; i++)
        ow_pb_append ((void ***) &reply->inspections, &reply->n_inspections,
                      facts_of (&history->inspections [i]));
    for (size_t i = 0; i < history->n_deadlines; i++) {
        const model_deadline_t *d = &history->deadlines [i];
        Ofwatch__V1__Deadline *deadline = OW_PB_NEW (Ofwatch__V1__Deadline,
                                                     ofwatch__v1__deadline__init);
        ow_pb_set_string (&deadline->kind, d->kind);
        state_set_date (&deadline->due, d->due);
        ow_pb_set_string (&deadline->basis, d->basis);
        ow_pb_append ((void ***) &reply->deadlines, &reply->n_deadlines, deadline);
    }
    reply->state = state_message (history, view->today);
    return reply;
}
