/*  ow_pbjson — any protobuf message as JSON, by its descriptor.

    This is how every message becomes the JSON users and scripts see
    (extraction, history, events), so the proto files stay the only
    definition of field names. Rules, chosen to match CONTRACTS.md:
    - "not known" is null: an empty string, a zero enum, a zero signed
      int32, an absent sub-message;
    - enums are written as their vocabulary word (ow_vocab);
    - a map field is an object; a repeated field an array;
    - of a oneof, only the member that is set is written, and a message
      that is nothing but one oneof (Payload) is written as that member's
      value itself;
    - bytes are never written (null): documents are not for terminals.
*/
#ifndef OW_PBJSON_H
#define OW_PBJSON_H

#include "ow_json.h"
#include "ow_pb.h"

//  The message as a JSON value (caller owns the reference).
json_t *ow_pbjson_value (const ProtobufCMessage *message);

//  The message as a JSON text; caller frees.
char *ow_pbjson_text (const ProtobufCMessage *message);

#endif
