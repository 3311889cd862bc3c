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
    json_t *cloud = json_object ();
    ow_json_set_string (cloud, "specversion", "1.0");
    ow_json_set_string (cloud, "id", event->id);
    ow_json_set_string (cloud, "source", "ofwatch");
    ow_json_set_string (cloud, "type", full_type);
    //  Optional attributes are left out rather than written empty.
    if (event->authority && *event->authority)
        ow_json_set_string (cloud, "subject", event->authority);
    if (event->recorded_at && *event->recorded_at)
        ow_json_set_string (cloud, "time", event->recorded_at);
    ow_json_set_string (cloud, "datacontenttype", "application/json");
    json_object_set_new (cloud, "data", ow_pbjson_value (&event->base));
    char *body = ow_json_dump (cloud);
    json_decref (cloud);
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
