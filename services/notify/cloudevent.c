/*  cloudevent — what a webhook POSTs: one event as CloudEvents 1.0 JSON in
    structured mode, and its signature.

    {"specversion":"1.0","id":<event UUID>,"source":"ofwatch",
     "type":"ofwatch.<event type>","subject":<ONS code>,"time":<recorded_at>,
     "datacontenttype":"application/json","data":<the event as
     `ofwatch events --json` prints it, seq included>}

    The id is the event's UUID, so a receiver drops a redelivery by id
    (CloudEvents' source + id). The signature is HMAC-SHA256 of the exact
    bytes sent, keyed with the subscription's secret.
*/

#include "notify.h"
#include "ow_hash.h"
#include "ow_json.h"
#include "ow_pbjson.h"
#include "ow_vocab.h"

char *
cloudevent_body (const Ofwatch__V1__Event *event)
{
    const char *type = ow_event_type_word (event->type);
    char *full_type = ow_printf ("ofwatch.%s", type ? type : "unknown");
    ow_json_t *json = ow_json_new ();
    ow_json_object_begin (json);
    ow_json_key_string (json, "specversion", "1.0");
    ow_json_key_string (json, "id", event->id);
    ow_json_key_string (json, "source", "ofwatch");
    ow_json_key_string (json, "type", full_type);
    //  Optional attributes are left out rather than written empty.
    if (event->authority && *event->authority)
        ow_json_key_string (json, "subject", event->authority);
    if (event->recorded_at && *event->recorded_at)
        ow_json_key_string (json, "time", event->recorded_at);
    ow_json_key_string (json, "datacontenttype", "application/json");
    ow_json_key (json, "data");
    ow_pbjson_write (json, &event->base);
    ow_json_object_end (json);
    char *body = ow_strdup (ow_json_text (json));
    ow_json_destroy (&json);
    free (full_type);
    return body;
}

char *
cloudevent_signature_header (const char *secret, const char *body, size_t size)
{
    char hex [OW_HASH_HEX_SIZE];
    ow_hash_hmac_sha256_hex (secret, strlen (secret), body, size, hex);
    return ow_printf ("X-Ofwatch-Signature: sha256=%s", hex);
}
