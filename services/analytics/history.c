/*  history — an authority's history with its state (`ofwatch history`).

    The first three fields are what store's History query answers, with
    the same names and from the same code (hi_inspection_facts), built
    here from the model so the answer costs no database round trip; the
    state is analytics' own.
*/

#include "views.h"
#include "state.h"

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
                      hi_inspection_facts (&history->inspections [i]));
    for (size_t i = 0; i < history->n_deadlines; i++)
        ow_pb_append ((void ***) &reply->deadlines, &reply->n_deadlines,
                      hi_deadline_message (&history->deadlines [i]));
    reply->state = state_message (history, view->today);
    return reply;
}
