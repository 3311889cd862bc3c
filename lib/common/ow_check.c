/*  ow_check — what protobuf-c does not check in a decoded message; see
    ow_check.h.

    The walk follows the descriptors protoc-c generates: for each field,
    its label says whether it holds one value or a count and an array, a
    oneof member counts only when its case is set, and strings, enums and
    sub-messages are the types with something to check.
*/

#include "ow_check.h"

#include <stdlib.h>
#include <string.h>

//  Deeper than any message of the schema; a bound for the recursion.
#define MESSAGE_DEPTH_MAX 32

bool
ow_check_utf8 (const char *bytes, size_t size)
{
    const unsigned char *s = (const unsigned char *) bytes;
    size_t i = 0;
    while (i < size) {
        unsigned char c = s [i];
        size_t extra;
        uint32_t point, minimum;
        if (c < 0x80) {
            i++;
            continue;
        }
        else if ((c & 0xE0) == 0xC0) { extra = 1; point = c & 0x1F; minimum = 0x80; }
        else if ((c & 0xF0) == 0xE0) { extra = 2; point = c & 0x0F; minimum = 0x800; }
        else if ((c & 0xF8) == 0xF0) { extra = 3; point = c & 0x07; minimum = 0x10000; }
        else
            return false;
        if (size - i <= extra)
            return false;
        for (size_t k = 1; k <= extra; k++) {
            if ((s [i + k] & 0xC0) != 0x80)
                return false;
            point = (point << 6) | (s [i + k] & 0x3F);
        }
        if (point < minimum || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

static bool check_fields (const ProtobufCMessage *message, const char *path, int depth,
                          char **error);

//  Checks one value of a field (an element, for repeated fields).
static bool
check_value (const ProtobufCFieldDescriptor *field, const void *value, const char *path,
             int depth, char **error)
{
    if (field->type == PROTOBUF_C_TYPE_STRING) {
        const char *text = *(char *const *) value;
        if (text && !ow_check_utf8 (text, strlen (text))) {
            *error = ow_printf ("%s is not valid UTF-8", path);
            return false;
        }
    }
    else
    if (field->type == PROTOBUF_C_TYPE_ENUM) {
        int number = *(const int *) value;
        if (!protobuf_c_enum_descriptor_get_value (field->descriptor, number)) {
            *error = ow_printf ("%s has no value %d", path, number);
            return false;
        }
    }
    else
    if (field->type == PROTOBUF_C_TYPE_MESSAGE) {
        const ProtobufCMessage *inner = *(ProtobufCMessage *const *) value;
        if (inner && !check_fields (inner, path, depth + 1, error))
            return false;
    }
    return true;
}

static size_t
value_size (const ProtobufCFieldDescriptor *field)
{
    switch (field->type) {
        case PROTOBUF_C_TYPE_STRING:
        case PROTOBUF_C_TYPE_MESSAGE:  return sizeof (void *);
        case PROTOBUF_C_TYPE_ENUM:     return sizeof (int);
        default:                       return 0;
    }
}

static bool
check_fields (const ProtobufCMessage *message, const char *path, int depth, char **error)
{
    if (depth > MESSAGE_DEPTH_MAX) {
        *error = ow_printf ("%s nests too deeply", path);
        return false;
    }
    //  protobuf-c reads a tag of field 0 written as a long varint, though
    //  it cannot write one: such a message would not survive being passed on.
    for (unsigned i = 0; i < message->n_unknown_fields; i++)
        if (message->unknown_fields [i].tag == 0) {
            *error = ow_printf ("%s%sholds a field numbered 0", path, *path ? " " : "");
            return false;
        }
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    const char *base = (const char *) message;
    for (unsigned i = 0; i < descriptor->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields [i];
        if (!value_size (field))
            continue;
        if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
            && *(const uint32_t *) (base + field->quantifier_offset) != field->id)
            continue;
        char *inner = ow_printf ("%s%s%s", path, *path ? "." : "", field->name);
        bool ok = true;
        if (field->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t count = *(const size_t *) (base + field->quantifier_offset);
            const char *array = *(char *const *) (base + field->offset);
            for (size_t k = 0; ok && k < count; k++)
                ok = check_value (field, array + k * value_size (field), inner, depth, error);
        }
        else
            ok = check_value (field, base + field->offset, inner, depth, error);
        free (inner);
        if (!ok)
            return false;
    }
    return true;
}

bool
ow_check_message (const ProtobufCMessage *message, char **error)
{
    return check_fields (message, "", 0, error);
}
