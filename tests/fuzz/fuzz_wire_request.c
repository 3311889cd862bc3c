/*  fuzz_wire_request — a Request as every service's ROUTER decodes it:
    protobuf-c, then ow_check (UTF-8, enums, every string's length limit);
    the request_id ow_server peeks at before decoding, for a refusal over
    a key's rate, must be the one decoding finds; and a webhook's URL as
    notify judges it, which must never let credentials through to a
    listing. */
#include "fuzz_wire.h"
#include "ow_wire.h"
#include "webhook_url.h"

static void
judge_url (const char *url)
{
    webhook_ports_t ports = { .ports = { 7101, 7102, 5432 }, .count = 3 };
    const char *problem = webhook_url_problem (url, &ports);
    char *shown = webhook_url_shown (url);
    //  What notify accepts holds no credentials, so it is shown as it is.
    if (!problem && strcmp (shown, url) != 0)
        abort ();
    if (problem && !*problem)
        abort ();                   // a refusal always says why
    free (shown);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    Ofwatch__V1__Request *request = (Ofwatch__V1__Request *)
        fuzz_decode (&ofwatch__v1__request__descriptor, data, size);
    if (request) {
        size_t packed_size = 0;
        uint8_t *packed = fuzz_pack (&request->base, &packed_size);
        zframe_t *frame = zframe_new (packed, packed_size);
        if (ow_wire_peek_request_id (frame) != request->request_id)
            abort ();
        zframe_destroy (&frame);
        free (packed);
        if (request->body_case == OFWATCH__V1__REQUEST__BODY_WEBHOOK_ADD)
            judge_url (request->webhook_add->url);
    }
    ow_pb_free (&request);
    //  The bytes themselves as a URL, too.
    char *url = strndup ((const char *) data, size);
    if (url)
        judge_url (url);
    free (url);
    return 0;
}
