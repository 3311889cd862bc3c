/*  verify — what ingest checks about what it is given, apart from the
    socket: whether a key may submit what a document turned out to be
    (the authority it is about, and whether it claims to be Ofsted's), an
    authority declared up front, and a worker's answer, which is read as
    untrusted as the document it came from.

    Nothing here needs ingest's state or a socket, so the fuzz targets
    run it as it is.
*/

#include "ingest.h"
#include "ow_check.h"
#include "ow_vocab.h"

//  "Herefordshire (E06000019), ..." for a council key's authorities.
static char *
authorities_text (const ow_register_t *reg, const ow_key_t *key)
{
    char *text = ow_strdup ("");
    for (size_t i = 0; i < key->n_authorities; i++) {
        const ow_authority_t *authority = ow_register_find (reg, key->authorities [i]);
        char *longer = ow_printf ("%s%s%s (%s)", text, i ? ", " : "",
                                  authority ? authority->name : "?", key->authorities [i]);
        free (text);
        text = longer;
    }
    return text;
}

//  Why key may not submit for the authority `code`, or NULL; `how` says
//  how the document concerns it ("is about", "reports on").
static char *
not_for_authority (const ow_register_t *reg, const ow_key_t *key, const char *code,
                   const char *how)
{
    if (ow_key_speaks_for (key, reg, code))
        return NULL;
    const ow_authority_t *authority = ow_register_find (reg, code);
    char *own = authorities_text (reg, key);
    char *why = ow_printf ("the document %s %s (%s), and key %s may submit only for %s", how,
                           authority ? authority->name : "an unknown authority", code,
                           key->name, own);
    free (own);
    return why;
}

char *
ingest_authorise (const ow_register_t *reg, const ow_key_t *key,
                  const Ofwatch__V1__Extraction *facts, const char **authority)
{
    const char *code = facts->authority ? facts->authority->code : NULL;
    const char *refused = NULL;
    if (authority)
        *authority = NULL;
    if (!code || !*code)
        return ow_strdup ("the document is about no authority ofwatch knows");
    char *why = not_for_authority (reg, key, code, "is about");
    if (why)
        refused = code;
    //  A records feed covering several authorities: the key must speak
    //  for each one it reports on, and a refusal names the one it may not.
    for (size_t i = 0; i < facts->n_events && !why; i++) {
        const Ofwatch__V1__Authority *own = facts->events [i]->authority;
        if (own && own->code && *own->code && strcmp (own->code, code) != 0
            && (why = not_for_authority (reg, key, own->code, "reports on")) != NULL)
            refused = own->code;
    }
    if (authority)
        *authority = refused;
    if (!why && !ow_key_may_submit_kind (key, facts->doc_kind)) {
        const char *kind = ow_doc_kind_word (facts->doc_kind);
        why = ow_printf ("the document is Ofsted's (%s), and key %s is not trusted to submit "
                         "Ofsted's documents (the inspectorate's keys and keys made with "
                         "--ofsted are)", kind ? kind : "unknown", key->name);
    }
    return why;
}

char *
ingest_declared_refusal (const ow_register_t *reg, const ow_key_t *key,
                         const char *declared)
{
    const ow_authority_t *authority = declared && *declared
                                    ? ow_register_find (reg, declared) : NULL;
    char *why = authority ? not_for_authority (reg, key, authority->code, "is about") : NULL;
    if (!why)
        return NULL;
    char *reason = ow_printf ("it was declared to be about %s",
                              why + strlen ("the document is about "));
    free (why);
    return reason;
}

Ofwatch__V1__ExtractResult *
ingest_read_result (const uint8_t *bytes, size_t size, char **error)
{
    Ofwatch__V1__ExtractResult *result = size <= INGEST_RESULT_MAX
        ? ofwatch__v1__extract_result__unpack (NULL, size, bytes) : NULL;
    char *why = NULL;
    if (!result)
        *error = ow_strdup ("the answer is not an ExtractResult");
    else
    if (!ow_check_message (&result->base, &why)) {
        *error = ow_printf ("the answer is malformed: %s", why);
        free (why);
        ow_pb_free (&result);
    }
    else
    if (!result->extraction && !*result->error) {
        *error = ow_strdup ("the answer holds neither facts nor an error");
        ow_pb_free (&result);
    }
    return result;
}
