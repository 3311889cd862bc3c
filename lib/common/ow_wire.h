/*  ow_wire — protobuf messages in ZeroMQ frames.

    Requests and replies travel as one frame holding a packed Request or
    Reply (proto/ofwatch/v1/service.proto). Events travel on PUB sockets as
    two frames, [topic][packed Event], with the topic of CONTRACTS.md
    section 7. This is the only place that packs or unpacks for a socket.
*/
#ifndef OW_WIRE_H
#define OW_WIRE_H

#include <czmq.h>
#include "ow_pb.h"

//  Largest message any socket accepts: a document of the largest size
//  (64 MiB) plus its envelope.
#define OW_WIRE_MAX_MESSAGE (66 * 1024 * 1024)

//  Largest message store's ROUTER accepts: a document of the largest
//  size, its decoded text (also at most 64 MiB) and what was extracted
//  from it, as ingest sends it. Only keys store knows can send anything
//  at all, and only the services' may send a document.
#define OW_WIRE_MAX_STORE_MESSAGE (200 * 1024 * 1024)

//  The largest message the sockets of `service` accept (the two above).
size_t ow_wire_max_message (const char *service);

zframe_t *ow_wire_pack (const ProtobufCMessage *message);

//  NULL when the frame does not hold a valid message of that type.
Ofwatch__V1__Request *ow_wire_unpack_request (zframe_t *frame);
Ofwatch__V1__Reply *ow_wire_unpack_reply (zframe_t *frame);
Ofwatch__V1__Event *ow_wire_unpack_event (const void *data, size_t size);

//  The request_id of a packed Request without decoding the rest, so a
//  request refused before it is decoded (over its key's rate) is still
//  answered to the call that made it; 0 when the frame does not start
//  with one (protobuf-c packs fields in number order, and it is field 1).
uint64_t ow_wire_peek_request_id (zframe_t *frame);

//  A new Reply holding an Error with a formatted message.
Ofwatch__V1__Reply *ow_wire_error (uint64_t request_id, Ofwatch__V1__Error__Code code,
                                   const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

//  The topic of an event: type.authority[.theme]. Caller frees.
char *ow_wire_event_topic (const Ofwatch__V1__Event *event);

//  Sends [topic][event] on a PUB socket. Returns 0 or -1.
int ow_wire_publish (zsock_t *publisher, const Ofwatch__V1__Event *event);

//  Receives [topic][event] from a SUB socket; NULL on a malformed message
//  (logged) or interrupt.
Ofwatch__V1__Event *ow_wire_receive_event (zsock_t *subscriber);

#endif
