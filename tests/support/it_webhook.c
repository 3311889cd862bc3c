/*  it_webhook — a recording webhook receiver; see it_webhook.h.

    The server runs on libmicrohttpd's own thread; a mutex guards what it
    records and the status it answers with, which the test's thread reads
    and sets.
*/

#include "it_webhook.h"
#include "ow_hash.h"
#include "ow_pb.h"

#include <arpa/inet.h>
#include <czmq.h>
#include <microhttpd.h>
#include <pthread.h>

struct _it_webhook_t {
    struct MHD_Daemon *daemon;
    uint16_t port;
    char url [64];
    pthread_mutex_t lock;
    int status;
    it_delivery_t *deliveries;
    size_t count;
    size_t accepted;
};

//  One request's body as it arrives.
typedef struct {
    char *data;
    size_t size;
} upload_t;

//  The string value after `"key":"` in a JSON text, or "".
static char *
json_string_after (const char *body, const char *key)
{
    char *pattern = ow_printf ("\"%s\":\"", key);
    const char *start = strstr (body, pattern);
    char *value = NULL;
    if (start) {
        start += strlen (pattern);
        const char *end = strchr (start, '"');
        value = end ? ow_strndup (start, (size_t) (end - start)) : NULL;
    }
    free (pattern);
    return value ? value : ow_strdup ("");
}

static void
record (it_webhook_t *self, struct MHD_Connection *connection, const char *path,
        const upload_t *upload, int status)
{
    it_delivery_t delivery = { 0 };
    delivery.path = ow_strdup (path);
    delivery.body = ow_strndup (upload->data ? upload->data : "", upload->size);
    delivery.id = json_string_after (delivery.body, "id");
    const char *seq = strstr (delivery.body, "\"data\":{\"seq\":");
    delivery.seq = seq ? strtoull (seq + strlen ("\"data\":{\"seq\":"), NULL, 10) : 0;
    const char *signature = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                         "X-Ofwatch-Signature");
    const char *type = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                    "Content-Type");
    delivery.signature = ow_strdup (signature ? signature : "");
    delivery.content_type = ow_strdup (type ? type : "");
    delivery.status = status;
    delivery.received_ms = zclock_mono ();
    it_delivery_t *grown = realloc (self->deliveries, (self->count + 1) * sizeof *grown);
    assert (grown);
    self->deliveries = grown;
    self->deliveries [self->count++] = delivery;
    if (status >= 200 && status < 300)
        self->accepted++;
}

static enum MHD_Result
answer (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
        const char *version, const char *data, size_t *size, void **state)
{
    it_webhook_t *self = cls;
    if (!*state) {
        *state = ow_calloc (1, sizeof (upload_t));
        return MHD_YES;
    }
    upload_t *upload = *state;
    if (*size) {
        char *grown = realloc (upload->data, upload->size + *size);
        assert (grown);
        memcpy (grown + upload->size, data, *size);
        upload->data = grown;
        upload->size += *size;
        *size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock (&self->lock);
    int status = self->status;
    if (strcmp (method, "POST") == 0)
        record (self, connection, url, upload, status);
    pthread_mutex_unlock (&self->lock);
    struct MHD_Response *response = MHD_create_response_from_buffer (0, (void *) "",
                                                                     MHD_RESPMEM_PERSISTENT);
    enum MHD_Result result = MHD_queue_response (connection, (unsigned) status, response);
    MHD_destroy_response (response);
    return result;
}

static void
completed (void *cls, struct MHD_Connection *connection, void **state,
           enum MHD_RequestTerminationCode code)
{
    upload_t *upload = *state;
    if (upload) {
        free (upload->data);
        free (upload);
        *state = NULL;
    }
}

bool
it_webhook_start (it_webhook_t *self)
{
    struct sockaddr_in address = { 0 };
    address.sin_family = AF_INET;
    address.sin_port = htons (self->port);
    address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    self->daemon = MHD_start_daemon (MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL
                                     | MHD_USE_ERROR_LOG,
                                     self->port, NULL, NULL, answer, self,
                                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &address,
                                     MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
                                     MHD_OPTION_NOTIFY_COMPLETED, completed, self,
                                     MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!self->daemon)
        return false;
    if (self->port == 0) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info (self->daemon,
                                                                MHD_DAEMON_INFO_BIND_PORT);
        self->port = info ? info->port : 0;
        snprintf (self->url, sizeof self->url, "http://127.0.0.1:%u/hook", self->port);
    }
    return self->port != 0;
}

void
it_webhook_stop (it_webhook_t *self)
{
    if (self->daemon) {
        MHD_stop_daemon (self->daemon);
        self->daemon = NULL;
    }
}

it_webhook_t *
it_webhook_new (void)
{
    it_webhook_t *self = ow_calloc (1, sizeof *self);
    pthread_mutex_init (&self->lock, NULL);
    self->status = 200;
    if (!it_webhook_start (self))
        it_webhook_destroy (&self);
    return self;
}

void
it_deliveries_free (it_delivery_t **deliveries_p, size_t count)
{
    it_delivery_t *deliveries = *deliveries_p;
    for (size_t i = 0; deliveries && i < count; i++) {
        free (deliveries [i].path);
        free (deliveries [i].id);
        free (deliveries [i].body);
        free (deliveries [i].signature);
        free (deliveries [i].content_type);
    }
    free (deliveries);
    *deliveries_p = NULL;
}

void
it_webhook_destroy (it_webhook_t **self_p)
{
    it_webhook_t *self = *self_p;
    if (self) {
        it_webhook_stop (self);
        it_deliveries_free (&self->deliveries, self->count);
        pthread_mutex_destroy (&self->lock);
        free (self);
        *self_p = NULL;
    }
}

const char *
it_webhook_url (it_webhook_t *self)
{
    return self->url;
}

void
it_webhook_set_status (it_webhook_t *self, int status)
{
    pthread_mutex_lock (&self->lock);
    self->status = status;
    pthread_mutex_unlock (&self->lock);
}

size_t
it_webhook_accepted (it_webhook_t *self)
{
    pthread_mutex_lock (&self->lock);
    size_t accepted = self->accepted;
    pthread_mutex_unlock (&self->lock);
    return accepted;
}

it_delivery_t *
it_webhook_deliveries (it_webhook_t *self, size_t *count)
{
    pthread_mutex_lock (&self->lock);
    *count = self->count;
    it_delivery_t *copy = ow_calloc (self->count + 1, sizeof *copy);
    for (size_t i = 0; i < self->count; i++) {
        copy [i] = self->deliveries [i];
        copy [i].path = ow_strdup (self->deliveries [i].path);
        copy [i].id = ow_strdup (self->deliveries [i].id);
        copy [i].body = ow_strdup (self->deliveries [i].body);
        copy [i].signature = ow_strdup (self->deliveries [i].signature);
        copy [i].content_type = ow_strdup (self->deliveries [i].content_type);
    }
    pthread_mutex_unlock (&self->lock);
    return copy;
}

bool
it_webhook_signature_ok (const it_delivery_t *delivery, const char *secret)
{
    char hex [OW_HASH_HEX_SIZE];
    ow_hash_hmac_sha256_hex (secret, strlen (secret), delivery->body, strlen (delivery->body),
                             hex);
    return strncmp (delivery->signature, "sha256=", 7) == 0
        && strcmp (delivery->signature + 7, hex) == 0;
}
