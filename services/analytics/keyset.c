/*  keyset — dedupe keys as 64-bit hashes; see keyset.h.

    Open addressing with linear probing over a power-of-two table kept at
    most half full; hash 0 marks an empty slot, so a key hashing to 0 is
    stored as 1.
*/

#include "keyset.h"
#include "ow_pb.h"

#include <stdlib.h>
#include <string.h>

#define KEYSET_INITIAL 1024

struct _keyset_t {
    uint64_t *slots;
    size_t capacity;            // a power of two
    size_t size;
};

//  FNV-1a, then a final mix so that keys differing only at their end
//  spread over the whole table.
static uint64_t
hash_of (const char *key)
{
    uint64_t hash = 0xcbf29ce484222325ULL;
    for (const unsigned char *c = (const unsigned char *) key; *c; c++) {
        hash ^= *c;
        hash *= 0x100000001b3ULL;
    }
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdULL;
    hash ^= hash >> 33;
    return hash ? hash : 1;
}

keyset_t *
keyset_new (void)
{
    keyset_t *self = ow_calloc (1, sizeof *self);
    self->capacity = KEYSET_INITIAL;
    self->slots = ow_calloc (self->capacity, sizeof (uint64_t));
    return self;
}

void
keyset_destroy (keyset_t **self_p)
{
    keyset_t *self = *self_p;
    if (!self)
        return;
    free (self->slots);
    free (self);
    *self_p = NULL;
}

//  The slot holding hash, or the empty slot where it would go.
static size_t
slot_of (const keyset_t *self, uint64_t hash)
{
    size_t mask = self->capacity - 1;
    size_t slot = (size_t) hash & mask;
    while (self->slots [slot] && self->slots [slot] != hash)
        slot = (slot + 1) & mask;
    return slot;
}

static void
grow (keyset_t *self)
{
    uint64_t *old = self->slots;
    size_t old_capacity = self->capacity;
    self->capacity *= 2;
    self->slots = ow_calloc (self->capacity, sizeof (uint64_t));
    for (size_t i = 0; i < old_capacity; i++)
        if (old [i])
            self->slots [slot_of (self, old [i])] = old [i];
    free (old);
}

bool
keyset_add (keyset_t *self, const char *key)
{
    if (2 * (self->size + 1) > self->capacity)
        grow (self);
    uint64_t hash = hash_of (key);
    size_t slot = slot_of (self, hash);
    if (self->slots [slot])
        return false;
    self->slots [slot] = hash;
    self->size++;
    return true;
}

bool
keyset_contains (const keyset_t *self, const char *key)
{
    return self->slots [slot_of (self, hash_of (key))] != 0;
}

size_t
keyset_size (const keyset_t *self)
{
    return self->size;
}

void
keyset_clear (keyset_t *self)
{
    memset (self->slots, 0, self->capacity * sizeof (uint64_t));
    self->size = 0;
}
