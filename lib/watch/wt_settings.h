/*  wt_settings — how the watch reads Ofsted's site: where, how fast, how
    long it waits, how much it takes, and who it says it is.

    The contract's variables (OFWATCH_OFSTED_URL, OFWATCH_WATCH_INTERVAL,
    OFWATCH_WATCH_RATE) come from ow_config; the
    manners' finer settings are read here, once, for the service and the
    CLI alike (README, "Watching Ofsted's site").
*/
#ifndef WT_SETTINGS_H
#define WT_SETTINGS_H

#include <stddef.h>
#include "ow_config.h"

//  The product token robots.txt groups are matched against.
#define WT_AGENT_TOKEN "ofwatch"

//  No page of the site comes near this; a file may be as large as
//  ingest takes a document.
#define WT_MAX_PAGE_BYTES (8u * 1024 * 1024)

typedef struct {
    const ow_config_t *config;      // borrowed: the strings below point into it
    const char *site;               // OFWATCH_OFSTED_URL
    double rate;                    // OFWATCH_WATCH_RATE: requests a second, at most
    int interval;                   // OFWATCH_WATCH_INTERVAL: seconds; 0: no passes
    const char *contact;            // OFWATCH_WATCH_CONTACT: "" when not set
    char user_agent [512];
    int timeout_s;                  // OFWATCH_WATCH_TIMEOUT: one request, start to end
    int connect_timeout_s;
    int backoff_ms;                 // OFWATCH_WATCH_BACKOFF_MS: first wait after a failure
    int retry_after_max_s;          // OFWATCH_WATCH_RETRY_AFTER_MAX: longest wait in a pass
    int attempts;                   // tries of one URL before it waits for the next pass
    size_t max_page;                // bytes of one page
    size_t max_file;                // OFWATCH_WATCH_MAX_FILE_MB: bytes of one file
} wt_settings_t;

//  Fills settings from config (borrowed, must outlive them) and the
//  environment; a bad value is logged and its default used.
void wt_settings_load (wt_settings_t *settings, const ow_config_t *config);

#endif
