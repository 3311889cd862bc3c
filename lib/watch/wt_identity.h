/*  wt_identity — the key the watch submits with.

    The watch is a client of ingest like any council, with a key of its
    own (OFWATCH_WATCH_CERT, `$OFWATCH_KEYS/watch.cert`, made by `make up`
    with the inspectorate role), so every document it stores names it as
    the submitter and every check ingest makes applies to it. Without
    that file the process's OFWATCH_CERT is presented instead, as by any
    CLI command.
*/
#ifndef WT_IDENTITY_H
#define WT_IDENTITY_H

#include "ow_config.h"

//  Makes this process present the watch's certificate to ingest: points
//  OFWATCH_CERT at OFWATCH_WATCH_CERT when that file exists (the client
//  library reads OFWATCH_CERT). Call once, before any thread starts.
//  Returns the certificate path presented (caller frees).
char *wt_identity_present (const ow_config_t *config);

//  NULL when the key at cert_path may submit documents about any
//  authority (a valid inspectorate key), else why not (caller frees):
//  a key that may not would have every publication refused, and
//  remembered as refused.
char *wt_identity_problem (const ow_config_t *config, const char *cert_path);

#endif
