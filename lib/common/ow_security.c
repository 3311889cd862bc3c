/*  ow_security — CURVE, the ZAP handler and the limits; see ow_security.h.  */

#include "ow_security.h"
#include "ow_config.h"
#include "ow_keys.h"
#include "ow_log.h"
#include "ow_rights.h"
#include "ow_throttle.h"
#include "ow_wire.h"

#include <pthread.h>
#include <unistd.h>

#define ZAP_ENDPOINT          "inproc://zeromq.zap.01"
//  A peer must finish the CURVE handshake this soon, and a silent peer is
//  dropped after the heartbeat timeout, so half-open connections cannot
//  pile up.
#define HANDSHAKE_MS          10000
#define HEARTBEAT_MS          10000
#define HEARTBEAT_TIMEOUT_MS  30000
//  A PUB socket only ever receives subscriptions: topic prefixes.
#define SUBSCRIPTION_MAX      4096
//  A refused key reconnects every few hundred ms; say so once per this.
#define REFUSAL_LOG_MS        10000

// ---------------------------------------------------------------------------
//  Limits and the process's identity

static int
env_int (const char *name, int fallback, int low, int high)
{
    return (int) ow_config_number (name, fallback, low, high);
}

void
ow_security_limits_load (ow_security_limits_t *limits)
{
    long cores = sysconf (_SC_NPROCESSORS_ONLN);
    int workers = cores < 1 ? 1 : cores > 8 ? 8 : (int) cores;
    limits->insecure_internal = env_int ("OFWATCH_DEV_INSECURE_INTERNAL", 0, 0, 1) == 1;
    limits->rate_per_minute = env_int ("OFWATCH_RATE_LIMIT", 1200, 0, 1000000);
    limits->decode_seconds = env_int ("OFWATCH_DECODE_SECONDS", 30, 1, 3600);
    limits->decode_memory_mb = env_int ("OFWATCH_DECODE_MEMORY", 1024, 64, 1048576);
    limits->workers = env_int ("OFWATCH_INGEST_WORKERS", workers, 1, 64);
    limits->queue = 64;
}

//  The name of the service this process is, or NULL (the CLI, tests).
//  Written once at start, before any thread exists.
static const char *s_identity;

void
ow_security_set_identity (const char *name)
{
    s_identity = name;
    ow_security_limits_t limits;
    ow_security_limits_load (&limits);
    if (limits.insecure_internal)
        ow_warn ("DEVELOPMENT SETTING: store's and analytics' sockets take anyone in the clear "
                 "(OFWATCH_DEV_INSECURE_INTERNAL=1); anyone who can reach them can rewrite the "
                 "history. Never run this way outside a development machine");
    const char *retired = getenv ("OFWATCH_SECURE_INTERNAL");
    if (retired && *retired)
        ow_warn ("OFWATCH_SECURE_INTERNAL is no longer read: every socket is secured; for "
                 "development only, OFWATCH_DEV_INSECURE_INTERNAL=1 turns store's and "
                 "analytics' off", "value", retired);
}

//  The services no one outside the deployment needs to reach.
static bool
is_internal (const char *service)
{
    size_t length = strcspn (service, ".");
    return (length == 5 && strncmp (service, "store", 5) == 0)
        || (length == 9 && strncmp (service, "analytics", 9) == 0);
}

bool
ow_security_wanted (const char *service)
{
    if (!service || !ow_rights_known_service (service))
        return false;
    if (!is_internal (service))
        return true;
    ow_security_limits_t limits;
    ow_security_limits_load (&limits);
    return !limits.insecure_internal;
}

// ---------------------------------------------------------------------------
//  The ZAP handler (RFC 27): one request per connection attempt.

typedef struct {
    ow_keys_t *keys;
    ow_throttle_t *refusals;    // by public key and domain
    zpoller_t *poller;
    zlistx_t *watches;          // watch_t: secured sockets' handshake failures
} zap_t;

//  The handshake failures of one secured socket: peers that spoke garbage
//  or not CURVE never reach ZAP, and are counted and logged here.
typedef struct {
    zsock_t *monitor;
    char *service;
    size_t failures;            // since the last log line
    int64_t logged;             // monotonic ms of the last log line
} watch_t;

static void
watch_destroy (watch_t **self_p)
{
    watch_t *self = *self_p;
    if (self) {
        zsock_destroy (&self->monitor);
        free (self->service);
        free (self);
        *self_p = NULL;
    }
}

static void
watch_start (zap_t *self, const char *endpoint, const char *service)
{
    watch_t *watch = ow_calloc (1, sizeof *watch);
    watch->monitor = zsock_new (ZMQ_PAIR);
    watch->service = ow_strdup (service);
    if (zsock_connect (watch->monitor, "%s", endpoint) == 0) {
        zpoller_add (self->poller, watch->monitor);
        zlistx_add_end (self->watches, watch);
    }
    else
        watch_destroy (&watch);
}

//  One monitor event: a failed handshake is logged (at most once per
//  REFUSAL_LOG_MS per socket, with the count); a closed socket ends the watch.
static void
watch_event (zap_t *self, zsock_t *monitor)
{
    watch_t *watch = zlistx_first (self->watches);
    while (watch && watch->monitor != monitor)
        watch = zlistx_next (self->watches);
    zmsg_t *event = zmsg_recv (monitor);
    zframe_t *head = event ? zmsg_first (event) : NULL;
    uint16_t code = 0;
    uint32_t value = 0;
    if (head && zframe_size (head) >= 6) {
        memcpy (&code, zframe_data (head), 2);
        memcpy (&value, zframe_data (head) + 2, 4);
    }
    zmsg_destroy (&event);
    if (!watch)
        return;
    if (code == ZMQ_EVENT_MONITOR_STOPPED || !head) {
        zpoller_remove (self->poller, watch->monitor);
        zlistx_detach_cur (self->watches);
        watch_destroy (&watch);
        return;
    }
    watch->failures++;
    int64_t now = zclock_mono ();
    if (now - watch->logged >= REFUSAL_LOG_MS) {
        char failures [24], detail [24];
        snprintf (failures, sizeof failures, "%zu", watch->failures);
        snprintf (detail, sizeof detail, "0x%x", value);
        ow_warn ("dropped connections that failed the CURVE handshake", "socket", watch->service,
                 "failures", failures, "error", detail);
        watch->failures = 0;
        watch->logged = now;
    }
}

//  Decides one request; returns NULL (allowed, *user_id set) or why not.
static const char *
zap_decide (zap_t *self, const char *domain, const char *mechanism, zframe_t *credential,
            char *public_key, char **user_id)
{
    if (!streq (mechanism, "CURVE") || !credential || zframe_size (credential) != 32)
        return "the connection does not use CURVE";
    zmq_z85_encode (public_key, zframe_data (credential), 32);
    ow_key_t *key = ow_keys_find_public (self->keys, public_key);
    const char *why = NULL;
    if (!key)
        why = "the key is unknown";
    else
    if (key->revoked)
        why = "the key was revoked";
    else
    if (!ow_rights_may_connect (domain, key))
        why = key->role == OW_ROLE_SERVICE ? "the service's key may not connect there"
                                           : "the key's role may not connect there";
    if (key)
        *user_id = ow_strdup (key->name);
    ow_key_destroy (&key);
    return why;
}

static void
zap_log_refusal (zap_t *self, const char *domain, const char *address, const char *public_key,
                 const char *name, const char *why)
{
    char *subject = ow_printf ("%s %s", domain, public_key);
    size_t count = 0;
    if (ow_throttle_pass (self->refusals, subject, zclock_mono (), &count)) {
        char times [24];
        snprintf (times, sizeof times, "%zu", count);
        ow_warn ("refused a connection", "socket", domain, "address", address,
                 "key", name ? name : public_key, "reason", why, "times", times);
    }
    free (subject);
}

// ---------------------------------------------------------------------------
//  The keys let in, by domain, for publishers to look at again

static struct {
    pthread_mutex_t lock;
    zhashx_t *names;            // "domain\nname" -> "" while remembered
} s_peers = { PTHREAD_MUTEX_INITIALIZER, NULL };

//  A bound on what is remembered; past it, forgetting only makes a
//  publisher miss a revocation until its peers reconnect, so instead the
//  oldest are kept and new names still added once there is room.
#define PEERS_MAX 100000

static void
peers_add (const char *domain, const char *name)
{
    char *entry = ow_printf ("%s\n%s", domain, name);
    pthread_mutex_lock (&s_peers.lock);
    if (!s_peers.names) {
        s_peers.names = zhashx_new ();
        zhashx_set_destructor (s_peers.names, (zhashx_destructor_fn *) zstr_free);
        zhashx_set_duplicator (s_peers.names, (zhashx_duplicator_fn *) strdup);
    }
    if (zhashx_size (s_peers.names) < PEERS_MAX)
        zhashx_update (s_peers.names, entry, "");
    pthread_mutex_unlock (&s_peers.lock);
    free (entry);
}

zlistx_t *
ow_security_peers (const char *domain)
{
    zlistx_t *names = zlistx_new ();
    zlistx_set_destructor (names, (zlistx_destructor_fn *) zstr_free);
    size_t prefix = strlen (domain);
    pthread_mutex_lock (&s_peers.lock);
    for (void *item = s_peers.names ? zhashx_first (s_peers.names) : NULL; item;
         item = zhashx_next (s_peers.names)) {
        const char *entry = zhashx_cursor (s_peers.names);
        if (strncmp (entry, domain, prefix) == 0 && entry [prefix] == '\n')
            zlistx_add_end (names, ow_strdup (entry + prefix + 1));
    }
    pthread_mutex_unlock (&s_peers.lock);
    return names;
}

void
ow_security_peers_forget (const char *domain)
{
    zlistx_t *names = ow_security_peers (domain);
    pthread_mutex_lock (&s_peers.lock);
    for (char *name = zlistx_first (names); name && s_peers.names; name = zlistx_next (names)) {
        char *entry = ow_printf ("%s\n%s", domain, name);
        zhashx_delete (s_peers.names, entry);
        free (entry);
    }
    pthread_mutex_unlock (&s_peers.lock);
    zlistx_destroy (&names);
}

static void
zap_answer (zap_t *self, zsock_t *handler)
{
    zmsg_t *request = zmsg_recv (handler);
    if (!request)
        return;
    char *version = zmsg_popstr (request);
    char *sequence = zmsg_popstr (request);
    char *domain = zmsg_popstr (request);
    char *address = zmsg_popstr (request);
    char *identity = zmsg_popstr (request);
    char *mechanism = zmsg_popstr (request);
    zframe_t *credential = zmsg_pop (request);
    char public_key [41] = "";
    char *user_id = NULL;
    const char *why = zap_decide (self, domain ? domain : "", mechanism ? mechanism : "",
                                  credential, public_key, &user_id);
    if (why)
        zap_log_refusal (self, domain ? domain : "", address ? address : "",
                         *public_key ? public_key : "none", user_id, why);
    else {
        ow_debug ("accepted a connection", "socket", domain, "address", address, "key", user_id);
        peers_add (domain, user_id);
    }
    zmsg_t *reply = zmsg_new ();
    zmsg_addstr (reply, "1.0");
    zmsg_addstr (reply, sequence ? sequence : "");
    zmsg_addstr (reply, why ? "400" : "200");
    zmsg_addstr (reply, why ? why : "OK");
    zmsg_addstr (reply, why || !user_id ? "" : user_id);
    zmsg_addmem (reply, NULL, 0);
    zmsg_send (&reply, handler);
    free (user_id);
    zframe_destroy (&credential);
    free (version);
    free (sequence);
    free (domain);
    free (address);
    free (identity);
    free (mechanism);
    zmsg_destroy (&request);
}

//  What the actor is started with: the registry's directory and the
//  handler socket, bound by the starting thread so a failed bind is seen.
typedef struct {
    char *directory;
    zsock_t *handler;
} zap_start_t;

static void
zap_actor (zsock_t *pipe, void *argument)
{
    zap_start_t *start = argument;
    zsock_t *handler = start->handler;
    zap_t self = { .keys = ow_keys_new (start->directory) };
    free (start->directory);
    free (start);
    self.refusals = ow_throttle_new (REFUSAL_LOG_MS);
    self.watches = zlistx_new ();
    zlistx_set_destructor (self.watches, (zlistx_destructor_fn *) watch_destroy);
    zsock_signal (pipe, 0);
    self.poller = zpoller_new (pipe, handler, NULL);
    //  Only $TERM stops the handler: without it, connections to a
    //  secured socket would be let in unchecked.
    zpoller_set_nonstop (self.poller, true);
    while (true) {
        void *which = zpoller_wait (self.poller, -1);
        if (which == handler)
            zap_answer (&self, handler);
        else
        if (which && which != pipe)
            watch_event (&self, which);
        else {
            //  $TERM, or WATCH endpoint service from ow_security_server.
            zmsg_t *command = which ? zmsg_recv (pipe) : NULL;
            char *verb = command ? zmsg_popstr (command) : NULL;
            char *endpoint = command ? zmsg_popstr (command) : NULL;
            char *service = command ? zmsg_popstr (command) : NULL;
            bool stop = !verb || streq (verb, "$TERM");
            if (!stop && streq (verb, "WATCH") && endpoint && service)
                watch_start (&self, endpoint, service);
            free (verb);
            free (endpoint);
            free (service);
            zmsg_destroy (&command);
            if (stop)
                break;
        }
    }
    zlistx_destroy (&self.watches);
    zpoller_destroy (&self.poller);
    zsock_destroy (&handler);
    ow_throttle_destroy (&self.refusals);
    ow_keys_destroy (&self.keys);
}

//  The process's handler; see the header for why this is shared state.
static struct {
    pthread_mutex_t lock;
    zactor_t *actor;
    int users;
} s_zap = { PTHREAD_MUTEX_INITIALIZER, NULL, 0 };

static bool
zap_start (const char *directory)
{
    pthread_mutex_lock (&s_zap.lock);
    if (!s_zap.actor) {
        zsock_t *handler = zsock_new (ZMQ_REP);
        if (zsock_bind (handler, ZAP_ENDPOINT) == 0) {
            zap_start_t *start = ow_malloc (sizeof *start);
            start->directory = ow_strdup (directory);
            start->handler = handler;
            s_zap.actor = zactor_new (zap_actor, start);
        }
        else
            zsock_destroy (&handler);
    }
    bool ok = s_zap.actor != NULL;
    s_zap.users += ok;
    pthread_mutex_unlock (&s_zap.lock);
    return ok;
}

//  Has the ZAP handler log the socket's failed handshakes too.
static void
watch_handshakes (zsock_t *socket, const char *service)
{
    char endpoint [80];
    snprintf (endpoint, sizeof endpoint, "inproc://ow-handshakes-%p-%" PRId64,
              (void *) socket, zclock_usecs ());
    int events = ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
               | ZMQ_EVENT_MONITOR_STOPPED;
    if (zmq_socket_monitor (zsock_resolve (socket), endpoint, events) != 0)
        return;
    pthread_mutex_lock (&s_zap.lock);
    if (s_zap.actor)
        zstr_sendx (s_zap.actor, "WATCH", endpoint, service, NULL);
    pthread_mutex_unlock (&s_zap.lock);
}

static void
zap_stop (void)
{
    pthread_mutex_lock (&s_zap.lock);
    if (s_zap.users > 0 && --s_zap.users == 0)
        zactor_destroy (&s_zap.actor);
    pthread_mutex_unlock (&s_zap.lock);
}

// ---------------------------------------------------------------------------
//  Sockets

static void
apply_limits (zsock_t *socket, const char *service)
{
    int type = zsock_type (socket);
    zsock_set_maxmsgsize (socket, type == ZMQ_PUB || type == ZMQ_XPUB
                                  ? SUBSCRIPTION_MAX : (int) ow_wire_max_message (service));
    zsock_set_handshake_ivl (socket, HANDSHAKE_MS);
    zsock_set_heartbeat_ivl (socket, HEARTBEAT_MS);
    zsock_set_heartbeat_timeout (socket, HEARTBEAT_TIMEOUT_MS);
}

//  The servers' pair, waiting while it is missing.
static zcert_t *
wait_for_server_pair (ow_keys_t *keys, char **error)
{
    bool told = false;
    while (true) {
        char *why = NULL;
        zcert_t *pair = ow_keys_server_pair (keys, &why);
        if (pair || zsys_interrupted) {
            if (!pair)
                *error = ow_printf ("interrupted while waiting for the server certificate (%s)", why);
            free (why);
            return pair;
        }
        if (!told)
            ow_error ("waiting for the server certificate; make the keys with "
                      "`ofwatch keys new local-admin --role inspectorate`",
                      "keys", ow_keys_directory (keys), "reason", why);
        told = true;
        free (why);
        zclock_sleep (1000);
    }
}

bool
ow_security_server (zsock_t *socket, const char *service, char **error)
{
    apply_limits (socket, service);
    if (!ow_security_wanted (service))
        return true;
    ow_config_t config;
    ow_config_load (&config);
    ow_keys_t *keys = ow_keys_new (config.keys);
    char *problem = NULL;
    zcert_t *pair = wait_for_server_pair (keys, &problem);
    ow_keys_destroy (&keys);
    if (pair && !zap_start (config.keys)) {
        problem = ow_strdup ("cannot start the ZAP handler (is another one bound in this process?)");
        zcert_destroy (&pair);
    }
    if (!pair) {
        if (error)
            *error = problem;
        else {
            ow_error ("cannot secure a socket", "socket", service, "reason", problem);
            free (problem);
        }
        return false;
    }
    zcert_apply (pair, zsock_resolve (socket));
    zcert_destroy (&pair);
    zsock_set_curve_server (socket, 1);
    zsock_set_zap_domain (socket, service);
    watch_handshakes (socket, service);
    return true;
}

void
ow_security_server_release (zsock_t *socket)
{
    if (socket && zsock_curve_server (socket))
        zap_stop ();
}

char *
ow_security_client_cert (void)
{
    ow_config_t config;
    ow_config_load (&config);
    return s_identity ? ow_printf ("%s/%s.cert", config.keys, s_identity)
                      : ow_strdup (config.cert);
}

bool
ow_security_client (zsock_t *socket, const char *service, char **error)
{
    zsock_set_maxmsgsize (socket, OW_WIRE_MAX_MESSAGE);
    if (!ow_security_wanted (service))
        return true;
    ow_config_t config;
    ow_config_load (&config);
    ow_keys_t *keys = ow_keys_new (config.keys);
    char *cert = ow_security_client_cert ();
    char *why = NULL, *also = NULL;
    zcert_t *pair = ow_keys_load_pair (cert, &why);
    char *server_public = pair ? ow_keys_server_public (keys, &also) : NULL;
    char *problem = NULL;
    if (!pair && s_identity)
        problem = ow_printf ("cannot present %s's service certificate to %s: %s; make it with "
                             "`ofwatch keys services %s`", s_identity, service, why, s_identity);
    else
    if (!pair)
        problem = ow_printf ("cannot present a client certificate to %s: %s; set OFWATCH_CERT "
                             "or make one with `ofwatch keys new`", service, why);
    else
    if (!server_public)
        problem = ow_printf ("cannot check %s's certificate: %s", service, also);
    else {
        zcert_apply (pair, zsock_resolve (socket));
        zsock_set_curve_serverkey (socket, server_public);
    }
    free (why);
    free (also);
    free (cert);
    free (server_public);
    zcert_destroy (&pair);
    ow_keys_destroy (&keys);
    if (problem && error)
        *error = problem;
    else
    if (problem) {
        ow_error ("cannot secure a connection", "reason", problem);
        free (problem);
    }
    return problem == NULL;
}

zsock_t *
ow_security_monitor_new (zsock_t *socket)
{
    char endpoint [64];
    snprintf (endpoint, sizeof endpoint, "inproc://ow-monitor-%p-%" PRId64,
              (void *) socket, zclock_usecs ());
    int events = ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
               | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL;
    if (zmq_socket_monitor (zsock_resolve (socket), endpoint, events) != 0)
        return NULL;
    zsock_t *monitor = zsock_new (ZMQ_PAIR);
    zsock_set_linger (monitor, 0);
    if (zsock_connect (monitor, "%s", endpoint) != 0)
        zsock_destroy (&monitor);
    return monitor;
}

void
ow_security_monitor_destroy (zsock_t *socket, zsock_t **monitor_p)
{
    if (*monitor_p && socket)
        zmq_socket_monitor (zsock_resolve (socket), NULL, 0);
    zsock_destroy (monitor_p);
}

bool
ow_security_monitor_refused (zsock_t *monitor)
{
    zmsg_t *event = zmsg_recv (monitor);
    zframe_t *head = event ? zmsg_first (event) : NULL;
    uint16_t code = 0;
    if (head && zframe_size (head) >= 2)
        memcpy (&code, zframe_data (head), 2);
    zmsg_destroy (&event);
    return code == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
}
