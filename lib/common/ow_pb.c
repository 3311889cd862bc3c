/*  ow_pb — building protobuf-c messages by hand; see ow_pb.h.  */

#include "ow_pb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
out_of_memory (void)
{
    fputs ("{\"level\":\"fatal\",\"msg\":\"out of memory\"}\n", stderr);
    abort ();
}

void *
ow_malloc (size_t size)
{
    void *p = malloc (size ? size : 1);
    if (!p)
        out_of_memory ();
    return p;
}

void *
ow_calloc (size_t count, size_t size)
{
    void *p = calloc (count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory ();
    return p;
}

char *
ow_strdup (const char *string)
{
    char *p = strdup (string ? string : "");
    if (!p)
        out_of_memory ();
    return p;
}

char *
ow_strndup (const char *string, size_t length)
{
    char *p = strndup (string, length);
    if (!p)
        out_of_memory ();
    return p;
}

char *
ow_printf (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *p = NULL;
    int rc = vasprintf (&p, format, args);
    va_end (args);
    if (rc < 0)
        out_of_memory ();
    return p;
}

void
ow_pb_set_string (char **field, const char *value)
{
    //  The empty default is static storage and must never be freed.
    if (*field && *field != protobuf_c_empty_string)
        free (*field);
    *field = (value && *value) ? ow_strdup (value) : (char *) protobuf_c_empty_string;
}

void
ow_pb_append (void ***array, size_t *count, void *item)
{
    void **grown = realloc (*array, (*count + 1) * sizeof (void *));
    if (!grown)
        out_of_memory ();
    grown [(*count)++] = item;
    *array = grown;
}

void
ow_pb_append_string (char ***array, size_t *count, const char *value)
{
    ow_pb_append ((void ***) array, count, ow_strdup (value));
}

void
ow_pb_append_int64 (int64_t **array, size_t *count, int64_t value)
{
    int64_t *grown = realloc (*array, (*count + 1) * sizeof (int64_t));
    if (!grown)
        out_of_memory ();
    grown [(*count)++] = value;
    *array = grown;
}

void
ow_pb_append_uint64 (uint64_t **array, size_t *count, uint64_t value)
{
    uint64_t *grown = realloc (*array, (*count + 1) * sizeof (uint64_t));
    if (!grown)
        out_of_memory ();
    grown [(*count)++] = value;
    *array = grown;
}

void
ow_pb_free (void *message_pointer_address)
{
    ProtobufCMessage **message_p = message_pointer_address;
    if (*message_p) {
        protobuf_c_message_free_unpacked (*message_p, NULL);
        *message_p = NULL;
    }
}

void *
ow_pb_copy (const ProtobufCMessage *message)
{
    size_t size = protobuf_c_message_get_packed_size (message);
    uint8_t *buffer = ow_malloc (size);
    protobuf_c_message_pack (message, buffer);
    ProtobufCMessage *copy = protobuf_c_message_unpack (message->descriptor, NULL, size, buffer);
    free (buffer);
    if (!copy)
        out_of_memory ();
    return copy;
}
