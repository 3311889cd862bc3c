/*  ow_config — the environment variables of CONTRACTS.md section 2, and
    where keys and data are found when they do not say.  */

#include "ow_config.h"
#include "ow_log.h"
#include "ow_pb.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *
env_or (const char *name, const char *fallback)
{
    const char *value = getenv (name);
    return (value && *value) ? value : fallback;
}

static bool
exists (const char *directory, const char *file)
{
    char path [PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", directory, file);
    return access (path, F_OK) == 0;
}

static void
default_keys (char *out, size_t size)
{
    if (exists ("./var/keys", "server.cert")) {
        snprintf (out, size, "./var/keys");
        return;
    }
    const char *xdg = getenv ("XDG_CONFIG_HOME"), *home = getenv ("HOME");
    if (xdg && *xdg == '/')
        snprintf (out, size, "%s/ofwatch/keys", xdg);
    else if (home && *home)
        snprintf (out, size, "%s/.config/ofwatch/keys", home);
    else
        snprintf (out, size, "./var/keys");
}

static void
default_data (char out [PATH_MAX], size_t size)
{
    char program [PATH_MAX - 32];
    ssize_t length = readlink ("/proc/self/exe", program, sizeof program - 1);
    if (length > 0) {
        program [length] = 0;
        char *slash = strrchr (program, '/');
        if (slash) {
            *slash = 0;
            snprintf (out, size, "%s/../share/ofwatch", program);
            if (exists (out, "la_lookup.csv"))
                return;
        }
    }
    snprintf (out, size, "%s", OW_DEFAULT_DATA_DIR);
}

static char s_data [PATH_MAX];
static pthread_once_t s_data_once = PTHREAD_ONCE_INIT;

static void
find_data (void)
{
    default_data (s_data, sizeof s_data);
}

const char *
ow_config_data_dir (void)
{
    const char *data = getenv ("OFWATCH_DATA");
    if (data && *data)
        return data;
    pthread_once (&s_data_once, find_data);
    return s_data;
}

void
ow_config_load (ow_config_t *config)
{
    memset (config, 0, sizeof *config);
    config->pg            = env_or ("OFWATCH_PG", "dbname=ofwatch");
    config->ingest        = env_or ("OFWATCH_INGEST", "tcp://127.0.0.1:7101");
    config->store         = env_or ("OFWATCH_STORE", "tcp://127.0.0.1:7102");
    config->store_events  = env_or ("OFWATCH_STORE_EVENTS", "tcp://127.0.0.1:7103");
    config->analytics     = env_or ("OFWATCH_ANALYTICS", "tcp://127.0.0.1:7104");
    config->notify_pub    = env_or ("OFWATCH_NOTIFY_PUB", "tcp://127.0.0.1:7105");
    config->notify_replay = env_or ("OFWATCH_NOTIFY_REPLAY", "tcp://127.0.0.1:7106");
    default_keys (config->keys_default, sizeof config->keys_default);
    default_data (config->data_default, sizeof config->data_default);
    config->keys          = env_or ("OFWATCH_KEYS", config->keys_default);
    config->log           = env_or ("OFWATCH_LOG", "info");
    config->data          = env_or ("OFWATCH_DATA", config->data_default);
    config->metrics_port  = atoi (env_or ("OFWATCH_METRICS_PORT", "0"));
    snprintf (config->cert_default, sizeof config->cert_default, "%s/local-admin.cert",
              config->keys);
    config->cert          = env_or ("OFWATCH_CERT", config->cert_default);
    config->watch         = env_or ("OFWATCH_WATCH", "tcp://127.0.0.1:7107");
    config->ofsted_url    = env_or ("OFWATCH_OFSTED_URL", "https://reports.ofsted.gov.uk/");
    config->watch_interval = (int) ow_config_number ("OFWATCH_WATCH_INTERVAL", 3600, 0,
                                                     7 * 24 * 3600);
    config->watch_rate    = ow_config_real ("OFWATCH_WATCH_RATE", 1, 0.01, 100);
}

double
ow_config_real (const char *name, double fallback, double low, double high)
{
    const char *text = getenv (name);
    if (!text || !*text)
        return fallback;
    char *end = NULL;
    double value = strtod (text, &end);
    if (*end || value != value || value < low || value > high) {
        char range [64];
        snprintf (range, sizeof range, "%g to %g", low, high);
        ow_warn ("ignoring a setting that is not a number in its range", "variable", name,
                 "value", text, "range", range);
        return fallback;
    }
    return value;
}

long
ow_config_number (const char *name, long fallback, long low, long high)
{
    const char *value = getenv (name);
    if (!value || !*value)
        return fallback;
    char *end = NULL;
    long number = strtol (value, &end, 10);
    if (*end || number < low || number > high) {
        char range [64];
        snprintf (range, sizeof range, "%ld to %ld", low, high);
        ow_warn ("ignoring a setting that is not a whole number in its range", "variable", name,
                 "value", value, "range", range);
        return fallback;
    }
    return number;
}

char *
ow_config_connectable (const char *endpoint)
{
    const char *star = strstr (endpoint, "://*:");
    if (!star)
        return ow_strdup (endpoint);
    return ow_printf ("%.*s://127.0.0.1:%s", (int) (star - endpoint), endpoint, star + 5);
}
