/*  wt_ledger — the watch's memory in PostgreSQL; see wt_ledger.h.  */

#include "wt_ledger.h"
#include "ow_db.h"
#include "ow_log.h"
#include "ow_migrate.h"
#include "ow_pb.h"

#include <czmq.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Advisory lock keys: the migrations' (one per schema owner, as store
//  and notify use their ports) and the pass's, held while a pass runs.
#define WATCH_MIGRATION_LOCK  7107
#define WATCH_PASS_LOCK       "71070"

#define UTC(column) "to_char (" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

struct _wt_ledger_t {
    ow_db_t *db;
    char *data;
    bool prepared;              // schema migrated and statements registered
};

wt_ledger_t *
wt_ledger_new (const char *pg, const char *data)
{
    wt_ledger_t *self = ow_calloc (1, sizeof (wt_ledger_t));
    self->db = ow_db_new (pg, "watch");
    self->data = ow_strdup (data);
    return self;
}

void
wt_ledger_destroy (wt_ledger_t **self_p)
{
    wt_ledger_t *self = *self_p;
    if (!self)
        return;
    ow_db_destroy (&self->db);
    free (self->data);
    free (self);
    *self_p = NULL;
}

static void
prepare (ow_db_t *db)
{
    ow_db_statement (db, "watch_file_state", "SELECT state FROM watch.file WHERE url = $1");
    ow_db_statement (db, "watch_keep_download",
        "INSERT INTO watch.file (url, state, authority, title, listed_on, content, size, sha256)"
        " VALUES ($1, 'downloaded', nullif ($2, ''), $3, nullif ($4, '')::date, $5, $6, $7)"
        " ON CONFLICT (url) DO NOTHING");
    ow_db_statement (db, "watch_download",
        "SELECT content FROM watch.file WHERE url = $1 AND state = 'downloaded'");
    ow_db_statement (db, "watch_mark_stored",
        "UPDATE watch.file SET state = 'stored', content = NULL, document_id = $2,"
        " new_document = $3, settled_at = now() WHERE url = $1");
    ow_db_statement (db, "watch_mark_refused",
        "INSERT INTO watch.file (url, state, authority, title, listed_on, size, sha256, reason,"
        " settled_at) VALUES ($1, 'refused', nullif ($2, ''), $3, nullif ($4, '')::date,"
        " $5, $6, $7, now())"
        " ON CONFLICT (url) DO UPDATE SET state = 'refused', content = NULL,"
        " size = coalesce (EXCLUDED.size, watch.file.size),"
        " sha256 = coalesce (EXCLUDED.sha256, watch.file.sha256),"
        " reason = EXCLUDED.reason, settled_at = now()");
    ow_db_statement (db, "watch_outbox",
        "SELECT url, coalesce (authority, ''), coalesce (title, ''),"
        " coalesce (listed_on::text, '') FROM watch.file WHERE state = 'downloaded'"
        " ORDER BY first_seen, url");
    ow_db_statement (db, "watch_page",
        "SELECT etag, last_modified, body FROM watch.page WHERE url = $1");
    ow_db_statement (db, "watch_keep_page",
        "INSERT INTO watch.page (url, etag, last_modified, body) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (url) DO UPDATE SET etag = EXCLUDED.etag,"
        " last_modified = EXCLUDED.last_modified, body = EXCLUDED.body, fetched_at = now()");
    ow_db_statement (db, "watch_pass_lock", "SELECT pg_try_advisory_lock (" WATCH_PASS_LOCK ")");
    ow_db_statement (db, "watch_pass_unlock", "SELECT pg_advisory_unlock (" WATCH_PASS_LOCK ")");
    ow_db_statement (db, "watch_pass_begin", "INSERT INTO watch.pass DEFAULT VALUES RETURNING id");
    ow_db_statement (db, "watch_pass_end",
        "UPDATE watch.pass SET finished_at = now(), outcome = $2, requests = $3, bytes = $4,"
        " files = $5, new_documents = $6, errors = $7, note = $8 WHERE id = $1");
    ow_db_statement (db, "watch_last_success",
        "SELECT " UTC ("finished_at") ", extract (epoch FROM finished_at)"
        " FROM watch.pass WHERE outcome = 'complete' ORDER BY id DESC LIMIT 1");
    ow_db_statement (db, "watch_due",
        "SELECT coalesce ((SELECT outcome IS NULL OR outcome = 'stopped' FROM watch.pass"
        "                  ORDER BY id DESC LIMIT 1), true),"
        " (SELECT extract (epoch FROM started_at + make_interval (secs => $1::int) - now())"
        "  FROM watch.pass WHERE outcome IN ('complete', 'failed') ORDER BY id DESC LIMIT 1)");
}

bool
wt_ledger_ready (wt_ledger_t *self)
{
    if (!ow_db_ready (self->db))
        return false;
    if (self->prepared)
        return true;
    char *directory = ow_printf ("%s/migrations/watch", self->data);
    ow_migrate_plan_t plan = {
        .directory = directory,
        .table = "watch.schema_migrations",
        .lock_key = WATCH_MIGRATION_LOCK,
    };
    bool migrated = ow_migrate (self->db, &plan);
    free (directory);
    //  Statements are prepared once their tables exist.
    if (migrated) {
        prepare (self->db);
        self->prepared = true;
    }
    return migrated;
}

//  Runs a statement once the ledger is ready; NULL (logged) on failure.
static PGresult *
run (wt_ledger_t *self, const char *name, int count, const char *const *values,
     const int *lengths, const int *formats)
{
    if (!wt_ledger_ready (self))
        return NULL;
    return ow_db_run_binary (self->db, name, count, values, lengths, formats);
}

static bool
run_command (wt_ledger_t *self, const char *name, int count, const char *const *values,
             const int *lengths, const int *formats)
{
    PGresult *result = run (self, name, count, values, lengths, formats);
    PQclear (result);
    return result != NULL;
}

void
wt_listing_free (wt_listing_t *listing)
{
    free (listing->url);
    free (listing->authority);
    free (listing->title);
    free (listing->listed_on);
    memset (listing, 0, sizeof *listing);
}

void
wt_page_free (wt_page_t *page)
{
    free (page->etag);
    free (page->last_modified);
    free (page->body);
    memset (page, 0, sizeof *page);
}

//  A bytea column of a text result, unescaped (caller frees).
static uint8_t *
bytea_value (const PGresult *result, int row, int column, size_t *size)
{
    size_t length = 0;
    unsigned char *raw = PQunescapeBytea ((const unsigned char *) PQgetvalue (result, row, column),
                                          &length);
    if (!raw)
        abort ();
    uint8_t *copy = ow_malloc (length + 1);
    memcpy (copy, raw, length);
    copy [length] = 0;
    PQfreemem (raw);
    *size = length;
    return copy;
}

bool
wt_ledger_file_state (wt_ledger_t *self, const char *url, wt_file_state_t *state)
{
    const char *values [] = { url };
    PGresult *result = run (self, "watch_file_state", 1, values, NULL, NULL);
    if (!result)
        return false;
    const char *word = PQntuples (result) ? ow_db_value (result, 0, 0) : "";
    *state = streq (word, "downloaded") ? WT_FILE_DOWNLOADED
           : streq (word, "stored")     ? WT_FILE_STORED
           : streq (word, "refused")    ? WT_FILE_REFUSED
           : WT_FILE_UNSEEN;
    PQclear (result);
    return true;
}

bool
wt_ledger_keep_download (wt_ledger_t *self, const wt_listing_t *listing,
                         const uint8_t *content, size_t size, const char *sha256)
{
    char size_text [24];
    snprintf (size_text, sizeof size_text, "%zu", size);
    const char *values [] = { listing->url, listing->authority, listing->title,
                              listing->listed_on, (const char *) content, size_text, sha256 };
    int lengths [7] = { 0, 0, 0, 0, (int) size, 0, 0 };
    int formats [7] = { 0, 0, 0, 0, 1, 0, 0 };
    return run_command (self, "watch_keep_download", 7, values, lengths, formats);
}

bool
wt_ledger_download (wt_ledger_t *self, const char *url, uint8_t **content, size_t *size)
{
    const char *values [] = { url };
    PGresult *result = run (self, "watch_download", 1, values, NULL, NULL);
    bool found = result && PQntuples (result) == 1;
    if (found)
        *content = bytea_value (result, 0, 0, size);
    PQclear (result);
    return found;
}

bool
wt_ledger_mark_stored (wt_ledger_t *self, const char *url, int64_t document_id,
                       bool new_document)
{
    char id [24];
    snprintf (id, sizeof id, "%" PRId64, document_id);
    const char *values [] = { url, id, new_document ? "true" : "false" };
    return run_command (self, "watch_mark_stored", 3, values, NULL, NULL);
}

bool
wt_ledger_mark_refused (wt_ledger_t *self, const wt_listing_t *listing, size_t size,
                        const char *sha256, const char *reason)
{
    char size_text [24];
    snprintf (size_text, sizeof size_text, "%zu", size);
    const char *values [] = { listing->url, listing->authority, listing->title,
                              listing->listed_on, size ? size_text : NULL, sha256, reason };
    return run_command (self, "watch_mark_refused", 7, values, NULL, NULL);
}

wt_listing_t *
wt_ledger_outbox (wt_ledger_t *self, size_t *count)
{
    *count = 0;
    PGresult *result = run (self, "watch_outbox", 0, NULL, NULL, NULL);
    if (!result || PQntuples (result) == 0) {
        PQclear (result);
        return NULL;
    }
    size_t rows = (size_t) PQntuples (result);
    wt_listing_t *listings = ow_calloc (rows, sizeof (wt_listing_t));
    for (size_t i = 0; i < rows; i++) {
        listings [i].url = ow_strdup (ow_db_value (result, (int) i, 0));
        listings [i].authority = ow_strdup (ow_db_value (result, (int) i, 1));
        listings [i].title = ow_strdup (ow_db_value (result, (int) i, 2));
        listings [i].listed_on = ow_strdup (ow_db_value (result, (int) i, 3));
    }
    PQclear (result);
    *count = rows;
    return listings;
}

bool
wt_ledger_page (wt_ledger_t *self, const char *url, wt_page_t *page, bool *found)
{
    memset (page, 0, sizeof *page);
    const char *values [] = { url };
    PGresult *result = run (self, "watch_page", 1, values, NULL, NULL);
    if (!result)
        return false;
    *found = PQntuples (result) == 1;
    if (*found) {
        const char *etag = ow_db_value (result, 0, 0);
        const char *last_modified = ow_db_value (result, 0, 1);
        page->etag = etag ? ow_strdup (etag) : NULL;
        page->last_modified = last_modified ? ow_strdup (last_modified) : NULL;
        page->body = bytea_value (result, 0, 2, &page->size);
    }
    PQclear (result);
    return true;
}

bool
wt_ledger_keep_page (wt_ledger_t *self, const char *url, const char *etag,
                     const char *last_modified, const uint8_t *body, size_t size)
{
    const char *values [] = { url, etag, last_modified, (const char *) body };
    int lengths [4] = { 0, 0, 0, (int) size };
    int formats [4] = { 0, 0, 0, 1 };
    return run_command (self, "watch_keep_page", 4, values, lengths, formats);
}

bool
wt_ledger_pass_begin (wt_ledger_t *self, int64_t *pass_id, bool *busy)
{
    *busy = false;
    PGresult *result = run (self, "watch_pass_lock", 0, NULL, NULL, NULL);
    if (!result)
        return false;
    bool locked = streq (ow_db_value (result, 0, 0), "t");
    PQclear (result);
    if (!locked) {
        *busy = true;
        return false;
    }
    result = run (self, "watch_pass_begin", 0, NULL, NULL, NULL);
    if (!result) {
        run_command (self, "watch_pass_unlock", 0, NULL, NULL, NULL);
        return false;
    }
    *pass_id = strtoll (ow_db_value (result, 0, 0), NULL, 10);
    PQclear (result);
    return true;
}

bool
wt_ledger_pass_end (wt_ledger_t *self, int64_t pass_id, const wt_pass_record_t *record)
{
    char id [24], requests [24], bytes [24], files [24], fresh [24], errors [24];
    snprintf (id, sizeof id, "%" PRId64, pass_id);
    snprintf (requests, sizeof requests, "%zu", record->requests);
    snprintf (bytes, sizeof bytes, "%" PRIu64, record->bytes);
    snprintf (files, sizeof files, "%zu", record->files);
    snprintf (fresh, sizeof fresh, "%zu", record->new_documents);
    snprintf (errors, sizeof errors, "%zu", record->errors);
    const char *values [] = { id, record->outcome, requests, bytes, files, fresh, errors,
                              record->note };
    bool ok = run_command (self, "watch_pass_end", 8, values, NULL, NULL);
    //  A lost connection has released the lock already.
    run_command (self, "watch_pass_unlock", 0, NULL, NULL, NULL);
    return ok;
}

bool
wt_ledger_last_success (wt_ledger_t *self, char *rfc3339, size_t size, double *epoch)
{
    assert (size >= 40);
    rfc3339 [0] = 0;
    *epoch = 0;
    PGresult *result = run (self, "watch_last_success", 0, NULL, NULL, NULL);
    if (!result)
        return false;
    if (PQntuples (result) == 1) {
        snprintf (rfc3339, size, "%s", ow_db_value (result, 0, 0));
        *epoch = strtod (ow_db_value (result, 0, 1), NULL);
    }
    PQclear (result);
    return true;
}

bool
wt_ledger_seconds_until_due (wt_ledger_t *self, int interval, int64_t *seconds)
{
    char interval_text [16];
    snprintf (interval_text, sizeof interval_text, "%d", interval);
    const char *values [] = { interval_text };
    PGresult *result = run (self, "watch_due", 1, values, NULL, NULL);
    if (!result)
        return false;
    bool cut_short = streq (ow_db_value (result, 0, 0), "t");
    const char *left = ow_db_value (result, 0, 1);
    double due = left ? strtod (left, NULL) : 0;
    *seconds = cut_short || due < 0 ? 0 : (int64_t) (due + 0.999);
    PQclear (result);
    return true;
}
