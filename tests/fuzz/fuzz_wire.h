/*  fuzz_wire — what the wire decoders' libFuzzer targets share: decode
    bytes as one message type the way a service does (protobuf-c, then
    ow_check), and check that what is accepted behaves: it converts to
    JSON, and packing it is stable (decoded again, it packs to the same
    bytes). Any crash, leak, undefined behaviour or broken invariant is a
    finding.
*/
#ifndef FUZZ_WIRE_H
#define FUZZ_WIRE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ow_check.h"
#include "ow_pbjson.h"

static uint8_t *
fuzz_pack (const ProtobufCMessage *message, size_t *size)
{
    *size = protobuf_c_message_get_packed_size (message);
    uint8_t *bytes = malloc (*size ? *size : 1);
    if (!bytes)
        abort ();
    if (protobuf_c_message_pack (message, bytes) != *size)
        abort ();
    return bytes;
}

//  Decodes and checks; returns the message when a service would accept
//  it (caller frees with ow_pb_free), else NULL.
static ProtobufCMessage *
fuzz_decode (const ProtobufCMessageDescriptor *descriptor, const uint8_t *data, size_t size)
{
    ProtobufCMessage *message = protobuf_c_message_unpack (descriptor, NULL, size, data);
    if (!message)
        return NULL;
    char *error = NULL;
    if (!ow_check_message (message, &error)) {
        if (!error || !*error)
            abort ();           // a refusal always says why
        free (error);
        ow_pb_free (&message);
        return NULL;
    }
    size_t first_size = 0, second_size = 0;
    uint8_t *first = fuzz_pack (message, &first_size);
    ProtobufCMessage *again = protobuf_c_message_unpack (descriptor, NULL, first_size, first);
    if (!again)
        abort ();               // what was packed must decode
    uint8_t *second = fuzz_pack (again, &second_size);
    if (second_size != first_size || memcmp (first, second, first_size) != 0)
        abort ();
    ow_pb_free (&again);
    free (first);
    free (second);
    char *json = ow_pbjson_text (message);
    if (!json)
        abort ();
    free (json);
    return message;
}

#endif
