/*  wt_identity — the watch's key; see wt_identity.h.  */

#include "wt_identity.h"
#include "ow_keys.h"
#include "ow_log.h"
#include "ow_pb.h"
#include "ow_security.h"

#include <stdlib.h>

//  The watch service's name, and so its key's.
#define WATCH_KEY "watch"

char *
wt_identity_present (const ow_config_t *config)
{
    char *own = ow_printf ("%s/%s.cert", config->keys, WATCH_KEY);
    char *why = NULL;
    zcert_t *pair = ow_keys_load_pair (own, &why);
    if (pair) {
        zcert_destroy (&pair);
        setenv ("OFWATCH_CERT", own, 1);
        return own;
    }
    //  The service presents its own key whatever happens (each pass says
    //  when it is missing); the command presents its OFWATCH_CERT.
    char *presented = ow_security_client_cert ();
    if (!streq (presented, own))
        ow_info ("the watch's own key cannot be read here; presenting another", "reason", why,
                 "presenting", presented);
    free (why);
    free (own);
    return presented;
}

char *
wt_identity_problem (const ow_config_t *config, const char *cert_path)
{
    char *why = NULL;
    zcert_t *pair = ow_keys_load_pair (cert_path, &why);
    if (!pair) {
        char *problem = ow_printf ("the watch has no key to submit with: %s; make it with "
                                   "`ofwatch keys services " WATCH_KEY "`", why);
        free (why);
        return problem;
    }
    ow_keys_t *keys = ow_keys_new (config->keys);
    ow_key_t *key = ow_keys_find_public (keys, zcert_public_txt (pair));
    char *problem = NULL;
    if (!key)
        problem = ow_printf ("the key in %s is not in the keys registry %s", cert_path,
                             config->keys);
    else
    if (key->revoked)
        problem = ow_printf ("the watch's key %s was revoked at %s", key->name, key->revoked);
    else
    if (!ow_rights_may_connect ("ingest", key) || !ow_key_speaks_for_all (key))
        problem = ow_printf ("the key %s (%s) may not submit every authority's documents "
                             "through ingest; the watch submits with its service key "
                             "(`ofwatch keys services " WATCH_KEY "`)", key->name,
                             ow_role_word (key->role));
    ow_key_destroy (&key);
    ow_keys_destroy (&keys);
    zcert_destroy (&pair);
    return problem;
}
