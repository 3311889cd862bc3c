/*  channel — length-prefixed messages between ingest and its workers.

    A message is an 8-byte little-endian length and that many bytes, on a
    stream socket pair or a pipe. Ingest reads its workers without
    blocking (a worker may die half-way through an answer); a worker reads
    and writes blocking, since it has nothing else to do.
*/
#ifndef INGEST_CHANNEL_H
#define INGEST_CHANNEL_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Writes one message (or raw bytes); false when the other end has gone.
bool channel_send (int fd, const ProtobufCMessage *message);
bool channel_send_bytes (int fd, const uint8_t *bytes, size_t size);

//  Writes a message's bytes alone, without the length (to a pipe read to
//  its end with channel_drain).
bool channel_write (int fd, const ProtobufCMessage *message);

//  Reads one message, blocking; NULL at end of stream, on an error, or
//  when it would be longer than max. Caller frees.
uint8_t *channel_receive (int fd, size_t max, size_t *size);

//  Reads everything until end of stream or `deadline_ms` (monotonic),
//  up to max bytes; NULL and *timed_out when the deadline passed first.
uint8_t *channel_drain (int fd, size_t max, int64_t deadline_ms, size_t *size,
                        bool *timed_out);

//  A message arriving in pieces on a socket read without blocking.
typedef struct _channel_reader_t channel_reader_t;

channel_reader_t *channel_reader_new (size_t max);
void channel_reader_destroy (channel_reader_t **self_p);

//  Reads what is there: 1 when a whole message is ready (take it), 0 when
//  more must come, -1 at end of stream, on an error or an over-long length.
int channel_reader_fill (channel_reader_t *self, int fd);

//  The message read (caller frees) and its size; the reader starts over.
uint8_t *channel_reader_take (channel_reader_t *self, size_t *size);

#endif
