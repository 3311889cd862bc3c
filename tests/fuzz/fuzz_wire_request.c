/*  fuzz_wire_request — a Request as every service's ROUTER decodes it. */
#include "fuzz_wire.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    ProtobufCMessage *request = fuzz_decode (&ofwatch__v1__request__descriptor, data, size);
    ow_pb_free (&request);
    return 0;
}
