/*  fuzz_wire_reply — a Reply as every client decodes it. */
#include "fuzz_wire.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    ProtobufCMessage *reply = fuzz_decode (&ofwatch__v1__reply__descriptor, data, size);
    ow_pb_free (&reply);
    return 0;
}
