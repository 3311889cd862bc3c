/*  ow_check — what protobuf-c does not check in a decoded message; see
    ow_check.h.

    The walk follows the descriptors protoc-c generates: for each field,
    its label says whether it holds one value or a count and an array, a
    oneof member counts only when its case is set, and strings, enums and
    sub-messages are the types with something to check.
*/

#include "ow_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

//  Deeper than any message of the schema; a bound for the recursion.
#define MESSAGE_DEPTH_MAX 32

//  Every string is at most this long unless the table below says
//  otherwise: far more than any name, date, code or sentence of the
//  schema needs, so nothing a client sends can make one value huge.
#define STRING_MAX        (64 * 1024)
#define UNBOUNDED         SIZE_MAX

//  The fields with limits of their own: names a user types or a file
//  carries (file names, authority names, URLs, key names), which go into
//  logs, audit rows and error sentences, are short; the decoded text of a
//  document is bounded only by the message it travels in. A count bounds
//  how many values a repeated field may hold (0: no bound of its own).
static const struct {
    const char *field;              // message full name . field name
    size_t bytes;
    size_t count;
} s_limits [] = {
    { "ofwatch.v1.SubmitRequest.file_name",          1024, 0 },
    { "ofwatch.v1.SubmitRequest.declared_authority", 256, 0 },
    { "ofwatch.v1.SubmitRequest.declared_published", 32, 0 },
    { "ofwatch.v1.SubmitRequest.source_url",         2048, 0 },
    { "ofwatch.v1.StoreDocument.text",               UNBOUNDED, 0 },
    { "ofwatch.v1.StoreDocument.submitter",          64, 0 },
    { "ofwatch.v1.StoreDocument.source_url",         2048, 0 },
    { "ofwatch.v1.ExtractResult.text",               UNBOUNDED, 0 },
    { "ofwatch.v1.Extraction.file",                  1024, 0 },
    { "ofwatch.v1.DeriveRequest.consumer",           64, 0 },
    { "ofwatch.v1.CursorQuery.consumer",             64, 0 },
    { "ofwatch.v1.EventFilter.authorities",          256, 1000 },
    { "ofwatch.v1.EventFilter.types",                0, 1000 },
    { "ofwatch.v1.EventFilter.themes",               0, 1000 },
    { "ofwatch.v1.HistoryQuery.authority",           256, 0 },
    { "ofwatch.v1.BenchmarkQuery.authority",         256, 0 },
    { "ofwatch.v1.ThemesQuery.authority",            256, 0 },
    { "ofwatch.v1.ThemesQuery.since",                32, 0 },
    { "ofwatch.v1.ReportQuery.authority",            256, 0 },
    { "ofwatch.v1.AuditRecord.key",                  64, 0 },
    { "ofwatch.v1.AuditRecord.action",               64, 0 },
    { "ofwatch.v1.AuditRecord.authority",            256, 0 },
    { "ofwatch.v1.AuditRecord.declared_authority",   256, 0 },
    { "ofwatch.v1.AuditRecord.file_name",            1024, 0 },
    { "ofwatch.v1.AuditRecord.sha256",               64, 0 },
    { "ofwatch.v1.AuditRecord.reason",               4096, 0 },
    { "ofwatch.v1.AuditQuery.key",                   64, 0 },
    { "ofwatch.v1.AuditQuery.authority",             256, 0 },
    { "ofwatch.v1.SourcesQuery.authority",           256, 0 },
    { "ofwatch.v1.WebhookAdd.url",                   2048, 0 },
    { "ofwatch.v1.WebhookAdd.secret",                1024, 0 },
    { "ofwatch.v1.WebhookAdd.authorities",           256, 1000 },
    { "ofwatch.v1.WebhookAdd.types",                 0, 1000 },
    { "ofwatch.v1.WebhookAdd.themes",                0, 1000 },
};

//  The limits of one field: its own, or the default.
static void
limits_of (const ProtobufCMessageDescriptor *message, const ProtobufCFieldDescriptor *field,
           size_t *bytes, size_t *count)
{
    *bytes = STRING_MAX;
    *count = 0;
    size_t prefix = strlen (message->name);
    for (size_t i = 0; i < sizeof s_limits / sizeof s_limits [0]; i++) {
        const char *name = s_limits [i].field;
        if (strncmp (name, message->name, prefix) == 0 && name [prefix] == '.'
            && strcmp (name + prefix + 1, field->name) == 0) {
            if (s_limits [i].bytes)
                *bytes = s_limits [i].bytes;
            *count = s_limits [i].count;
            return;
        }
    }
}

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
             size_t max_bytes, int depth, char **error)
{
    if (field->type == PROTOBUF_C_TYPE_STRING) {
        const char *text = *(char *const *) value;
        size_t length = text ? strlen (text) : 0;
        if (length > max_bytes) {
            *error = ow_printf ("%s is %zu bytes, over its limit of %zu", path, length, max_bytes);
            return false;
        }
        if (text && !ow_check_utf8 (text, length)) {
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
        size_t max_bytes, max_count;
        limits_of (descriptor, field, &max_bytes, &max_count);
        bool ok = true;
        if (field->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t count = *(const size_t *) (base + field->quantifier_offset);
            const char *array = *(char *const *) (base + field->offset);
            if (max_count && count > max_count) {
                *error = ow_printf ("%s holds %zu values, over its limit of %zu", inner, count,
                                    max_count);
                ok = false;
            }
            for (size_t k = 0; ok && k < count; k++)
                ok = check_value (field, array + k * value_size (field), inner, max_bytes,
                                  depth, error);
        }
        else
            ok = check_value (field, base + field->offset, inner, max_bytes, depth, error);
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
