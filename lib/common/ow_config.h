/*  ow_config — the environment variables of CONTRACTS.md section 2.

    Every service and the CLI read their configuration here and nowhere
    else, so a default is written once. A server binds the endpoint its
    variable names; a client connects to it (in containers the server's
    copy binds every interface and the clients' copies name the server's host).
*/
#ifndef OW_CONFIG_H
#define OW_CONFIG_H

#include <limits.h>

typedef struct {
    const char *pg;              // OFWATCH_PG
    const char *ingest;          // OFWATCH_INGEST
    const char *store;           // OFWATCH_STORE
    const char *store_events;    // OFWATCH_STORE_EVENTS
    const char *analytics;       // OFWATCH_ANALYTICS
    const char *notify_pub;      // OFWATCH_NOTIFY_PUB
    const char *notify_replay;   // OFWATCH_NOTIFY_REPLAY
    const char *keys;            // OFWATCH_KEYS
    const char *cert;            // OFWATCH_CERT
    const char *log;             // OFWATCH_LOG
    const char *data;            // OFWATCH_DATA: register, migrations, lexicons
    int metrics_port;            // OFWATCH_METRICS_PORT; 0: no metrics server
    const char *watch;           // OFWATCH_WATCH: the watch service's ROUTER (health)
    const char *ofsted_url;      // OFWATCH_OFSTED_URL: Ofsted's reports site
    int watch_interval;          // OFWATCH_WATCH_INTERVAL: seconds between passes; 0: idle
    double watch_rate;           // OFWATCH_WATCH_RATE: requests a second to the site
    char cert_default [PATH_MAX];
    char keys_default [PATH_MAX];
    char data_default [PATH_MAX];
} ow_config_t;

//  Where keys and data are when the environment does not say, so the CLI
//  works from any directory:
//  - keys: ./var/keys when it holds a server certificate (a checkout's
//    own stack, at its root), else $XDG_CONFIG_HOME/ofwatch/keys
//    (~/.config/ofwatch/keys), which `make up` links to its ./var/keys;
//  - data: <the program's directory>/../share/ofwatch when it holds the
//    register (an installed ofwatch), else the checkout's data/ compiled
//    in (OW_DEFAULT_DATA_DIR).
//  Fills config from the environment. The strings point into the
//  environment or into config itself: valid while both are.
void ow_config_load (ow_config_t *config);

//  A whole number setting from the environment: its value when it is one
//  from low to high, else fallback (logged, when it was set otherwise).
long ow_config_number (const char *name, long fallback, long low, long high);

//  The same for a setting that may have a fraction (a rate: "0.5").
double ow_config_real (const char *name, double fallback, double low, double high);

//  Turns a bind endpoint into one a client on this host can connect to
//  (a wildcard host becomes 127.0.0.1); other endpoints are copied.
//  Caller frees.
char *ow_config_connectable (const char *endpoint);

//  The data directory (OFWATCH_DATA or the default above); for code that
//  needs only that.
const char *ow_config_data_dir (void);

#endif
