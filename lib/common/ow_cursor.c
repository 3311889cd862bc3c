/*  ow_cursor — a consumer's place in the event log; see ow_cursor.h.  */

#include "ow_cursor.h"
#include "ow_log.h"

bool
ow_cursor_load (ow_client_t *store, const char *consumer, uint64_t *cursor)
{
    while (!zsys_interrupted) {
        Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
        Ofwatch__V1__CursorQuery query = OFWATCH__V1__CURSOR_QUERY__INIT;
        query.consumer = (char *) consumer;
        request.body_case = OFWATCH__V1__REQUEST__BODY_CURSOR;
        request.cursor = &query;
        char *error = NULL;
        Ofwatch__V1__Reply *reply = ow_client_call (store, &request, 3000, &error);
        bool ok = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_CURSOR;
        if (ok)
            *cursor = reply->cursor->cursor;
        else
            ow_warn ("waiting for store", "reason",
                     error ? error : ow_client_error_message (reply));
        free (error);
        ow_pb_free (&reply);
        if (ok)
            return true;
        zclock_sleep (1000);
    }
    return false;
}

bool
ow_cursor_commit (ow_client_t *store, Ofwatch__V1__DeriveRequest *derive)
{
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_DERIVE;
    request.derive = derive;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (store, &request, 10000, &error);
    bool ok = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_DERIVE;
    if (!ok)
        ow_warn ("could not commit the cursor; will retry", "consumer", derive->consumer,
                 "reason", error ? error : ow_client_error_message (reply));
    free (error);
    ow_pb_free (&reply);
    return ok;
}
