/*  ow_rights — what a key may do; see ow_rights.h.  */

#include "ow_rights.h"
#include "ow_pb.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const s_roles [] = {
    [OW_ROLE_NONE] = NULL, [OW_ROLE_COUNCIL] = "council",
    [OW_ROLE_INSPECTORATE] = "inspectorate", [OW_ROLE_SUBSCRIBER] = "subscriber",
    [OW_ROLE_SERVICE] = "service",
};

const char *
ow_role_word (ow_role_t role)
{
    return role > OW_ROLE_NONE && role <= OW_ROLE_SERVICE ? s_roles [role] : NULL;
}

ow_role_t
ow_role_from_word (const char *word)
{
    for (int role = OW_ROLE_COUNCIL; word && role <= OW_ROLE_SERVICE; role++)
        if (strcmp (word, s_roles [role]) == 0)
            return (ow_role_t) role;
    return OW_ROLE_NONE;
}

void
ow_key_destroy (ow_key_t **self_p)
{
    ow_key_t *self = *self_p;
    if (self) {
        free (self->name);
        free (self->public_key);
        for (size_t i = 0; i < self->n_authorities; i++)
            free (self->authorities [i]);
        free (self->authorities);
        free (self->created);
        free (self->revoked);
        free (self);
        *self_p = NULL;
    }
}

// ---------------------------------------------------------------------------
//  Who may connect where, and which requests narrow that

enum {
    COUNCIL = 1 << OW_ROLE_COUNCIL,
    INSPECTORATE = 1 << OW_ROLE_INSPECTORATE,
    SUBSCRIBER = 1 << OW_ROLE_SUBSCRIBER,
    SERVICE = 1 << OW_ROLE_SERVICE,
};

//  Client keys, by role.
static const struct {
    const char *service;
    unsigned roles;
} s_sockets [] = {
    { "ingest",    COUNCIL | INSPECTORATE },
    { "notify",    COUNCIL | INSPECTORATE | SUBSCRIBER },
    { "analytics", COUNCIL | INSPECTORATE | SUBSCRIBER },
    { "store",     INSPECTORATE },
    { "watch",     INSPECTORATE },
};

//  ofwatch's own services' keys, each by its name: the services it calls,
//  and nothing else, so a key taken from one service opens no more than
//  that service could. The watch, the one service that reads another
//  site, submits through ingest like any client and cannot reach store.
//  A service key named here with `relays` passes on work admitted (and
//  rate limited) where it entered, so its own requests are not limited;
//  the watch's submissions enter ofwatch with it, so they are.
static const struct {
    const char *key;
    const char *calls;          // services, space-separated
    bool relays;
} s_service_keys [] = {
    { "store",     "",       false },
    { "ingest",    "store",  true },
    { "analytics", "store",  true },
    { "notify",    "store",  true },
    { "watch",     "ingest", false },
};

#define WRITES   "write to store (%s)", "one of ofwatch's own service keys"
#define WEBHOOKS "manage webhooks", "an inspectorate key"

static const struct {
    const char *service;
    int body;
    unsigned roles;
    const char *what;           // what the request does, in words (%s: its name)
    const char *takes;          // who may, in words
} s_requests [] = {
    { "store", OFWATCH__V1__REQUEST__BODY_STORE_DOCUMENT, SERVICE, WRITES },
    { "store", OFWATCH__V1__REQUEST__BODY_DERIVE, SERVICE, WRITES },
    { "store", OFWATCH__V1__REQUEST__BODY_RECORD_AUDIT, SERVICE, WRITES },
    { "notify", OFWATCH__V1__REQUEST__BODY_WEBHOOK_ADD, INSPECTORATE, WEBHOOKS },
    { "notify", OFWATCH__V1__REQUEST__BODY_WEBHOOK_LIST, INSPECTORATE, WEBHOOKS },
    { "notify", OFWATCH__V1__REQUEST__BODY_WEBHOOK_REMOVE, INSPECTORATE, WEBHOOKS },
    { "notify", OFWATCH__V1__REQUEST__BODY_WEBHOOK_ENABLE, INSPECTORATE, WEBHOOKS },
};

//  The socket policy's index for a service or a domain "service.socket".
static int
socket_index (const char *service)
{
    size_t length = service ? strcspn (service, ".") : 0;
    for (size_t i = 0; length && i < sizeof s_sockets / sizeof s_sockets [0]; i++)
        if (strlen (s_sockets [i].service) == length
            && strncmp (s_sockets [i].service, service, length) == 0)
            return (int) i;
    return -1;
}

bool
ow_rights_known_service (const char *service)
{
    return socket_index (service) >= 0;
}

//  The service key table's entry for the key, or -1 (not a service key,
//  or one named for no service of ofwatch's).
static int
service_key_index (const ow_key_t *key)
{
    for (size_t i = 0; key && key->role == OW_ROLE_SERVICE
                       && i < sizeof s_service_keys / sizeof s_service_keys [0]; i++)
        if (strcmp (s_service_keys [i].key, key->name) == 0)
            return (int) i;
    return -1;
}

//  Whether the space-separated list names the service.
static bool
names (const char *list, const char *service)
{
    size_t length = strlen (service);
    for (const char *word = list; *word; word += strspn (word, " ")) {
        size_t size = strcspn (word, " ");
        if (size == length && strncmp (word, service, length) == 0)
            return true;
        word += size;
    }
    return false;
}

bool
ow_rights_may_connect (const char *service, const ow_key_t *key)
{
    int i = socket_index (service);
    if (i < 0 || !key || key->role <= OW_ROLE_NONE || key->role > OW_ROLE_SERVICE)
        return false;
    if (key->role != OW_ROLE_SERVICE)
        return (s_sockets [i].roles & (1u << key->role)) != 0;
    int own = service_key_index (key);
    return own >= 0 && names (s_service_keys [own].calls, s_sockets [i].service);
}

bool
ow_rights_unlimited (const ow_key_t *key)
{
    int own = service_key_index (key);
    return own >= 0 && s_service_keys [own].relays;
}

char *
ow_rights_request_refusal (const char *service, const char *peer, const ow_key_t *key,
                           int body_case, const char *body_name)
{
    if (!key)
        return ow_printf ("the key %s is no longer known to %s", peer, service);
    if (key->revoked)
        return ow_printf ("the key %s was revoked at %s", key->name, key->revoked);
    if (!ow_rights_may_connect (service, key))
        return ow_printf ("key %s (%s) may not use %s", key->name, ow_role_word (key->role),
                          service);
    for (size_t i = 0; i < sizeof s_requests / sizeof s_requests [0]; i++)
        if (s_requests [i].body == body_case && strcmp (s_requests [i].service, service) == 0
            && !(s_requests [i].roles & (1u << key->role))) {
            char *what = ow_printf (s_requests [i].what, body_name);
            char *why = ow_printf ("key %s (%s) may not %s: that takes %s", key->name,
                                   ow_role_word (key->role), what, s_requests [i].takes);
            free (what);
            return why;
        }
    return NULL;
}

// ---------------------------------------------------------------------------
//  What a key may submit

//  Keys that may submit for any authority and any kind of document: the
//  inspectorate's, and the services' own (of which only the watch's may
//  reach ingest: it submits what Ofsted publishes, through ingest like
//  anyone else).
bool
ow_key_speaks_for_all (const ow_key_t *key)
{
    return key && !key->revoked
        && (key->role == OW_ROLE_INSPECTORATE || key->role == OW_ROLE_SERVICE);
}

bool
ow_key_speaks_for (const ow_key_t *key, const ow_register_t *reg, const char *authority)
{
    if (!key || key->revoked || !authority || !*authority)
        return false;
    if (ow_key_speaks_for_all (key))
        return true;
    if (key->role != OW_ROLE_COUNCIL)
        return false;
    for (size_t i = 0; i < key->n_authorities; i++)
        if (strcmp (key->authorities [i], authority) == 0)
            return true;
    //  A council that took over an abolished authority's services holds
    //  its records too (North Northamptonshire for Northamptonshire).
    const ow_authority_t *old = reg ? ow_register_find (reg, authority) : NULL;
    for (size_t s = 0; old && *old->ended && s < old->n_successors; s++)
        for (size_t i = 0; i < key->n_authorities; i++)
            if (strcmp (key->authorities [i], old->successors [s]) == 0)
                return true;
    return false;
}

bool
ow_keys_claims_ofsted (Ofwatch__V1__DocKind kind)
{
    switch (kind) {
        case OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_LSCB_REVIEW:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_MONITORING_LETTER:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_FOCUSED_VISIT_LETTER:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_JTAI_LETTER:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_RECORDS:
            return true;
        default:
            return false;
    }
}

bool
ow_key_may_submit_kind (const ow_key_t *key, Ofwatch__V1__DocKind kind)
{
    if (!key || key->revoked)
        return false;
    if (ow_key_speaks_for_all (key))
        return true;
    if (key->role != OW_ROLE_COUNCIL)
        return false;
    return key->ofsted || !ow_keys_claims_ofsted (kind);
}

bool
ow_keys_valid_name (const char *name)
{
    size_t length = name ? strlen (name) : 0;
    if (length == 0 || length > OW_KEY_NAME_MAX || !isalnum ((unsigned char) name [0]))
        return false;
    for (size_t i = 0; i < length; i++)
        if (!isalnum ((unsigned char) name [i]) && !strchr ("._-", name [i]))
            return false;
    return strcmp (name, OW_KEYS_SERVER_NAME) != 0;
}
