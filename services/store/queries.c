/*  queries — what store answers from the database: an authority's
    history (read by lib/history, as analytics reads it), the log after a
    seq (catch-up and replay), a consumer's cursor, and health.
*/

#include "store.h"
#include "hi_read.h"
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
    hi_read_prepare (self->db);
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

//  The one history a History query reads.
static hi_history_t *
only (void *context, const char *code)
{
    hi_history_t *history = context;
    return strcmp (history->authority->code, code) == 0 ? history : NULL;
}

Ofwatch__V1__Reply *
store_history (store_t *self, const Ofwatch__V1__HistoryQuery *query)
{
    const ow_authority_t *authority = ow_register_find (self->reg, query->authority);
    if (!authority)
        return ow_wire_error (0, OFWATCH__V1__ERROR__CODE__CODE_NOT_FOUND,
                              "no authority is known as \"%s\"", query->authority);
    hi_history_t read = { .authority = authority };
    if (!hi_read (self->db, authority->code, only, &read)) {
        hi_history_clear (&read);
        return store_unavailable ();
    }
    Ofwatch__V1__Reply *reply = new_reply (OFWATCH__V1__REPLY__BODY_HISTORY);
    Ofwatch__V1__HistoryReply *history = OW_PB_NEW (Ofwatch__V1__HistoryReply,
                                                    ofwatch__v1__history_reply__init);
    reply->history = history;
    history->authority = store_authority (authority);
    for (size_t i = 0; i < read.n_inspections; i++)
        ow_pb_append ((void ***) &history->inspections, &history->n_inspections,
                      hi_inspection_facts (&read.inspections [i]));
    for (size_t i = 0; i < read.n_deadlines; i++)
        ow_pb_append ((void ***) &history->deadlines, &history->n_deadlines,
                      hi_deadline_message (&read.deadlines [i]));
    hi_history_clear (&read);
    return reply;
}

//  A text[] parameter from words, or NULL (no filter) when there are none.
static char *
filter_array (const char *const *words, size_t count)
{
    return count ? hi_text_array (words, count) : NULL;
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
