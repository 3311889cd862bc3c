/*  queries — what store answers from the database: an authority's
    history, the log after a seq (catch-up and replay), a consumer's
    cursor, and health.
*/

#include "store.h"
#include "ow_log.h"
#include "ow_vocab.h"
#include "ow_wire.h"

#include <inttypes.h>

//  Catch-up pages are capped so one reply stays well under the socket's
//  message size limit.
#define EVENTS_PAGE_DEFAULT 1000
#define EVENTS_PAGE_MAX     10000

void
store_prepare_queries (store_t *self)
{
    ow_db_statement (self->db, "history_inspections",
        "SELECT i.id, i.kind, coalesce (i.start_date::text, ''),"
        " coalesce (i.end_date::text, ''), coalesce (i.visit_number, 0),"
        " coalesce (i.lead_inspector, ''), i.inspectors, coalesce (i.published_on::text, ''),"
        " d.sha256, coalesce (i.inadequate_since, '')"
        " FROM inspection i JOIN document d ON d.id = i.document_id"
        " WHERE i.authority = $1"
        " ORDER BY coalesce (i.start_date, i.published_on), i.id");
    ow_db_statement (self->db, "history_judgements",
        "SELECT j.inspection_id, j.area, j.grade FROM judgement j"
        " JOIN inspection i ON i.id = j.inspection_id WHERE i.authority = $1"
        " ORDER BY j.inspection_id, j.area");
    ow_db_statement (self->db, "history_improvements",
        "SELECT m.inspection_id, m.text FROM improvement m"
        " JOIN inspection i ON i.id = m.inspection_id WHERE i.authority = $1"
        " ORDER BY m.inspection_id, m.position");
    ow_db_statement (self->db, "history_findings",
        "SELECT f.inspection_id, f.polarity, f.theme, f.text, f.span_start, f.span_end"
        " FROM finding f JOIN inspection i ON i.id = f.inspection_id"
        " WHERE i.authority = $1 ORDER BY f.inspection_id, f.id");
    ow_db_statement (self->db, "history_deadlines",
        "SELECT kind, due::text, coalesce (basis, '') FROM deadline"
        " WHERE authority = $1 ORDER BY due");
    ow_db_statement (self->db, "events_after",
        "SELECT body FROM event WHERE seq > $1"
        " AND ($2::text[] IS NULL OR type = ANY ($2))"
        " AND ($3::text[] IS NULL OR authority = ANY ($3))"
        " AND ($4::text[] IS NULL OR theme = ANY ($4))"
        " ORDER BY seq LIMIT $5");
    ow_db_statement (self->db, "last_seq", "SELECT last_seq FROM event_counter");
    ow_db_statement (self->db, "consumer_cursor",
        "SELECT seq FROM consumer_cursor WHERE consumer = $1");
}

static Ofwatch__V1__Reply *
new_reply (Ofwatch__V1__Reply__BodyCase body_case)
{
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->body_case = body_case;
    return reply;
}

Ofwatch__V1__Reply *
store_unavailable (void)
{
    return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_UNAVAILABLE,
                          "PostgreSQL is unreachable; try again");
}

//  Parses a PostgreSQL text[] literal ({a,"b c"}) into a repeated field.
static void
append_text_array (const char *literal, char ***array, size_t *count)
{
    const char *c = literal ? literal + 1 : "";
    while (*c && *c != '}') {
        char item [512];
        size_t n = 0;
        if (*c == '"') {
            for (c++; *c && *c != '"'; c++) {
                if (*c == '\\' && c [1])
                    c++;
                if (n < sizeof item - 1)
                    item [n++] = *c;
            }
            if (*c == '"')
                c++;
        }
        else
            for (; *c && *c != ',' && *c != '}'; c++)
                if (n < sizeof item - 1)
                    item [n++] = *c;
        item [n] = 0;
        ow_pb_append_string (array, count, item);
        if (*c == ',')
            c++;
    }
}

static Ofwatch__V1__InspectionFacts *
find_inspection (Ofwatch__V1__HistoryReply *history, const int64_t *ids, const char *id_text)
{
    int64_t id = strtoll (id_text, NULL, 10);
    for (size_t i = 0; i < history->n_inspections; i++)
        if (ids [i] == id)
            return history->inspections [i];
    return NULL;
}

static bool
fill_inspections (store_t *self, const char *code, Ofwatch__V1__HistoryReply *history,
                  int64_t **ids)
{
    const char *values [] = { code };
    PGresult *result = ow_db_run (self->db, "history_inspections", 1, values);
    if (!result)
        return false;
    size_t count = 0;
    for (int row = 0; row < PQntuples (result); row++) {
        Ofwatch__V1__InspectionFacts *facts = OW_PB_NEW (Ofwatch__V1__InspectionFacts,
            ofwatch__v1__inspection_facts__init);
        ow_pb_append_int64 (ids, &count, strtoll (ow_db_value (result, row, 0), NULL, 10));
        facts->kind = ow_vocab_value (&ofwatch__v1__inspection_kind__descriptor,
                                      ow_db_value (result, row, 1));
        ow_pb_set_string (&facts->start_date, ow_db_value (result, row, 2));
        ow_pb_set_string (&facts->end_date, ow_db_value (result, row, 3));
        facts->visit_number = atoi (ow_db_value (result, row, 4));
        ow_pb_set_string (&facts->lead_inspector, ow_db_value (result, row, 5));
        append_text_array (ow_db_value (result, row, 6), &facts->inspectors,
                           &facts->n_inspectors);
        ow_pb_set_string (&facts->published_on, ow_db_value (result, row, 7));
        ow_pb_set_string (&facts->source_sha256, ow_db_value (result, row, 8));
        ow_pb_set_string (&facts->inadequate_since, ow_db_value (result, row, 9));
        ow_pb_append ((void ***) &history->inspections, &history->n_inspections, facts);
    }
    PQclear (result);
    return true;
}

static bool
fill_details (store_t *self, const char *code, Ofwatch__V1__HistoryReply *history,
              const int64_t *ids)
{
    const char *values [] = { code };
    PGresult *judgements = ow_db_run (self->db, "history_judgements", 1, values);
    PGresult *improvements = ow_db_run (self->db, "history_improvements", 1, values);
    PGresult *findings = ow_db_run (self->db, "history_findings", 1, values);
    bool ok = judgements && improvements && findings;
    for (int row = 0; ok && row < PQntuples (judgements); row++) {
        Ofwatch__V1__InspectionFacts *facts = find_inspection (history, ids,
            ow_db_value (judgements, row, 0));
        Ofwatch__V1__InspectionFacts__JudgementsEntry *entry = OW_PB_NEW (
            Ofwatch__V1__InspectionFacts__JudgementsEntry,
            ofwatch__v1__inspection_facts__judgements_entry__init);
        ow_pb_set_string (&entry->key, ow_db_value (judgements, row, 1));
        entry->value = ow_vocab_value (&ofwatch__v1__grade__descriptor,
                                       ow_db_value (judgements, row, 2));
        ow_pb_append ((void ***) &facts->judgements, &facts->n_judgements, entry);
    }
    for (int row = 0; ok && row < PQntuples (improvements); row++) {
        Ofwatch__V1__InspectionFacts *facts = find_inspection (history, ids,
            ow_db_value (improvements, row, 0));
        ow_pb_append_string (&facts->improvements, &facts->n_improvements,
                             ow_db_value (improvements, row, 1));
    }
    for (int row = 0; ok && row < PQntuples (findings); row++) {
        Ofwatch__V1__InspectionFacts *facts = find_inspection (history, ids,
            ow_db_value (findings, row, 0));
        Ofwatch__V1__Finding *finding = OW_PB_NEW (Ofwatch__V1__Finding,
                                                   ofwatch__v1__finding__init);
        finding->polarity = ow_vocab_value (&ofwatch__v1__polarity__descriptor,
                                            ow_db_value (findings, row, 1));
        finding->theme = ow_vocab_value (&ofwatch__v1__theme__descriptor,
                                         ow_db_value (findings, row, 2));
        ow_pb_set_string (&finding->text, ow_db_value (findings, row, 3));
        const char *start = ow_db_value (findings, row, 4);
        const char *end = ow_db_value (findings, row, 5);
        finding->start = start ? (uint32_t) atol (start) : 0;
        finding->end = end ? (uint32_t) atol (end) : 0;
        ow_pb_append ((void ***) &facts->findings, &facts->n_findings, finding);
    }
    PQclear (judgements);
    PQclear (improvements);
    PQclear (findings);
    return ok;
}

static bool
fill_deadlines (store_t *self, const char *code, Ofwatch__V1__HistoryReply *history)
{
    const char *values [] = { code };
    PGresult *result = ow_db_run (self->db, "history_deadlines", 1, values);
    if (!result)
        return false;
    for (int row = 0; row < PQntuples (result); row++) {
        Ofwatch__V1__Deadline *deadline = OW_PB_NEW (Ofwatch__V1__Deadline,
                                                     ofwatch__v1__deadline__init);
        ow_pb_set_string (&deadline->kind, ow_db_value (result, row, 0));
        ow_pb_set_string (&deadline->due, ow_db_value (result, row, 1));
        ow_pb_set_string (&deadline->basis, ow_db_value (result, row, 2));
        ow_pb_append ((void ***) &history->deadlines, &history->n_deadlines, deadline);
    }
    PQclear (result);
    return true;
}

Ofwatch__V1__Reply *
store_history (store_t *self, const Ofwatch__V1__HistoryQuery *query)
{
    const ow_authority_t *authority = ow_register_find (self->reg, query->authority);
    if (!authority)
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_NOT_FOUND,
                              "no authority is known as \"%s\"", query->authority);
    Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_HISTORY);
    Ofwatch__V1__HistoryReply *history = OW_PB_NEW (Ofwatch__V1__HistoryReply,
                                                    ofwatch__v1__history_reply__init);
    reply->history = history;
    history->authority = store_authority (authority);
    int64_t *ids = NULL;
    bool ok = fill_inspections (self, authority->code, history, &ids)
           && fill_details (self, authority->code, history, ids)
           && fill_deadlines (self, authority->code, history);
    free (ids);
    if (!ok) {
        ow_pb_free (&reply);
        return store_unavailable ();
    }
    return reply;
}

//  A text[] parameter from words, or NULL (no filter) when there are none.
static char *
filter_array (const char *const *words, size_t count)
{
    return count ? store_text_array (words, count) : NULL;
}

static char *
enum_filter (const ProtobufCEnumDescriptor *descriptor, const int *values, size_t count)
{
    const char **words = ow_calloc (count + 1, sizeof (char *));
    size_t known = 0;
    for (size_t i = 0; i < count; i++) {
        const char *word = ow_vocab_word (descriptor, values [i]);
        if (word)
            words [known++] = word;
    }
    char *literal = filter_array (words, known);
    free (words);
    return literal;
}

static uint64_t
last_seq (store_t *self, bool *ok)
{
    PGresult *result = ow_db_run (self->db, "last_seq", 0, NULL);
    *ok = result != NULL;
    uint64_t seq = *ok ? strtoull (ow_db_value (result, 0, 0), NULL, 10) : 0;
    PQclear (result);
    return seq;
}

Ofwatch__V1__Reply *
store_events_after (store_t *self, const Ofwatch__V1__EventsAfter *query)
{
    const Ofwatch__V1__EventFilter *filter = query->filter;
    char *types = filter ? enum_filter (&ofwatch__v1__event_type__descriptor,
                                        (const int *) filter->types, filter->n_types) : NULL;
    char *authorities = filter ? filter_array ((const char *const *) filter->authorities,
                                               filter->n_authorities) : NULL;
    char *themes = filter ? enum_filter (&ofwatch__v1__theme__descriptor,
                                         (const int *) filter->themes, filter->n_themes) : NULL;
    char after [24], limit [16];
    //  Seqs are bigint: nothing comes after the largest one, nor after
    //  anything beyond it a client may ask for.
    snprintf (after, sizeof after, "%" PRIu64,
              query->after_seq > INT64_MAX ? (uint64_t) INT64_MAX : query->after_seq);
    unsigned page = query->limit ? query->limit : EVENTS_PAGE_DEFAULT;
    snprintf (limit, sizeof limit, "%u", page < EVENTS_PAGE_MAX ? page : EVENTS_PAGE_MAX);
    const char *values [] = { after, types, authorities, themes, limit };

    bool ok = false;
    uint64_t last = last_seq (self, &ok);
    PGresult *result = ok ? ow_db_run (self->db, "events_after", 5, values) : NULL;
    free (types);
    free (authorities);
    free (themes);
    if (!result)
        return store_unavailable ();

    Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_EVENTS);
    reply->events = OW_PB_NEW (Ofwatch__V1__EventsPage, ofwatch__v1__events_page__init);
    reply->events->last_seq = last;
    for (int row = 0; row < PQntuples (result); row++) {
        size_t size = 0;
        unsigned char *body = PQunescapeBytea ((const unsigned char *) PQgetvalue (result, row, 0),
                                               &size);
        Ofwatch__V1__Event *event = body ? ow_wire_unpack_event (body, size) : NULL;
        PQfreemem (body);
        if (event)
            ow_pb_append ((void ***) &reply->events->events, &reply->events->n_events, event);
        else
            ow_error ("an event in the log cannot be decoded", "row", PQgetvalue (result, row, 0));
    }
    PQclear (result);
    return reply;
}

Ofwatch__V1__Reply *
store_cursor (store_t *self, const Ofwatch__V1__CursorQuery *query)
{
    const char *values [] = { query->consumer };
    PGresult *result = ow_db_run (self->db, "consumer_cursor", 1, values);
    if (!result)
        return store_unavailable ();
    Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_CURSOR);
    reply->cursor = OW_PB_NEW (Ofwatch__V1__CursorReply, ofwatch__v1__cursor_reply__init);
    const char *seq = ow_db_value (result, 0, 0);
    reply->cursor->cursor = seq ? strtoull (seq, NULL, 10) : 0;
    PQclear (result);
    return reply;
}

Ofwatch__V1__Reply *
store_health (store_t *self)
{
    Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_HEALTH);
    reply->health = OW_PB_NEW (Ofwatch__V1__HealthReply, ofwatch__v1__health_reply__init);
    ow_pb_set_string (&reply->health->service, "store");
    bool ok = false;
    reply->health->last_seq = last_seq (self, &ok);
    reply->health->database_ok = ok;
    return reply;
}
