/*  wt_identity — the key the watch submits with.

    The watch service presents its own service key, $OFWATCH_KEYS/
    watch.cert (made by `ofwatch keys services watch`, as `make up`, the
    Compose keys job and deploy/k8s/keys.sh do), as every service presents
    its own (ow_security). That key may do one thing: submit through
    ingest, for any authority (ow_rights); ingest checks every submission
    of it as any other's, its rate included, and every document it stores
    names `watch` as the submitter. `ofwatch watch` presents the same key
    when its secret half is readable here, else the command's OFWATCH_CERT
    (an inspectorate key such as local-admin will do).
*/
#ifndef WT_IDENTITY_H
#define WT_IDENTITY_H

#include "ow_config.h"

//  Makes this process present the watch's key to ingest when it can:
//  for the command, points OFWATCH_CERT at the watch's key when its pair
//  can be read (the client library reads OFWATCH_CERT; a service presents
//  its own key whatever that says). Call once, before any thread starts.
//  Returns the certificate path presented (caller frees).
char *wt_identity_present (const ow_config_t *config);

//  NULL when the key at cert_path may submit through ingest documents
//  about any authority (the watch's service key, or an inspectorate key),
//  else why not (caller frees): a key that may not would have every
//  publication refused, and remembered as refused.
char *wt_identity_problem (const ow_config_t *config, const char *cert_path);

#endif
