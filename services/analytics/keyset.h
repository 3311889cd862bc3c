/*  keyset — a set of dedupe keys, each held as a 64-bit hash.

    analytics derives an authority's whole history again whenever the
    authority changes: every event it ever derived comes out again, and
    store would drop each one by its key. Building, sending and checking
    those cost more than deriving them, and grow with the history. The
    keys committed to the log are remembered here, 8 bytes each (the
    national record's keys take about half a megabyte), and an event whose
    key is known is not sent again. Two keys sharing a hash would drop the
    second one's event: at a million keys the odds for a new key are
    about 1 in 10^13.
*/
#ifndef ANALYTICS_KEYSET_H
#define ANALYTICS_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _keyset_t keyset_t;

keyset_t *keyset_new (void);
void keyset_destroy (keyset_t **self_p);

//  Adds a key; true when it was not there yet.
bool keyset_add (keyset_t *self, const char *key);
bool keyset_contains (const keyset_t *self, const char *key);
size_t keyset_size (const keyset_t *self);
void keyset_clear (keyset_t *self);

#endif
