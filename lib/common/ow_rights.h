/*  ow_rights — what a key may do: its role, the authorities it speaks
    for, whether it is trusted for Ofsted's documents.

    A key (ow_key_t) is read from its certificate by ow_keys; the rules
    here decide from it alone, so ingest, the CLI and the fuzz targets
    share them and they need nothing but the register.
*/
#ifndef OW_RIGHTS_H
#define OW_RIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include "ow_pb.h"
#include "ow_register.h"

#define OW_KEY_NAME_MAX 64
//  The services' own pair (server.cert) is called this; no client key may be.
#define OW_KEYS_SERVER_NAME "server"

typedef enum {
    OW_ROLE_NONE = 0,
    OW_ROLE_COUNCIL,            // submits for its authorities; subscribes
    OW_ROLE_INSPECTORATE,       // submits for any authority; everything else
    OW_ROLE_SUBSCRIBER,         // subscribes and replays only
    OW_ROLE_SERVICE             // the services' own key (server.cert)
} ow_role_t;

const char *ow_role_word (ow_role_t role);
ow_role_t ow_role_from_word (const char *word);     // OW_ROLE_NONE when unknown

typedef struct {
    char *name;
    char *public_key;           // Z85, 40 characters
    ow_role_t role;
    char **authorities;         // ONS codes (council keys)
    size_t n_authorities;
    bool ofsted;
    int rate;                   // submissions per minute; -1 the default, 0 no limit
    char *created;
    char *revoked;              // NULL while the key is valid
} ow_key_t;

void ow_key_destroy (ow_key_t **self_p);

//  Whether the key may submit a document about `authority` (an ONS
//  code): inspectorate keys for any; council keys for their own and for
//  the authorities theirs succeeded after a reorganisation (`reg` may be
//  NULL: no successions are followed).
bool ow_key_speaks_for (const ow_key_t *key, const ow_register_t *reg, const char *authority);

//  Whether documents of this kind claim to come from Ofsted, so that only
//  a key trusted for that (ow_key_t.ofsted, or the inspectorate) may
//  submit them.
bool ow_keys_claims_ofsted (Ofwatch__V1__DocKind kind);

//  Whether the key may submit documents of this kind at all.
bool ow_key_may_submit_kind (const ow_key_t *key, Ofwatch__V1__DocKind kind);

//  A key name is 1-64 of [A-Za-z0-9._-], starting with a letter or digit,
//  and not "server".
bool ow_keys_valid_name (const char *name);

#endif
