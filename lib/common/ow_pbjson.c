/*  ow_pbjson — any protobuf message as JSON; see ow_pbjson.h.  */

#include "ow_pbjson.h"
#include "ow_vocab.h"

#include <string.h>

static void write_message (ow_json_t *json, const ProtobufCMessage *message);

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

static void
write_scalar (ow_json_t *json, const ProtobufCFieldDescriptor *field, const void *value)
{
    switch (field->type) {
        case PROTOBUF_C_TYPE_INT32:
        case PROTOBUF_C_TYPE_SINT32:
        case PROTOBUF_C_TYPE_SFIXED32: {
            int32_t v = *(const int32_t *) value;
            if (v == 0)
                ow_json_null (json);
            else
                ow_json_int (json, v);
            break;
        }
        case PROTOBUF_C_TYPE_UINT32:
        case PROTOBUF_C_TYPE_FIXED32:
            ow_json_uint (json, *(const uint32_t *) value);
            break;
        case PROTOBUF_C_TYPE_INT64:
        case PROTOBUF_C_TYPE_SINT64:
        case PROTOBUF_C_TYPE_SFIXED64:
            ow_json_int (json, *(const int64_t *) value);
            break;
        case PROTOBUF_C_TYPE_UINT64:
        case PROTOBUF_C_TYPE_FIXED64:
            ow_json_uint (json, *(const uint64_t *) value);
            break;
        case PROTOBUF_C_TYPE_BOOL:
            ow_json_bool (json, *(const protobuf_c_boolean *) value);
            break;
        case PROTOBUF_C_TYPE_ENUM:
            ow_json_string (json, ow_vocab_word (field->descriptor, *(const int *) value));
            break;
        case PROTOBUF_C_TYPE_STRING: {
            const char *s = *(char *const *) value;
            ow_json_string (json, (s && *s) ? s : NULL);
            break;
        }
        case PROTOBUF_C_TYPE_MESSAGE: {
            const ProtobufCMessage *sub = *(ProtobufCMessage *const *) value;
            if (sub)
                write_message (json, sub);
            else
                ow_json_null (json);
            break;
        }
        default:            // bytes, floating point: not used for people
            ow_json_null (json);
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

static void
write_repeated (ow_json_t *json, const ProtobufCMessage *message,
                const ProtobufCFieldDescriptor *field)
{
    size_t count = *(const size_t *) member_at (message, field->quantifier_offset);
    const char *items = *(char *const *) member_at (message, field->offset);
    bool map = field->type == PROTOBUF_C_TYPE_MESSAGE && is_map_entry (field->descriptor);
    if (map) {
        ow_json_object_begin (json);
        for (size_t i = 0; i < count; i++) {
            const ProtobufCMessage *entry = ((ProtobufCMessage *const *) items) [i];
            const ProtobufCMessageDescriptor *d = field->descriptor;
            ow_json_key (json, *(char *const *) member_at (entry, d->fields [0].offset));
            write_scalar (json, &d->fields [1], member_at (entry, d->fields [1].offset));
        }
        ow_json_object_end (json);
        return;
    }
    ow_json_array_begin (json);
    for (size_t i = 0; i < count; i++)
        write_scalar (json, field, items + i * scalar_size (field));
    ow_json_array_end (json);
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

static void
write_message (ow_json_t *json, const ProtobufCMessage *message)
{
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    if (is_bare_oneof (descriptor)) {
        for (unsigned i = 0; i < descriptor->n_fields; i++) {
            const ProtobufCFieldDescriptor *field = &descriptor->fields [i];
            if (oneof_member_is_set (message, field)) {
                write_scalar (json, field, member_at (message, field->offset));
                return;
            }
        }
        ow_json_null (json);
        return;
    }
    ow_json_object_begin (json);
    for (unsigned i = 0; i < descriptor->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields [i];
        if (!oneof_member_is_set (message, field))
            continue;
        ow_json_key (json, field->name);
        if (field->label == PROTOBUF_C_LABEL_REPEATED)
            write_repeated (json, message, field);
        else
            write_scalar (json, field, member_at (message, field->offset));
    }
    ow_json_object_end (json);
}

void
ow_pbjson_write (ow_json_t *json, const ProtobufCMessage *message)
{
    write_message (json, message);
}

char *
ow_pbjson_text (const ProtobufCMessage *message)
{
    ow_json_t *json = ow_json_new ();
    write_message (json, message);
    char *text = ow_strdup (ow_json_text (json));
    ow_json_destroy (&json);
    return text;
}
