/*  it_webhook — a webhook receiver for integration tests: a real HTTP
    server (libmicrohttpd) on a free loopback port that records every
    POST notify makes and answers with the status the test chooses, or
    stops listening altogether.

    Each delivery is kept with its body, signature header, content type,
    the status it was answered with, and the CloudEvent id and data.seq
    read from the body, so a test can check order, completeness,
    repeats and signatures.
*/
#ifndef IT_WEBHOOK_H
#define IT_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *path;                 // the URL's path it was POSTed to
    char *id;                   // the CloudEvent id ("" when unreadable)
    uint64_t seq;               // data.seq (0 when unreadable)
    char *body;
    char *signature;            // X-Ofwatch-Signature, "" when absent
    char *content_type;
    int status;                 // what the receiver answered
    int64_t received_ms;        // zclock_mono () on arrival
} it_delivery_t;

typedef struct _it_webhook_t it_webhook_t;

//  Listens on 127.0.0.1 at a free port and answers 200. NULL when the
//  server cannot start.
it_webhook_t *it_webhook_new (void);
void it_webhook_destroy (it_webhook_t **self_p);

//  http://127.0.0.1:PORT/hook
const char *it_webhook_url (it_webhook_t *self);

//  The status answered from now on (200, 500, ...).
void it_webhook_set_status (it_webhook_t *self, int status);

//  Stops listening (connections are refused) and starts again on the
//  same port.
void it_webhook_stop (it_webhook_t *self);
bool it_webhook_start (it_webhook_t *self);

//  How many deliveries were answered with a 2xx.
size_t it_webhook_accepted (it_webhook_t *self);

//  A copy of every delivery so far, in arrival order; free with
//  it_deliveries_free.
it_delivery_t *it_webhook_deliveries (it_webhook_t *self, size_t *count);
void it_deliveries_free (it_delivery_t **deliveries_p, size_t count);

//  True when signature is "sha256=" + HMAC-SHA256 of body under secret.
bool it_webhook_signature_ok (const it_delivery_t *delivery, const char *secret);

#endif
