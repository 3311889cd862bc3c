/*  ow_check — what protobuf-c does not check in a decoded message.

    protobuf-c accepts any bytes in a string field and any number in an
    enum field (proto3 enums are open). ofwatch's messages go on into
    PostgreSQL, JSON and logs, so every message from outside is checked
    here once after decoding: strings must be valid UTF-8 and no longer
    than their field's limit (ow_check.c's table: file names, authority
    names, URLs and key names are short, every other string at most
    64 KiB, a document's text as long as its message), repeated fields
    hold no more values than theirs, enums must hold a value the schema
    names, and no field may be numbered 0. Needs nothing but protobuf-c,
    so the fuzz targets and the services share it.
*/
#ifndef OW_CHECK_H
#define OW_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include "ow_pb.h"

//  True when every string field is valid UTF-8 and within its limit and
//  every enum holds a known value, all the way down; else false with
//  *error naming the field, e.g. "submit.file_name is not valid UTF-8" or
//  "submit.file_name is 4194304 bytes, over its limit of 1024" (caller
//  frees). The value itself is never quoted.
bool ow_check_message (const ProtobufCMessage *message, char **error);

//  Whether bytes [0, size) are valid UTF-8 (no overlong forms, no
//  surrogates, nothing above U+10FFFF).
bool ow_check_utf8 (const char *bytes, size_t size);

#endif
