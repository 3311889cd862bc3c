/*  wt_ledger — what the watch remembers, in PostgreSQL (schema `watch`,
    migrations in data/migrations/watch, applied by whoever connects first
    with ow_migrate).

    It remembers every file URL it downloaded and what became of it, so no
    file is ever downloaded twice, not by a restarted process and not by
    another copy on another machine; the validators and body of every page
    read, for conditional requests; and every pass, so that a restarted
    service knows when the next pass is due and `ofwatch health` can say
    when the last one completed.

    A downloaded file is written here before it is submitted (the outbox),
    and marked stored only once ingest has acknowledged it: a process
    killed in between submits it again from here at its next pass, and
    store, which knows the bytes, stores it once.

    One ledger is one connection: the service's reactor and its pass each
    hold their own. A pass holds an advisory lock for its whole run, so two
    copies never read the site at once.
*/
#ifndef WT_LEDGER_H
#define WT_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _wt_ledger_t wt_ledger_t;

typedef enum {
    WT_FILE_UNSEEN,             // never downloaded (or its download failed)
    WT_FILE_DOWNLOADED,         // bytes kept, not yet acknowledged by ingest
    WT_FILE_STORED,
    WT_FILE_REFUSED,
} wt_file_state_t;

//  What the provider page said about a publication.
typedef struct {
    char *url;
    char *authority;            // ONS code of the provider page's authority, "" if unknown
    char *title;
    char *listed_on;            // YYYY-MM-DD or ""
} wt_listing_t;

void wt_listing_free (wt_listing_t *listing);

//  A page as last read: its validators and body.
typedef struct {
    char *etag;                 // NULL when the site gave none
    char *last_modified;
    uint8_t *body;
    size_t size;
} wt_page_t;

void wt_page_free (wt_page_t *page);

//  `pg`: a libpq connection string; `data`: where migrations/watch is.
wt_ledger_t *wt_ledger_new (const char *pg, const char *data);
void wt_ledger_destroy (wt_ledger_t **self_p);

//  Connects and brings the schema up to date when needed. False while
//  PostgreSQL cannot be reached (logged once per outage) or a migration
//  fails.
bool wt_ledger_ready (wt_ledger_t *self);

//  ---- files ------------------------------------------------------------------

//  False on a database error.
bool wt_ledger_file_state (wt_ledger_t *self, const char *url, wt_file_state_t *state);

//  Keeps a downloaded file's bytes (the outbox).
bool wt_ledger_keep_download (wt_ledger_t *self, const wt_listing_t *listing,
                              const uint8_t *content, size_t size, const char *sha256);

//  The bytes kept for url (caller frees); false when there are none.
bool wt_ledger_download (wt_ledger_t *self, const char *url, uint8_t **content, size_t *size);

//  Ingest acknowledged url: store's document, new or known before.
bool wt_ledger_mark_stored (wt_ledger_t *self, const char *url, int64_t document_id,
                            bool new_document);

//  ofwatch cannot use the publication: never fetched again. size and
//  sha256 may be 0 and NULL (refused before or without a download).
bool wt_ledger_mark_refused (wt_ledger_t *self, const wt_listing_t *listing, size_t size,
                             const char *sha256, const char *reason);

//  Every file downloaded and not yet acknowledged, oldest first; NULL
//  with *count 0 when there is none or on a database error. Free each
//  with wt_listing_free, then the array.
wt_listing_t *wt_ledger_outbox (wt_ledger_t *self, size_t *count);

//  ---- pages ------------------------------------------------------------------

//  The page as last read; *found false when it never was.
bool wt_ledger_page (wt_ledger_t *self, const char *url, wt_page_t *page, bool *found);
bool wt_ledger_keep_page (wt_ledger_t *self, const char *url, const char *etag,
                          const char *last_modified, const uint8_t *body, size_t size);

//  ---- passes -----------------------------------------------------------------

//  Starts a pass: takes the pass lock and records it. False with *busy
//  when another process holds the lock, false alone on a database error.
bool wt_ledger_pass_begin (wt_ledger_t *self, int64_t *pass_id, bool *busy);

typedef struct {
    const char *outcome;        // complete, failed, stopped
    size_t requests;
    uint64_t bytes;
    size_t files;               // downloads
    size_t new_documents;
    size_t errors;
    const char *note;           // a sentence, or NULL
} wt_pass_record_t;

//  Ends the pass and releases the lock.
bool wt_ledger_pass_end (wt_ledger_t *self, int64_t pass_id, const wt_pass_record_t *record);

//  When the last complete pass finished, as RFC 3339 (size >= 40; "" when
//  none) and as seconds since the epoch (0 when none).
bool wt_ledger_last_success (wt_ledger_t *self, char *rfc3339, size_t size, double *epoch);

//  Seconds until the next pass is due for an interval: at once when no
//  pass ever ended, or the last one was cut short; else `interval` after
//  the last ended pass started.
bool wt_ledger_seconds_until_due (wt_ledger_t *self, int interval, int64_t *seconds);

#endif
