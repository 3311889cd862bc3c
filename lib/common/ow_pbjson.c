/*  ow_pbjson — any protobuf message as JSON; see ow_pbjson.h.  */

#include "ow_pbjson.h"
#include "ow_vocab.h"

#include <string.h>

static json_t *message_value (const ProtobufCMessage *message);

static const void *
member_at (const ProtobufCMessage *message, unsigned offset)
{
    return (const char *) message + offset;
}

//  A oneof member is present only when the oneof's case names it.
static bool
oneof_member_is_set (const ProtobufCMessage *message, const ProtobufCFieldDescriptor *field)
{
    if (!(field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
        return true;
    uint32_t which = *(const uint32_t *) member_at (message, field->quantifier_offset);
    return which == field->id;
}

static json_t *
scalar_value (const ProtobufCFieldDescriptor *field, const void *value)
{
    switch (field->type) {
        case PROTOBUF_C_TYPE_INT32:
        case PROTOBUF_C_TYPE_SINT32:
        case PROTOBUF_C_TYPE_SFIXED32: {
            int32_t v = *(const int32_t *) value;
            return v == 0 ? json_null () : json_integer (v);
        }
        case PROTOBUF_C_TYPE_UINT32:
        case PROTOBUF_C_TYPE_FIXED32:
            return json_integer (*(const uint32_t *) value);
        case PROTOBUF_C_TYPE_INT64:
        case PROTOBUF_C_TYPE_SINT64:
        case PROTOBUF_C_TYPE_SFIXED64:
            return json_integer (*(const int64_t *) value);
        case PROTOBUF_C_TYPE_UINT64:
        case PROTOBUF_C_TYPE_FIXED64:
            //  JSON integers are signed 64-bit here; seqs and ids stay far below.
            return json_integer ((json_int_t) *(const uint64_t *) value);
        case PROTOBUF_C_TYPE_BOOL:
            return json_boolean (*(const protobuf_c_boolean *) value);
        case PROTOBUF_C_TYPE_ENUM:
            return ow_json_string (ow_vocab_word (field->descriptor, *(const int *) value));
        case PROTOBUF_C_TYPE_STRING: {
            const char *s = *(char *const *) value;
            return ow_json_string ((s && *s) ? s : NULL);
        }
        case PROTOBUF_C_TYPE_MESSAGE: {
            const ProtobufCMessage *sub = *(ProtobufCMessage *const *) value;
            return sub ? message_value (sub) : json_null ();
        }
        default:            // bytes, floating point: not used for people
            return json_null ();
    }
}

static size_t
scalar_size (const ProtobufCFieldDescriptor *field)
{
    switch (field->type) {
        case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64:
        case PROTOBUF_C_TYPE_SFIXED64: case PROTOBUF_C_TYPE_UINT64:
        case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_DOUBLE:
            return 8;
        case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE:
            return sizeof (void *);
        case PROTOBUF_C_TYPE_BOOL:
            return sizeof (protobuf_c_boolean);
        case PROTOBUF_C_TYPE_BYTES:
            return sizeof (ProtobufCBinaryData);
        default:
            return 4;
    }
}

//  protoc generates a map<K,V> as repeated XxxEntry {key = 1; value = 2}.
static bool
is_map_entry (const ProtobufCMessageDescriptor *descriptor)
{
    return descriptor->n_fields == 2
        && strcmp (descriptor->fields [0].name, "key") == 0
        && strcmp (descriptor->fields [1].name, "value") == 0
        && descriptor->fields [0].type == PROTOBUF_C_TYPE_STRING;
}

static json_t *
repeated_value (const ProtobufCMessage *message, const ProtobufCFieldDescriptor *field)
{
    size_t count = *(const size_t *) member_at (message, field->quantifier_offset);
    const char *items = *(char *const *) member_at (message, field->offset);
    bool map = field->type == PROTOBUF_C_TYPE_MESSAGE && is_map_entry (field->descriptor);
    if (map) {
        json_t *object = json_object ();
        for (size_t i = 0; i < count; i++) {
            const ProtobufCMessage *entry = ((ProtobufCMessage *const *) items) [i];
            const ProtobufCMessageDescriptor *d = field->descriptor;
            const char *key = *(char *const *) member_at (entry, d->fields [0].offset);
            json_object_set_new (object, key ? key : "",
                                 scalar_value (&d->fields [1],
                                               member_at (entry, d->fields [1].offset)));
        }
        return object;
    }
    json_t *array = json_array ();
    for (size_t i = 0; i < count; i++)
        json_array_append_new (array, scalar_value (field, items + i * scalar_size (field)));
    return array;
}

//  A message made of one oneof and nothing else (like Payload).
static bool
is_bare_oneof (const ProtobufCMessageDescriptor *descriptor)
{
    for (unsigned i = 0; i < descriptor->n_fields; i++)
        if (!(descriptor->fields [i].flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
            return false;
    return descriptor->n_fields > 0;
}

static json_t *
message_value (const ProtobufCMessage *message)
{
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    if (is_bare_oneof (descriptor)) {
        for (unsigned i = 0; i < descriptor->n_fields; i++) {
            const ProtobufCFieldDescriptor *field = &descriptor->fields [i];
            if (oneof_member_is_set (message, field))
                return scalar_value (field, member_at (message, field->offset));
        }
        return json_null ();
    }
    json_t *object = json_object ();
    for (unsigned i = 0; i < descriptor->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields [i];
        if (!oneof_member_is_set (message, field))
            continue;
        json_object_set_new (object, field->name,
                             field->label == PROTOBUF_C_LABEL_REPEATED
                             ? repeated_value (message, field)
                             : scalar_value (field, member_at (message, field->offset)));
    }
    return object;
}

json_t *
ow_pbjson_value (const ProtobufCMessage *message)
{
    return message_value (message);
}

char *
ow_pbjson_text (const ProtobufCMessage *message)
{
    json_t *value = message_value (message);
    char *text = ow_json_dump (value);
    json_decref (value);
    return text;
}
