/*  it_keys — integration helpers for who is talking: making keys with the
    real CLI, and clients and subscribers presenting a chosen certificate.
*/
#ifndef IT_KEYS_H
#define IT_KEYS_H

#include <czmq.h>
#include "ow_client.h"
#include "ow_pb.h"

//  The path of key NAME's certificate in OFWATCH_KEYS; caller frees.
char *it_key_path (const char *name);

//  Runs `ofwatch keys ARGUMENTS`; its exit code (the output is printed
//  when it is not 0).
int it_keys (const char *arguments);

//  A client of `service` ("ingest", "notify", "store", "analytics",
//  "watch") presenting the certificate at cert_path (NULL: none at all,
//  the socket not secured).
ow_client_t *it_client_as (const char *service, const char *cert_path);

//  A SUB socket on notify's PUB presenting cert_path (NULL: none),
//  subscribed to prefix and given time to join.
zsock_t *it_subscribe_as (const char *cert_path, const char *prefix);

//  Submits the bytes of a file (a sample's relative path, or an absolute
//  path) through client, declaring an authority when not NULL. Returns
//  the reply, or NULL when none came (the reason printed).
Ofwatch__V1__Reply *it_submit_with (ow_client_t *client, const char *file,
                                    const char *declared_authority);

//  Submits bytes as a document called file_name.
Ofwatch__V1__Reply *it_submit_bytes (ow_client_t *client, const void *bytes, size_t size,
                                     const char *file_name);

//  Sends the same without waiting (ow_client_send); false after saying why.
bool it_send_bytes (ow_client_t *client, const void *bytes, size_t size, const char *file_name);

//  Submits generated document n (it_documents: new bytes, so a new
//  document and new events, for a given nonce) as the key called `key`;
//  whether it was stored (the reason printed when not).
bool it_submit_new (const char *key, unsigned n, const char *nonce);

//  Whether a submission's reply says it was stored; frees the reply.
bool it_stored (Ofwatch__V1__Reply **reply_p);

//  The Error's code of a reply, or -1 when it is not an error.
int it_error_code (const Ofwatch__V1__Reply *reply);

//  A fingerprint of what PostgreSQL holds (row counts of every table
//  facts, events and audit records live in); caller frees. NULL (the
//  reason printed) when PostgreSQL cannot be read.
char *it_database_fingerprint (void);

#endif
