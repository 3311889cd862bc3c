/*  ow_wire — protobuf messages in ZeroMQ frames; see ow_wire.h.  */

#include "ow_wire.h"
#include "ow_log.h"
#include "ow_vocab.h"

#include <stdarg.h>

size_t
ow_wire_max_message (const char *service)
{
    bool store = service && strncmp (service, "store", 5) == 0
              && (service [5] == 0 || service [5] == '.');
    return store ? OW_WIRE_MAX_STORE_MESSAGE : OW_WIRE_MAX_MESSAGE;
}

zframe_t *
ow_wire_pack (const ProtobufCMessage *message)
{
    size_t size = protobuf_c_message_get_packed_size (message);
    zframe_t *frame = zframe_new (NULL, size);
    protobuf_c_message_pack (message, zframe_data (frame));
    return frame;
}

Ofwatch__V1__Request *
ow_wire_unpack_request (zframe_t *frame)
{
    return ofwatch__v1__request__unpack (NULL, zframe_size (frame), zframe_data (frame));
}

uint64_t
ow_wire_peek_request_id (zframe_t *frame)
{
    const uint8_t *data = frame ? zframe_data (frame) : NULL;
    size_t size = frame ? zframe_size (frame) : 0;
    if (size < 2 || data [0] != 0x08)           // field 1, varint
        return 0;
    uint64_t value = 0;
    for (size_t i = 1, shift = 0; i < size && i <= 10; i++, shift += 7) {
        value |= (uint64_t) (data [i] & 0x7f) << shift;
        if (!(data [i] & 0x80))
            return value;
    }
    return 0;
}

Ofwatch__V1__Reply *
ow_wire_unpack_reply (zframe_t *frame)
{
    return ofwatch__v1__reply__unpack (NULL, zframe_size (frame), zframe_data (frame));
}

Ofwatch__V1__Event *
ow_wire_unpack_event (const void *data, size_t size)
{
    return ofwatch__v1__event__unpack (NULL, size, data);
}

Ofwatch__V1__Reply *
ow_wire_error (uint64_t request_id, Ofwatch__V1__Error__Code code, const char *format, ...)
{
    Ofwatch__V1__Reply *reply = OW_PB_NEW (Ofwatch__V1__Reply, ofwatch__v1__reply__init);
    reply->request_id = request_id;
    reply->body_case = OFWATCH__V1__REPLY__BODY_ERROR;
    reply->error = OW_PB_NEW (Ofwatch__V1__Error, ofwatch__v1__error__init);
    reply->error->code = code;
    va_list args;
    va_start (args, format);
    char *message = NULL;
    if (vasprintf (&message, format, args) < 0)
        message = NULL;
    va_end (args);
    reply->error->message = message ? message : ow_strdup ("error");
    return reply;
}

char *
ow_wire_event_topic (const Ofwatch__V1__Event *event)
{
    const char *type = ow_event_type_word (event->type);
    const char *theme = ow_theme_word (event->theme);
    const char *authority = event->authority ? event->authority : "";
    if (theme)
        return ow_printf ("%s.%s.%s", type ? type : "unknown", authority, theme);
    return ow_printf ("%s.%s", type ? type : "unknown", authority);
}

int
ow_wire_publish (zsock_t *publisher, const Ofwatch__V1__Event *event)
{
    char *topic = ow_wire_event_topic (event);
    zmsg_t *msg = zmsg_new ();
    zmsg_addstr (msg, topic);
    zmsg_append (msg, (zframe_t *[]) { ow_wire_pack (&event->base) });
    free (topic);
    return zmsg_send (&msg, publisher);
}

Ofwatch__V1__Event *
ow_wire_receive_event (zsock_t *subscriber)
{
    zmsg_t *msg = zmsg_recv (subscriber);
    if (!msg)
        return NULL;
    Ofwatch__V1__Event *event = NULL;
    if (zmsg_size (msg) == 2) {
        zframe_t *body = zmsg_last (msg);
        event = ow_wire_unpack_event (zframe_data (body), zframe_size (body));
    }
    if (!event)
        ow_warn ("dropped a malformed event message", "frames",
                 zmsg_size (msg) == 2 ? "2" : "not 2");
    zmsg_destroy (&msg);
    return event;
}
