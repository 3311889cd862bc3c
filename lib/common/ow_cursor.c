/*  ow_cursor — a consumer's place in the event log; see ow_cursor.h.  */

#include "ow_cursor.h"
#include "ow_log.h"

bool
ow_cursor_commit (ow_client_t *store, Ofwatch__V1__DeriveRequest *derive, int timeout_ms)
{
    Ofwatch__V1__Request request = OFWATCH__V1__REQUEST__INIT;
    request.body_case = OFWATCH__V1__REQUEST__BODY_DERIVE;
    request.derive = derive;
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (store, &request, timeout_ms, &error);
    bool ok = reply && reply->body_case == OFWATCH__V1__REPLY__BODY_DERIVE;
    if (!ok)
        ow_warn ("could not commit the cursor", "consumer", derive->consumer,
                 "reason", error ? error : ow_client_error_message (reply));
    free (error);
    ow_pb_free (&reply);
    return ok;
}
