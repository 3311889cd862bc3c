/*  state — where an authority stands as of a day, from its history.

    Its latest full inspection and grades and since when each has held,
    whether it is inadequate and since when, how many monitoring visits
    it has had since, what the framework leads one to expect next
    (rules.h), its open deadlines, its spells in inadequate, the weakness
    themes that recur in its inspections and visits, and apart from all
    of these its latest area SEND inspection (which is not an inspection
    of children's services: it moves none of the rest). Everything
    is computed from the model on demand: it is cheap, and a value kept
    would be one more thing to keep consistent.
*/
#ifndef STATE_H
#define STATE_H

#include "model.h"
#include "rules.h"

#define STATE_MAX_SPELLS 16

typedef struct {
    int from, to;                   // to: OW_DATE_NONE while ongoing
    int months;
} state_spell_t;

typedef struct {
    const model_inspection_t *latest;       // latest graded full inspection, or NULL
    Ofwatch__V1__Grade overall;             // its overall judgement; 0 when it prints none
    int overall_since;
    bool inadequate;                        // model_judged_inadequate of the latest,
                                            // or a monitoring letter says so
    int inadequate_since;                   // day; the 1st when only a letter says
    char inadequate_month [8];              // "2022-07" when only a letter says
    int inadequate_published;               // the inadequate report's, or estimated
    int months_inadequate;
    int monitoring_visits;
    int last_visit;
    bool has_next;
    rules_expectation_t next;
    state_spell_t spells [STATE_MAX_SPELLS];
    size_t n_spells;
    const model_inspection_t *send;         // latest area SEND inspection, or NULL
    bool has_send_next;
    rules_expectation_t send_next;
} state_t;

//  Computes the state of a history as of `today`.
void state_compute (const model_history_t *history, int today, state_t *state);

//  The state as a message (caller frees), with recurring themes and open
//  deadlines.
Ofwatch__V1__AuthorityState *state_message (const model_history_t *history, int today);

//  Spells as messages, appended to a repeated field.
void state_append_spells (const state_t *state, Ofwatch__V1__InadequateSpell ***spells,
                          size_t *count);

//  The standing of an authority in a comparison (caller frees).
Ofwatch__V1__Standing *state_standing (const model_history_t *history, const state_t *state);

//  True for polarities that say something needs to improve.
bool state_is_weakness (Ofwatch__V1__Polarity polarity);

//  Position of a judgement area in the order reports print them, for
//  tables and timelines.
int state_area_order (const char *area);

//  An ISO date for a day number into a message string field.
void state_set_date (char **field, int day);

#endif
