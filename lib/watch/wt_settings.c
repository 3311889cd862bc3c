/*  wt_settings — the watch's settings; see wt_settings.h.  */

#include "wt_settings.h"
#include "extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
wt_settings_load (wt_settings_t *s, const ow_config_t *config)
{
    memset (s, 0, sizeof *s);
    s->config = config;
    s->site = config->ofsted_url;
    s->rate = config->watch_rate;
    s->interval = config->watch_interval;
    const char *contact = getenv ("OFWATCH_WATCH_CONTACT");
    s->contact = contact ? contact : "";
    //  The site's operators see this in their logs: what is asking, and
    //  whom to tell when it misbehaves.
    snprintf (s->user_agent, sizeof s->user_agent,
              "%s (reads published inspection reports, at most %g requests a second; contact: %s)",
              WT_AGENT_TOKEN, s->rate, *s->contact ? s->contact : "not configured");
    s->timeout_s = (int) ow_config_number ("OFWATCH_WATCH_TIMEOUT", 60, 1, 3600);
    s->connect_timeout_s = s->timeout_s < 10 ? s->timeout_s : 10;
    s->backoff_ms = (int) ow_config_number ("OFWATCH_WATCH_BACKOFF_MS", 2000, 1, 600000);
    s->retry_after_max_s = (int) ow_config_number ("OFWATCH_WATCH_RETRY_AFTER_MAX", 900, 0,
                                                   86400);
    s->attempts = 4;
    s->max_page = WT_MAX_PAGE_BYTES;
    s->max_file = (size_t) ow_config_number ("OFWATCH_WATCH_MAX_FILE_MB",
                                             EXTRACT_MAX_DOCUMENT >> 20, 1,
                                             EXTRACT_MAX_DOCUMENT >> 20) << 20;
}
