/*  ow_keys — who may do what: the CURVE certificates in OFWATCH_KEYS.

    Every client key is a CZMQ certificate pair. Its public half, NAME.cert
    in the keys directory, is also its entry in the registry: the
    certificate's metadata says what the key may do.

        name         NAME (the file name without .cert)
        role         council, inspectorate, subscriber, or service (one
                     of ofwatch's own services: ingest, store, analytics,
                     notify, watch, each presenting its own key)
        authorities  ONS codes a council key may submit for, space-separated
        ofsted       "yes": trusted to submit documents that claim to be
                     Ofsted's (inspection reports, letters, records)
        rate         submissions per minute (absent: the default; 0: none)
        created      when the key was made (RFC 3339)
        revoked      when it was revoked; absent while it is valid

    server.cert and server.cert_secret are the services' own pair: clients
    need the public half to know whom they talk to.

    The directory is the only state, and it is read again whenever asked
    (a lookup by name reads that one file; a lookup by public key rescans
    the directory when it has changed), so `ofwatch keys revoke` takes
    effect on the next connection and the next request without a restart.
*/
#ifndef OW_KEYS_H
#define OW_KEYS_H

#include <czmq.h>
#include <stdbool.h>
#include "ow_rights.h"

typedef struct {
    const char *name;
    ow_role_t role;
    const char *const *authorities;   // ONS codes, for a council key
    size_t n_authorities;
    bool ofsted;
    int rate;                         // -1 for the default
} ow_key_spec_t;

typedef struct _ow_keys_t ow_keys_t;

//  A registry over `directory` (which need not exist yet).
ow_keys_t *ow_keys_new (const char *directory);
void ow_keys_destroy (ow_keys_t **self_p);

const char *ow_keys_directory (ow_keys_t *self);

//  The key called name, read from its file now; NULL when there is none.
//  Caller destroys.
ow_key_t *ow_keys_find (ow_keys_t *self, const char *name);

//  The key called name as its file says now, read again only when the
//  file has changed (a new inode, size or time: keys are written and
//  revoked by renaming), so asking for every request costs one stat.
//  NULL when there is none. Borrowed: valid until the next call for the
//  same name or ow_keys_destroy.
const ow_key_t *ow_keys_current (ow_keys_t *self, const char *name);

//  The key whose public key (Z85) this is; NULL when none. Caller destroys.
ow_key_t *ow_keys_find_public (ow_keys_t *self, const char *public_key);

//  Every key, by name. Returns the count; *keys (caller frees with
//  ow_keys_list_free) holds them.
size_t ow_keys_list (ow_keys_t *self, ow_key_t ***keys);
void ow_keys_list_free (ow_key_t ***keys, size_t count);

//  Makes the services' pair (server.cert, server.cert_secret) unless it
//  exists; *created says whether it was made now.
bool ow_keys_make_server (ow_keys_t *self, bool *created, char **error);

//  The services' pair, secret included (caller destroys); NULL and *error
//  when it is missing or unreadable.
zcert_t *ow_keys_server_pair (ow_keys_t *self, char **error);

//  The services' public key (Z85; caller frees); NULL and *error.
char *ow_keys_server_public (ow_keys_t *self, char **error);

//  Makes a key: its public certificate goes into the directory; the pair
//  (public and _secret) to pair_path, or beside it in the directory when
//  pair_path is NULL. Refuses a name in use. Returns the new key (caller
//  destroys) or NULL and *error.
ow_key_t *ow_keys_create (ow_keys_t *self, const ow_key_spec_t *spec, const char *pair_path,
                          char **error);

//  Makes the service key called name (role service) unless a key of that
//  name exists; *created says whether it was made now. False and *error
//  when it cannot be written, or the name is taken by a key of another
//  role.
bool ow_keys_make_service (ow_keys_t *self, const char *name, bool *created, char **error);

//  Marks the key revoked (it stays listed, with the time). False and
//  *error when there is no such key; revoking twice keeps the first time.
bool ow_keys_revoke (ow_keys_t *self, const char *name, char **error);

//  Loads a client certificate pair for presenting: NULL and *error when
//  the file is missing or has no secret half. Caller destroys.
zcert_t *ow_keys_load_pair (const char *path, char **error);

//  Tells, without waiting, whether anything in a keys directory changed:
//  a key made, revoked or removed, or a Kubernetes Secret's files swapped
//  (inotify on the directory). Where the directory cannot be watched it
//  always says yes, which costs its caller a look but misses nothing.
typedef struct _ow_keys_watch_t ow_keys_watch_t;

ow_keys_watch_t *ow_keys_watch_new (const char *directory);
void ow_keys_watch_destroy (ow_keys_watch_t **self_p);

//  True when the directory changed since the last call.
bool ow_keys_watch_changed (ow_keys_watch_t *self);

#endif
