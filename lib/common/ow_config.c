/*  ow_config — the environment variables of CONTRACTS.md section 2.  */

#include "ow_config.h"
#include "ow_log.h"
#include "ow_pb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
env_or (const char *name, const char *fallback)
{
    const char *value = getenv (name);
    return (value && *value) ? value : fallback;
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
    config->keys          = env_or ("OFWATCH_KEYS", "./var/keys");
    config->log           = env_or ("OFWATCH_LOG", "info");
    config->data          = env_or ("OFWATCH_DATA", OW_DEFAULT_DATA_DIR);
    config->metrics_port  = atoi (env_or ("OFWATCH_METRICS_PORT", "0"));
    snprintf (config->cert_default, sizeof config->cert_default, "%s/local-admin.cert",
              config->keys);
    config->cert          = env_or ("OFWATCH_CERT", config->cert_default);
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
