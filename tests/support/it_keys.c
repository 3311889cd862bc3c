/*  it_keys — keys, certificates and who is talking; see it_keys.h.  */

#include "it_keys.h"
#include "it_documents.h"
#include "it_support.h"
#include "ow_config.h"
#include "ow_security.h"
#include "ow_wire.h"

#include <libpq-fe.h>

char *
it_key_path (const char *name)
{
    ow_config_t config;
    ow_config_load (&config);
    return ow_printf ("%s/%s.cert", config.keys, name);
}

int
it_keys (const char *arguments)
{
    char *command = ow_printf ("keys %s 2>&1", arguments);
    int rc = -1;
    char *output = it_cli (command, &rc);
    if (rc != 0)
        fprintf (stderr, "ofwatch %s exited %d:\n%s\n", command, rc, output);
    free (output);
    free (command);
    return rc;
}

//  Sockets read OFWATCH_CERT when they are made: it is set for a moment
//  and then put back as it was.
static char *
use_cert (const char *cert_path)
{
    const char *value = getenv ("OFWATCH_CERT");
    char *saved = value ? ow_strdup (value) : NULL;
    if (cert_path)
        setenv ("OFWATCH_CERT", cert_path, 1);
    return saved;
}

static void
restore_cert (char *saved)
{
    if (saved)
        setenv ("OFWATCH_CERT", saved, 1);
    free (saved);
}

ow_client_t *
it_client_as (const char *service, const char *cert_path)
{
    ow_config_t config;
    ow_config_load (&config);
    const char *endpoint = streq (service, "ingest") ? config.ingest
                         : streq (service, "notify") ? config.notify_replay
                         : streq (service, "analytics") ? config.analytics
                         : streq (service, "watch") ? config.watch : config.store;
    char *connectable = ow_config_connectable (endpoint);
    char *saved = use_cert (cert_path);
    //  Without a certificate the client is made for a name ow_security
    //  does not secure, so it connects in the clear.
    ow_client_t *client = ow_client_new (connectable, cert_path ? service : "plain");
    restore_cert (saved);
    free (connectable);
    return client;
}

zsock_t *
it_subscribe_as (const char *cert_path, const char *prefix)
{
    ow_config_t config;
    ow_config_load (&config);
    char *endpoint = ow_config_connectable (config.notify_pub);
    zsock_t *subscriber = zsock_new (ZMQ_SUB);
    zsock_set_subscribe (subscriber, prefix);
    char *saved = use_cert (cert_path);
    if (cert_path)
        ow_security_client (subscriber, "notify", NULL);
    restore_cert (saved);
    zsock_connect (subscriber, "%s", endpoint);
    free (endpoint);
    zclock_sleep (500);
    return subscriber;
}

//  Points request at a SubmitRequest of the bytes.
static void
make_submit (Ofwatch__V1__Request *request, Ofwatch__V1__SubmitRequest *submit,
             const void *bytes, size_t size, const char *file_name, const char *declared)
{
    ofwatch__v1__submit_request__init (submit);
    submit->content.data = (uint8_t *) bytes;
    submit->content.len = size;
    submit->file_name = (char *) file_name;
    submit->declared_authority = (char *) (declared ? declared : "");
    ofwatch__v1__request__init (request);
    request->body_case = OFWATCH__V1__REQUEST__BODY_SUBMIT;
    request->submit = submit;
}

static Ofwatch__V1__Reply *
submit_bytes (ow_client_t *client, const void *bytes, size_t size, const char *file_name,
              const char *declared)
{
    Ofwatch__V1__Request request;
    Ofwatch__V1__SubmitRequest submit;
    make_submit (&request, &submit, bytes, size, file_name, declared);
    char *error = NULL;
    Ofwatch__V1__Reply *reply = ow_client_call (client, &request, 120000, &error);
    if (!reply)
        fprintf (stderr, "submitting %s: %s\n", file_name, error);
    free (error);
    return reply;
}

Ofwatch__V1__Reply *
it_submit_bytes (ow_client_t *client, const void *bytes, size_t size, const char *file_name)
{
    return submit_bytes (client, bytes, size, file_name, NULL);
}

bool
it_send_bytes (ow_client_t *client, const void *bytes, size_t size, const char *file_name)
{
    Ofwatch__V1__Request request;
    Ofwatch__V1__SubmitRequest submit;
    make_submit (&request, &submit, bytes, size, file_name, NULL);
    char *error = NULL;
    bool sent = ow_client_send (client, &request, &error);
    if (!sent)
        fprintf (stderr, "sending %s: %s\n", file_name, error);
    free (error);
    return sent;
}

Ofwatch__V1__Reply *
it_submit_with (ow_client_t *client, const char *file, const char *declared_authority)
{
    char *path = *file == '/' ? ow_strdup (file) : it_sample (file);
    zchunk_t *content = zchunk_slurp (path, 0);
    Ofwatch__V1__Reply *reply = NULL;
    if (content)
        reply = submit_bytes (client, zchunk_data (content), zchunk_size (content), path,
                              declared_authority);
    else
        fprintf (stderr, "cannot read %s\n", path);
    zchunk_destroy (&content);
    free (path);
    return reply;
}

bool
it_submit_new (const char *key, unsigned n, const char *nonce)
{
    char *file_name = NULL;
    char *text = it_document (n, 2, nonce, &file_name);
    char *cert = it_key_path (key);
    ow_client_t *client = it_client_as ("ingest", cert);
    Ofwatch__V1__Reply *reply = submit_bytes (client, text, strlen (text), file_name, NULL);
    bool stored = it_stored (&reply);
    ow_client_destroy (&client);
    free (cert);
    free (text);
    free (file_name);
    return stored;
}

bool
it_stored (Ofwatch__V1__Reply **reply_p)
{
    bool stored = *reply_p && (*reply_p)->body_case == OFWATCH__V1__REPLY__BODY_SUBMIT;
    if (*reply_p && !stored)
        fprintf (stderr, "not stored: %s\n", ow_client_error_message (*reply_p)
                                                ? ow_client_error_message (*reply_p) : "?");
    ow_pb_free (reply_p);
    return stored;
}

int
it_error_code (const Ofwatch__V1__Reply *reply)
{
    if (!reply || reply->body_case != OFWATCH__V1__REPLY__BODY_ERROR)
        return -1;
    return (int) reply->error->code;
}

char *
it_database_fingerprint (void)
{
    ow_config_t config;
    ow_config_load (&config);
    PGconn *connection = PQconnectdb (config.pg);
    PGresult *result = PQexec (connection,
        "SELECT (SELECT count(*) FROM document) || '/' || (SELECT count(*) FROM inspection)"
        " || '/' || (SELECT count(*) FROM judgement) || '/' || (SELECT count(*) FROM finding)"
        " || '/' || (SELECT count(*) FROM deadline) || '/' || (SELECT last_seq FROM event_counter)"
        " || '/' || (SELECT count(*) FROM event) || '/' || (SELECT count(*) FROM audit)");
    char *fingerprint = PQresultStatus (result) == PGRES_TUPLES_OK
                      ? ow_strdup (PQgetvalue (result, 0, 0)) : NULL;
    if (!fingerprint)
        fprintf (stderr, "cannot read the database: %s\n", PQerrorMessage (connection));
    PQclear (result);
    PQfinish (connection);
    return fingerprint;
}
