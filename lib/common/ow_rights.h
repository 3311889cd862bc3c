/*  ow_rights — what a key may do: which services it may connect to,
    which requests it may make of them, the authorities it speaks for,
    whether it is trusted for Ofsted's documents.

    A key (ow_key_t) is read from its certificate by ow_keys; the rules
    here decide from it alone, so the ZAP handler, every ROUTER, ingest,
    the CLI and the fuzz targets share them and they need nothing but the
    register. Who may connect where, and which requests narrow that:

        ingest      council, inspectorate; the watch's service key
        notify      council, inspectorate, subscriber;
                    webhook admin: inspectorate
        analytics   council, inspectorate, subscriber
        store       inspectorate (queries); the service keys of ingest,
                    analytics and notify, which alone may write
                    (store_document, derive, record_audit)
        watch       inspectorate (its health)

    A service key (role service) is known by its name, the service that
    presents it, and reaches only the services that service calls: store's
    reaches nothing, the watch's only ingest.
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
    OW_ROLE_SERVICE             // one of ofwatch's own services (ingest, analytics, ...),
                                // named after it
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

//  Whether the key may connect to the sockets of `service` ("ingest",
//  "store", ...; a ZAP domain "notify.pub" counts as notify's): by its
//  role, or for a service key by the service it belongs to. False for a
//  service ofwatch does not know and for a NULL key. Revocation is not
//  looked at here.
bool ow_rights_may_connect (const char *service, const ow_key_t *key);

//  Whether the key's requests are exempt from the per-key rate: the
//  service keys of ingest, analytics and notify, which pass on work
//  admitted and limited where it entered. Every other key, the watch's
//  included, is limited.
bool ow_rights_unlimited (const ow_key_t *key);

//  Whether ow_rights knows the service: its sockets are secured.
bool ow_rights_known_service (const char *service);

//  Why the key called `peer` (as its file says now: `key`, NULL when it
//  is gone) may not make a request with this body of `service`, in one
//  sentence (caller frees); NULL when it may. `body_name` names the
//  request in the sentence.
char *ow_rights_request_refusal (const char *service, const char *peer, const ow_key_t *key,
                                 int body_case, const char *body_name);

//  Whether the key, unrevoked, may submit for any authority and any kind
//  of document: the inspectorate's, and the services' (for the watch).
bool ow_key_speaks_for_all (const ow_key_t *key);

//  Whether the key may submit a document about `authority` (an ONS
//  code): those above for any; council keys for their own and for the
//  authorities theirs succeeded after a reorganisation (`reg` may be
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
