/*  wt_identity — the watch's key; see wt_identity.h.  */

#include "wt_identity.h"
#include "ow_keys.h"
#include "ow_log.h"
#include "ow_pb.h"

#include <stdlib.h>
#include <unistd.h>

char *
wt_identity_present (const ow_config_t *config)
{
    if (access (config->watch_cert, R_OK) == 0) {
        setenv ("OFWATCH_CERT", config->watch_cert, 1);
        return ow_strdup (config->watch_cert);
    }
    ow_info ("no watch certificate; presenting OFWATCH_CERT instead", "missing",
             config->watch_cert, "presenting", config->cert);
    return ow_strdup (config->cert);
}

char *
wt_identity_problem (const ow_config_t *config, const char *cert_path)
{
    char *why = NULL;
    zcert_t *pair = ow_keys_load_pair (cert_path, &why);
    if (!pair) {
        char *problem = ow_printf ("the watch has no key to submit with: %s; make it with "
                                   "`ofwatch keys services watch`", why);
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
    if (key->role != OW_ROLE_SERVICE && key->role != OW_ROLE_INSPECTORATE)
        problem = ow_printf ("the watch's key %s is a %s key; the watch submits with its "
                             "service key (`ofwatch keys services watch`)",
                             key->name, ow_role_word (key->role));
    ow_key_destroy (&key);
    ow_keys_destroy (&keys);
    zcert_destroy (&pair);
    return problem;
}
