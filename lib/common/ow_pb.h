/*  ow_pb — building protobuf-c messages by hand.

    Messages built here own every pointer they hold (each string, array and
    sub-message is its own malloc), so the one way to free them is the same
    as for decoded ones: protobuf_c_message_free_unpacked (msg, NULL), or
    ow_pb_free. Allocation failure aborts: a service that cannot allocate a
    few bytes cannot do anything useful, and every caller stays simple.
*/
#ifndef OW_PB_H
#define OW_PB_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

#include "ofwatch/v1/vocab.pb-c.h"
#include "ofwatch/v1/facts.pb-c.h"
#include "ofwatch/v1/events.pb-c.h"
#include "ofwatch/v1/service.pb-c.h"

//  malloc/calloc/strdup that abort on failure.
void *ow_malloc (size_t size);
void *ow_calloc (size_t count, size_t size);
char *ow_strdup (const char *string);
char *ow_strndup (const char *string, size_t length);
char *ow_printf (const char *format, ...) __attribute__ ((format (printf, 1, 2)));

//  Replaces the string a message field points at with a copy of value
//  (NULL or "" leave it as the empty default), freeing the old one.
void ow_pb_set_string (char **field, const char *value);

//  Appends to a repeated field: `array` is the field's pointer array,
//  `count` its n_ member. The item is taken over by the message.
void ow_pb_append (void ***array, size_t *count, void *item);
void ow_pb_append_string (char ***array, size_t *count, const char *value);

//  Appends to a repeated integer field.
void ow_pb_append_int64 (int64_t **array, size_t *count, int64_t value);
void ow_pb_append_uint64 (uint64_t **array, size_t *count, uint64_t value);

//  Frees any message (hand-built or decoded) and nulls the pointer.
void ow_pb_free (void *message_pointer_address);

//  Allocates and initialises a new message of the given type.
#define OW_PB_NEW(type, init_fn) ({ type *m_ = ow_malloc (sizeof (type)); init_fn (m_); m_; })

//  Deep copy by packing and unpacking; for the rare message that must be
//  owned twice.
void *ow_pb_copy (const ProtobufCMessage *message);

#endif
