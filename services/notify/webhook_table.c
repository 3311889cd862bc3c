/*  webhook_table — the rows of notify.webhook, the one place that maps a
    subscription between SQL and protobuf.

    A filter's lists are text[] columns of vocabulary words and ONS codes,
    so the table reads plainly in psql; they cross the wire as one
    comma-joined parameter (no word or code holds a comma) that PostgreSQL
    splits and joins itself. The secret is read only by the statements
    that start a delivery, never by the ones that answer a list.
*/

#include "notify.h"
#include "ow_log.h"
#include "ow_vocab.h"

#include <inttypes.h>

//  The admin view's columns, in the order webhook_table_view reads them;
//  the spec adds the secret after them.
#define VIEW_COLUMNS \
    "id, url, array_to_string (types, ','), array_to_string (authorities, ',')," \
    " array_to_string (themes, ','), cursor, enabled, failures, coalesce (last_error, '')," \
    " to_char (created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), delivered"
#define SPEC_COLUMNS VIEW_COLUMNS ", secret"

enum { C_ID, C_URL, C_TYPES, C_AUTHORITIES, C_THEMES, C_CURSOR, C_ENABLED, C_FAILURES,
       C_LAST_ERROR, C_CREATED_AT, C_DELIVERED, C_SECRET };

void
webhook_table_prepare (ow_db_t *db)
{
    //  Added only while there are fewer than $7 (OFWATCH_WEBHOOK_MAX): no
    //  row back means the limit was reached. (notify's one reactor makes
    //  the admin requests one at a time.)
    ow_db_statement (db, "webhook_insert",
        "INSERT INTO notify.webhook (url, secret, types, authorities, themes, cursor)"
        " SELECT $1, $2, string_to_array ($3, ','), string_to_array ($4, ','),"
        " string_to_array ($5, ','), $6"
        " WHERE (SELECT count(*) FROM notify.webhook) < $7::integer RETURNING " SPEC_COLUMNS);
    ow_db_statement (db, "webhook_list",
        "SELECT " VIEW_COLUMNS " FROM notify.webhook ORDER BY id");
    ow_db_statement (db, "webhook_enabled",
        "SELECT " SPEC_COLUMNS " FROM notify.webhook WHERE enabled ORDER BY id");
    ow_db_statement (db, "webhook_delete",
        "DELETE FROM notify.webhook WHERE id = $1 RETURNING " VIEW_COLUMNS);
    ow_db_statement (db, "webhook_enable",
        "UPDATE notify.webhook SET enabled = $2,"
        " failures = CASE WHEN $2 THEN 0 ELSE failures END"
        " WHERE id = $1 RETURNING " SPEC_COLUMNS);
    ow_db_statement (db, "webhook_progress",
        "UPDATE notify.webhook AS w SET cursor = greatest (w.cursor, p.cursor), failures = 0,"
        " delivered = w.delivered + p.delivered"
        " FROM unnest ($1::bigint[], $2::bigint[], $3::bigint[]) AS p (id, cursor, delivered)"
        " WHERE w.id = p.id");
    ow_db_statement (db, "webhook_failure",
        "UPDATE notify.webhook SET failures = $2, last_error = $3 WHERE id = $1");
}

static uint64_t
column_u64 (const PGresult *result, int row, int column)
{
    const char *value = ow_db_value (result, row, column);
    return value ? strtoull (value, NULL, 10) : 0;
}

//  Appends each comma-separated word of `joined` to a repeated enum field.
static void
append_words (const char *joined, const ProtobufCEnumDescriptor *descriptor,
              int **values, size_t *count)
{
    char *copy = ow_strdup (joined ? joined : "");
    char *saved = NULL;
    for (char *word = strtok_r (copy, ",", &saved); word; word = strtok_r (NULL, ",", &saved)) {
        int value = ow_vocab_value (descriptor, word);
        if (!value)
            continue;               // a word a newer vocabulary dropped
        int *grown = realloc (*values, (*count + 1) * sizeof (int));
        assert (grown);
        *values = grown;
        (*values) [(*count)++] = value;
    }
    free (copy);
}

static void
append_codes (const char *joined, char ***codes, size_t *count)
{
    char *copy = ow_strdup (joined ? joined : "");
    char *saved = NULL;
    for (char *code = strtok_r (copy, ",", &saved); code; code = strtok_r (NULL, ",", &saved))
        ow_pb_append_string (codes, count, code);
    free (copy);
}

//  The row's filter lists (empty lists: no filter on that).
static Ofwatch__V1__EventFilter *
read_filter (const PGresult *result, int row)
{
    Ofwatch__V1__EventFilter *filter = OW_PB_NEW (Ofwatch__V1__EventFilter,
                                                  ofwatch__v1__event_filter__init);
    append_words (ow_db_value (result, row, C_TYPES), &ofwatch__v1__event_type__descriptor,
                  (int **) &filter->types, &filter->n_types);
    append_codes (ow_db_value (result, row, C_AUTHORITIES), &filter->authorities,
                  &filter->n_authorities);
    append_words (ow_db_value (result, row, C_THEMES), &ofwatch__v1__theme__descriptor,
                  (int **) &filter->themes, &filter->n_themes);
    return filter;
}

Ofwatch__V1__Webhook *
webhook_table_view (const PGresult *result, int row)
{
    Ofwatch__V1__Webhook *view = OW_PB_NEW (Ofwatch__V1__Webhook, ofwatch__v1__webhook__init);
    view->id = column_u64 (result, row, C_ID);
    //  Credentials are refused at `webhook add`; a row from before that
    //  is shown without them all the same.
    view->url = webhook_url_shown (ow_db_value (result, row, C_URL));
    Ofwatch__V1__EventFilter *filter = read_filter (result, row);
    //  The same three lists, moved over.
    view->types = filter->types;
    view->n_types = filter->n_types;
    view->authorities = filter->authorities;
    view->n_authorities = filter->n_authorities;
    view->themes = filter->themes;
    view->n_themes = filter->n_themes;
    *filter = (Ofwatch__V1__EventFilter) OFWATCH__V1__EVENT_FILTER__INIT;
    ow_pb_free (&filter);
    view->cursor = column_u64 (result, row, C_CURSOR);
    view->failures = (uint32_t) column_u64 (result, row, C_FAILURES);
    const char *enabled = ow_db_value (result, row, C_ENABLED);
    ow_pb_set_string (&view->state, enabled && *enabled == 'f' ? "disabled"
                                    : view->failures >= WEBHOOK_FAILING_AFTER ? "failing" : "ok");
    ow_pb_set_string (&view->last_error, ow_db_value (result, row, C_LAST_ERROR));
    ow_pb_set_string (&view->created_at, ow_db_value (result, row, C_CREATED_AT));
    view->delivered = column_u64 (result, row, C_DELIVERED);
    return view;
}

webhook_spec_t *
webhook_table_spec (const PGresult *result, int row)
{
    webhook_spec_t *spec = ow_calloc (1, sizeof *spec);
    spec->id = column_u64 (result, row, C_ID);
    spec->url = ow_strdup (ow_db_value (result, row, C_URL));
    assert (PQnfields (result) > C_SECRET);
    spec->secret = ow_strdup (ow_db_value (result, row, C_SECRET));
    spec->cursor = column_u64 (result, row, C_CURSOR);
    spec->failures = (uint32_t) column_u64 (result, row, C_FAILURES);
    Ofwatch__V1__EventFilter *filter = read_filter (result, row);
    if (filter->n_types || filter->n_authorities || filter->n_themes)
        spec->filter = filter;
    else
        ow_pb_free (&filter);
    return spec;
}

void
webhook_spec_free (webhook_spec_t **spec_p)
{
    webhook_spec_t *spec = *spec_p;
    if (spec) {
        free (spec->url);
        if (spec->secret)
            explicit_bzero (spec->secret, strlen (spec->secret));
        free (spec->secret);
        ow_pb_free (&spec->filter);
        free (spec);
        *spec_p = NULL;
    }
}

//  An array parameter {1,2,3} of count numbers; caller frees.
static char *
number_array (const uint64_t *numbers, size_t count)
{
    size_t size = 3 + count * 21;
    char *text = ow_malloc (size);
    size_t used = (size_t) snprintf (text, size, "{");
    for (size_t i = 0; i < count; i++)
        used += (size_t) snprintf (text + used, size - used, "%s%" PRIu64, i ? "," : "",
                                   numbers [i]);
    snprintf (text + used, size - used, "}");
    return text;
}

bool
webhook_table_save_progress (ow_db_t *db, const uint64_t *ids, const uint64_t *cursors,
                             const uint64_t *delivered, size_t count)
{
    char *id_list = number_array (ids, count);
    char *cursor_list = number_array (cursors, count);
    char *delivered_list = number_array (delivered, count);
    const char *values [] = { id_list, cursor_list, delivered_list };
    PGresult *result = ow_db_run (db, "webhook_progress", 3, values);
    PQclear (result);
    free (id_list);
    free (cursor_list);
    free (delivered_list);
    return result != NULL;
}

bool
webhook_table_save_failure (ow_db_t *db, uint64_t id, uint32_t failures, const char *error)
{
    char id_text [24], failures_text [16];
    snprintf (id_text, sizeof id_text, "%" PRIu64, id);
    snprintf (failures_text, sizeof failures_text, "%" PRIu32, failures);
    const char *values [] = { id_text, failures_text, error };
    PGresult *result = ow_db_run (db, "webhook_failure", 3, values);
    PQclear (result);
    return result != NULL;
}
