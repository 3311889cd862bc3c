/*  ow_cursor — a consumer's place in the event log, kept by store.

    analytics and notify each resume from the last seq they committed. The
    cursor lives in store's database and moves in the same transaction as
    whatever the consumer derived up to it (a DeriveRequest), so the two
    can never disagree after a crash. A running service commits without
    waiting (ow_calls) and reads its cursor through ow_follower; this is
    the waiting commit, for when the reactor has stopped.
*/
#ifndef OW_CURSOR_H
#define OW_CURSOR_H

#include <stdbool.h>
#include <stdint.h>
#include "ow_client.h"

//  Commits request (derived events, if any, and request->cursor) through
//  store, waiting up to timeout_ms. False, logged, when store did not
//  commit it.
bool ow_cursor_commit (ow_client_t *store, Ofwatch__V1__DeriveRequest *request, int timeout_ms);

#endif
