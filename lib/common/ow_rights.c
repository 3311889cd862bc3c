/*  ow_rights — what a key may do; see ow_rights.h.  */

#include "ow_rights.h"

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

bool
ow_key_speaks_for (const ow_key_t *key, const ow_register_t *reg, const char *authority)
{
    if (!key || key->revoked || !authority || !*authority)
        return false;
    if (key->role == OW_ROLE_INSPECTORATE)
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
    if (key->role == OW_ROLE_INSPECTORATE)
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
