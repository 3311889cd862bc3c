/*  benchmark — an authority against its statistical neighbours, its
    region and England (`ofwatch benchmark`).

    Statistical neighbours are the register's (la_lookup.csv's ten most
    similar authorities, in its order). The authority is ranked within
    each group by its latest overall grade; every group also says how its
    grades are spread and how long its members took to leave inadequate.
*/

#include "groups.h"

#include <stdlib.h>
#include <string.h>

Ofwatch__V1__Benchmark *
view_benchmark (const view_t *view, const model_history_t *history)
{
    size_t size = model_size (view->model);
    size_t self = groups_index (view, history);
    const state_t *states = view->states;
    bool *neighbours = ow_calloc (size + 1, sizeof (bool));
    bool *region = ow_calloc (size + 1, sizeof (bool));
    bool *england = ow_calloc (size + 1, sizeof (bool));
    const ow_authority_t *a = history->authority;

    Ofwatch__V1__Benchmark *reply = OW_PB_NEW (Ofwatch__V1__Benchmark,
                                               ofwatch__v1__benchmark__init);
    state_set_date (&reply->as_of, view->today);
    neighbours [self] = true;
    for (size_t n = 0; n < a->n_neighbours; n++) {
        const model_history_t *neighbour = model_history_by_code (view->model, a->neighbours [n]);
        if (neighbour)
            neighbours [groups_index (view, neighbour)] = true;
    }
    for (size_t i = 0; i < size; i++) {
        const model_history_t *other = model_at (view->model, i);
        england [i] = groups_is_current (other) || i == self;
        region [i] = england [i] && a->region_code && *a->region_code
                  && strcmp (other->authority->region_code, a->region_code) == 0;
    }
    reply->authority = state_standing (history, &states [self]);
    reply->authority->rank = groups_rank (view, states, neighbours, states [self].overall);
    for (size_t n = 0; n < a->n_neighbours; n++) {
        const model_history_t *neighbour = model_history_by_code (view->model, a->neighbours [n]);
        if (!neighbour)
            continue;
        const state_t *state = &states [groups_index (view, neighbour)];
        Ofwatch__V1__Standing *standing = state_standing (neighbour, state);
        standing->rank = groups_rank (view, states, neighbours, state->overall);
        ow_pb_append ((void ***) &reply->neighbours, &reply->n_neighbours, standing);
    }
    ow_pb_append ((void ***) &reply->groups, &reply->n_groups,
                  groups_summarise (view, states, neighbours, self, "neighbours",
                                    "statistical neighbours"));
    ow_pb_append ((void ***) &reply->groups, &reply->n_groups,
                  groups_summarise (view, states, region, self, "region", a->region_name));
    ow_pb_append ((void ***) &reply->groups, &reply->n_groups,
                  groups_summarise (view, states, england, self, "england", "England"));
    state_append_spells (&states [self], &reply->spells, &reply->n_spells);
    free (neighbours);
    free (region);
    free (england);
    return reply;
}
