/*  channel — length-prefixed messages between ingest and its workers; see
    channel.h.
*/

#include "channel.h"
#include "ow_pb.h"

#include <czmq.h>
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#define HEADER_SIZE 8

static void
put_length (uint8_t header [HEADER_SIZE], uint64_t length)
{
    for (int i = 0; i < HEADER_SIZE; i++)
        header [i] = (uint8_t) (length >> (8 * i));
}

static uint64_t
get_length (const uint8_t header [HEADER_SIZE])
{
    uint64_t length = 0;
    for (int i = HEADER_SIZE - 1; i >= 0; i--)
        length = (length << 8) | header [i];
    return length;
}

//  Moves all of [bytes, bytes + size) out (writing) or in, retrying after
//  signals; false when the other end has gone or on an error. Writes use
//  send(2) with MSG_NOSIGNAL on sockets, so a worker that died turns into
//  an error here rather than a SIGPIPE.
static bool
transfer (int fd, uint8_t *bytes, size_t size, bool writing)
{
    while (size) {
        ssize_t n = writing ? send (fd, bytes, size, MSG_NOSIGNAL) : read (fd, bytes, size);
        if (n < 0 && writing && errno == ENOTSOCK)
            n = write (fd, bytes, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        bytes += n;
        size -= (size_t) n;
    }
    return true;
}

static bool
write_all (int fd, const uint8_t *bytes, size_t size)
{
    return transfer (fd, (uint8_t *) bytes, size, true);
}

static bool
read_all (int fd, uint8_t *bytes, size_t size)
{
    return transfer (fd, bytes, size, false);
}

static uint8_t *
pack (const ProtobufCMessage *message, size_t *size)
{
    *size = protobuf_c_message_get_packed_size (message);
    uint8_t *bytes = ow_malloc (*size ? *size : 1);
    protobuf_c_message_pack (message, bytes);
    return bytes;
}

bool
channel_write (int fd, const ProtobufCMessage *message)
{
    size_t size;
    uint8_t *bytes = pack (message, &size);
    bool ok = write_all (fd, bytes, size);
    free (bytes);
    return ok;
}

bool
channel_send_bytes (int fd, const uint8_t *bytes, size_t size)
{
    uint8_t header [HEADER_SIZE];
    put_length (header, size);
    return write_all (fd, header, HEADER_SIZE) && write_all (fd, bytes, size);
}

bool
channel_send (int fd, const ProtobufCMessage *message)
{
    size_t size;
    uint8_t *bytes = pack (message, &size);
    bool ok = channel_send_bytes (fd, bytes, size);
    free (bytes);
    return ok;
}

uint8_t *
channel_receive (int fd, size_t max, size_t *size)
{
    uint8_t header [HEADER_SIZE];
    if (!read_all (fd, header, HEADER_SIZE))
        return NULL;
    uint64_t length = get_length (header);
    if (length > max)
        return NULL;
    uint8_t *bytes = ow_malloc (length ? length : 1);
    if (!read_all (fd, bytes, length)) {
        free (bytes);
        return NULL;
    }
    *size = length;
    return bytes;
}

uint8_t *
channel_drain (int fd, size_t max, int64_t deadline_ms, size_t *size, bool *timed_out)
{
    size_t used = 0, capacity = 64 * 1024;
    uint8_t *bytes = ow_malloc (capacity);
    *timed_out = false;
    while (true) {
        int64_t left = deadline_ms - zclock_mono ();
        struct pollfd item = { .fd = fd, .events = POLLIN };
        int ready = left > 0 ? poll (&item, 1, (int) left) : 0;
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0) {
            *timed_out = true;
            break;
        }
        if (used == capacity) {
            if (capacity >= max)
                break;
            capacity = capacity * 2 > max ? max : capacity * 2;
            bytes = realloc (bytes, capacity);
            assert (bytes);
        }
        ssize_t n = read (fd, bytes + used, capacity - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *size = used;
            return bytes;           // end of stream: all of it
        }
        used += (size_t) n;
    }
    free (bytes);
    return NULL;
}

struct _channel_reader_t {
    size_t max;
    uint8_t header [HEADER_SIZE];
    size_t header_used;
    uint8_t *body;
    size_t body_size;
    size_t body_used;
};

channel_reader_t *
channel_reader_new (size_t max)
{
    channel_reader_t *self = ow_calloc (1, sizeof *self);
    self->max = max;
    return self;
}

void
channel_reader_destroy (channel_reader_t **self_p)
{
    channel_reader_t *self = *self_p;
    if (self) {
        free (self->body);
        free (self);
        *self_p = NULL;
    }
}

//  One non-blocking read (the descriptor is a socket) into [buffer, buffer + size): bytes read, 0 when
//  nothing is there yet, -1 at end of stream or on an error.
static ssize_t
read_some (int fd, uint8_t *buffer, size_t size)
{
    ssize_t n = recv (fd, buffer, size, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    return n > 0 ? n : -1;
}

int
channel_reader_fill (channel_reader_t *self, int fd)
{
    while (self->header_used < HEADER_SIZE) {
        ssize_t n = read_some (fd, self->header + self->header_used,
                               HEADER_SIZE - self->header_used);
        if (n <= 0)
            return (int) n;
        self->header_used += (size_t) n;
        if (self->header_used == HEADER_SIZE) {
            uint64_t length = get_length (self->header);
            if (length > self->max)
                return -1;
            self->body_size = length;
            self->body_used = 0;
            self->body = ow_malloc (length ? length : 1);
        }
    }
    while (self->body_used < self->body_size) {
        ssize_t n = read_some (fd, self->body + self->body_used,
                               self->body_size - self->body_used);
        if (n <= 0)
            return (int) n;
        self->body_used += (size_t) n;
    }
    return 1;
}

uint8_t *
channel_reader_take (channel_reader_t *self, size_t *size)
{
    uint8_t *body = self->body;
    *size = self->body_size;
    self->body = NULL;
    self->body_size = self->body_used = self->header_used = 0;
    return body;
}
