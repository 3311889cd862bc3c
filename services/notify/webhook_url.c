/*  webhook_url — where a webhook may send the log; see webhook_url.h.  */

#include "webhook_url.h"
#include "ow_pb.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

//  Host names of the metadata services of the common clouds.
static const char *const s_metadata_names [] = {
    "metadata", "metadata.google.internal", "metadata.goog", "instance-data",
    "instance-data.ec2.internal", "metadata.azure.internal",
};

void
webhook_ports_add (webhook_ports_t *self, int port)
{
    if (port <= 0 || self->count == WEBHOOK_PORTS_MAX)
        return;
    for (size_t i = 0; i < self->count; i++)
        if (self->ports [i] == port)
            return;
    self->ports [self->count++] = port;
}

int
webhook_endpoint_port (const char *endpoint)
{
    const char *colon = endpoint && strncmp (endpoint, "tcp://", 6) == 0
                      ? strrchr (endpoint, ':') : NULL;
    return colon ? atoi (colon + 1) : 0;
}

//  An IPv4 address (host order) that is link-local, a metadata service's
//  or "this network".
static const char *
ipv4_problem (uint32_t address)
{
    if ((address >> 16) == 0xA9FE)                  // 169.254.0.0/16
        return "a webhook URL may not name a link-local address (169.254.0.0/16), where cloud "
               "instances are handed their credentials";
    if (address == 0x646464C8)                      // 100.100.100.200
        return "a webhook URL may not name a cloud metadata service";
    if ((address >> 24) == 0)                       // 0.0.0.0/8
        return "a webhook URL may not name the unspecified address 0.0.0.0";
    return NULL;
}

static const char *
ipv6_problem (const struct in6_addr *address)
{
    const uint8_t *b = address->s6_addr;
    static const uint8_t mapped [12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };
    if (memcmp (b, mapped, 12) == 0)
        return ipv4_problem ((uint32_t) b [12] << 24 | (uint32_t) b [13] << 16
                             | (uint32_t) b [14] << 8 | b [15]);
    if (b [0] == 0xfe && (b [1] & 0xc0) == 0x80)       // fe80::/10
        return "a webhook URL may not name a link-local address (fe80::/10)";
    static const uint8_t aws [16] = { 0xfd,0,0,0xec,0x02,0,0,0, 0,0,0,0, 0,0,0x02,0x54 };
    if (memcmp (b, aws, 16) == 0)                       // fd00:ec2::254
        return "a webhook URL may not name a cloud metadata service";
    if (IN6_IS_ADDR_UNSPECIFIED (address))
        return "a webhook URL may not name the unspecified address ::";
    return NULL;
}

const char *
webhook_address_problem (const struct sockaddr *address)
{
    if (address->sa_family == AF_INET)
        return ipv4_problem (ntohl (((const struct sockaddr_in *) address)->sin_addr.s_addr));
    if (address->sa_family == AF_INET6)
        return ipv6_problem (&((const struct sockaddr_in6 *) address)->sin6_addr);
    return "a webhook is delivered over IPv4 or IPv6 only";
}

//  A host as the URL names it: a metadata name or an address literal
//  that may not be used.
static const char *
host_problem (const char *host)
{
    char *lower = ow_strdup (host);
    for (char *c = lower; *c; c++)
        *c = (char) tolower ((unsigned char) *c);
    size_t length = strlen (lower);
    if (length && lower [length - 1] == '.')
        lower [--length] = 0;                           // a fully qualified name
    const char *problem = NULL;
    for (size_t i = 0; i < sizeof s_metadata_names / sizeof s_metadata_names [0]; i++)
        if (strcmp (lower, s_metadata_names [i]) == 0)
            problem = "a webhook URL may not name a cloud metadata service";
    struct in_addr v4;
    struct in6_addr v6;
    //  curl gives an IPv6 literal in brackets.
    if (!problem && length > 2 && lower [0] == '[') {
        lower [length - 1] = 0;
        if (inet_pton (AF_INET6, lower + 1, &v6) == 1)
            problem = ipv6_problem (&v6);
    }
    else
    if (!problem && inet_pton (AF_INET, lower, &v4) == 1)
        problem = ipv4_problem (ntohl (v4.s_addr));
    free (lower);
    return problem;
}

const char *
webhook_url_problem (const char *url, const webhook_ports_t *ports)
{
    if (strlen (url) > WEBHOOK_URL_MAX)
        return "a webhook URL must be at most 2048 characters";
    for (const char *c = url; *c; c++)
        if ((unsigned char) *c <= ' ' || *c == 0x7f)
            return "a webhook URL must not hold spaces or control characters";
    size_t scheme = strncmp (url, "http://", 7) == 0 ? 7
                  : strncmp (url, "https://", 8) == 0 ? 8 : 0;
    if (scheme == 0)
        return "a webhook URL must start with http:// or https://";
    //  libcurl would read http:///host as http://host.
    if (url [scheme] == '/' || !url [scheme])
        return "a webhook URL must name a host, as in https://example.org/hook";
    CURLU *parsed = curl_url ();
    const char *problem = NULL;
    char *host = NULL, *port = NULL, *user = NULL, *password = NULL;
    if (!parsed)
        problem = "notify cannot read URLs just now";
    else
    if (curl_url_set (parsed, CURLUPART_URL, url, 0) != CURLUE_OK
        || curl_url_get (parsed, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !*host)
        problem = "a webhook URL must name a host, as in https://example.org/hook";
    else
    if (curl_url_get (parsed, CURLUPART_USER, &user, 0) == CURLUE_OK
        || curl_url_get (parsed, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK)
        problem = "a webhook URL must not hold credentials (user:password@): every listing "
                  "would show them, and receivers check X-Ofwatch-Signature instead";
    else
    if ((problem = host_problem (host)) == NULL
        && curl_url_get (parsed, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
        int number = atoi (port);
        for (size_t i = 0; ports && i < ports->count && !problem; i++)
            if (ports->ports [i] == number)
                problem = "a webhook URL may not name one of ofwatch's own ports (its sockets, "
                          "PostgreSQL's, its metrics)";
    }
    curl_free (host);
    curl_free (port);
    curl_free (user);
    curl_free (password);
    curl_url_cleanup (parsed);
    return problem;
}

char *
webhook_url_shown (const char *url)
{
    const char *scheme = strstr (url, "://");
    if (!scheme)
        return ow_strdup (url);
    const char *authority = scheme + 3;
    size_t end = strcspn (authority, "/?#");
    const char *at = memrchr (authority, '@', end);
    if (!at)
        return ow_strdup (url);
    return ow_printf ("%.*s%s", (int) (authority - url), url, at + 1);
}
