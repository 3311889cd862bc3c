/*  fuzz_wire_submit — a submission's way through ingest without the
    network: the Request decoded and checked as ingest's ROUTER does; an
    authority declared up front, judged for a council key and an
    inspectorate key; what a worker might claim the document is about,
    authorised for each; and the same bytes read as a worker's answer. */
#include "fuzz_support.h"
#include "fuzz_wire.h"
#include "ingest.h"

static void
judge (const ow_key_t *key, const Ofwatch__V1__SubmitRequest *submit)
{
    char *why = ingest_declared_refusal (fuzz_register (), key, submit->declared_authority);
    //  An inspectorate key may declare anything.
    if (why && key->role == OW_ROLE_INSPECTORATE)
        abort ();
    free (why);
    //  As if the worker found the document to be about what was declared,
    //  of a kind taken from the file name's length.
    Ofwatch__V1__Authority authority = OFWATCH__V1__AUTHORITY__INIT;
    const ow_authority_t *found = ow_register_find (fuzz_register (), submit->declared_authority);
    authority.code = found ? (char *) found->code : submit->declared_authority;
    Ofwatch__V1__Extraction facts = OFWATCH__V1__EXTRACTION__INIT;
    facts.authority = &authority;
    facts.doc_kind = (Ofwatch__V1__DocKind) (strlen (submit->file_name) % 10);
    const char *refused = NULL;
    why = ingest_authorise (fuzz_register (), key, &facts, &refused);
    if (why && key->role == OW_ROLE_INSPECTORATE && found)
        abort ();
    //  A refusal for whom the document is about names that authority.
    if (why && refused && !strstr (why, refused))
        abort ();
    free (why);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *herefordshire [] = { "E06000019" };
    ow_key_t council = { .name = "herefordshire", .role = OW_ROLE_COUNCIL,
                         .authorities = herefordshire, .n_authorities = 1, .rate = -1 };
    ow_key_t inspectorate = { .name = "inspectorate", .role = OW_ROLE_INSPECTORATE, .rate = -1 };
    Ofwatch__V1__Request *request = (Ofwatch__V1__Request *)
        fuzz_decode (&ofwatch__v1__request__descriptor, data, size);
    if (request && request->body_case == OFWATCH__V1__REQUEST__BODY_SUBMIT) {
        judge (&council, request->submit);
        judge (&inspectorate, request->submit);
    }
    ow_pb_free (&request);

    char *error = NULL;
    Ofwatch__V1__ExtractResult *result = ingest_read_result (data, size, &error);
    if (!result && (!error || !*error))
        abort ();
    free (error);
    ow_pb_free (&result);
    return 0;
}
