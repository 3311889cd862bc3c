/*  Every service's /metrics as Prometheus reads it: `promtool check
    metrics` (Debian's prometheus package) passes on each, every family
    has its HELP and TYPE once, before all its series, its description from
    data/metrics.csv, and one set of label names.

    The stack is first made to use every family: a document stored, one
    refused, events published and derived, a webhook delivered, requests
    answered. Services are found by their OFWATCH_METRICS_PORT_<NAME>
    variables, so a service added to the stack is checked too.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <curl/curl.h>

#include "it_analytics.h"
#include "it_http.h"
#include "it_support.h"
#include "it_webhook.h"

extern char **environ;

#define PREFIX "OFWATCH_METRICS_PORT_"

//  promtool's verdict on text: its exit code, its complaints printed.
static int
promtool (const char *service, const char *text)
{
    char path [] = "/tmp/ofwatch-metrics-XXXXXX";
    int fd = mkstemp (path);
    assert_true (fd >= 0);
    assert_int_equal (write (fd, text, strlen (text)), (ssize_t) strlen (text));
    close (fd);
    char *command = ow_printf ("promtool check metrics < %s 2>&1", path);
    FILE *pipe = popen (command, "r");
    char line [512];
    while (fgets (line, sizeof line, pipe))
        printf ("  promtool on %s: %s", service, line);
    int status = pclose (pipe);
    unlink (path);
    free (command);
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

//  The label names of a series line ("a{x=\"1\",y=\"2\"} 3" -> "x,y,").
static void
label_names (const char *line, char *out, size_t size)
{
    out [0] = 0;
    const char *brace = strchr (line, '{'), *end = brace ? strchr (brace, '}') : NULL;
    for (const char *p = brace; p && p < end; ) {
        p++;
        const char *equals = strchr (p, '=');
        if (!equals || equals > end)
            break;
        strncat (out, p, (size_t) (equals - p) < size - strlen (out) - 2
                         ? (size_t) (equals - p) : size - strlen (out) - 2);
        strcat (out, ",");
        p = strchr (equals + 2, '"');       // the closing quote (values hold no quotes)
        if (!p)
            break;
        p++;
    }
}

//  Families one group each, HELP then TYPE first, one label set.
static void
check_shape (const char *service, const char *text, size_t *families)
{
    char family [128] = "", labels [256] = "", seen [4096] = ",";
    bool typed = false;
    for (const char *line = text; *line; line = strchr (line, '\n') + 1) {
        char name [128];
        if (sscanf (line, "# HELP %127s", name) == 1) {
            char mark [140];
            snprintf (mark, sizeof mark, ",%s,", name);
            assert_null (strstr (seen, mark));          // each family once
            strncat (seen, name, sizeof seen - strlen (seen) - 2);
            strcat (seen, ",");
            snprintf (family, sizeof family, "%s", name);
            labels [0] = 0;
            typed = false;
            (*families)++;
            if (strstr (line, "not described in data/metrics.csv"))
                fail_msg ("%s: %s has no description in data/metrics.csv", service, name);
        }
        else if (sscanf (line, "# TYPE %127s", name) == 1) {
            assert_string_equal (name, family);
            typed = true;
        }
        else if (*line != '#' && *line != '\n') {
            assert_true (typed);
            //  The series belongs to the family announced last.
            assert_memory_equal (line, family, strlen (family));
            if (strncmp (line + strlen (family), "_bucket", 7) == 0)
                continue;                           // its le label is its own
            char names [256];
            label_names (line, names, sizeof names);
            if (!*labels)
                snprintf (labels, sizeof labels, "%s", names);
            else
                assert_string_equal (names, labels);
        }
        if (!strchr (line, '\n'))
            break;
    }
}

static void
use_every_family (void)
{
    it_webhook_t *hook = it_webhook_new ();
    assert_non_null (hook);
    char *add = ow_printf ("webhook add '%s' --secret s3cret --from 1 >/dev/null",
                           it_webhook_url (hook));
    int rc = -1;
    free (it_cli (add, &rc));
    assert_int_equal (rc, 0);
    free (add);
    char *sample = it_sample ("herefordshire/2022-09-21.pdf");
    Ofwatch__V1__Reply *reply = it_submit_file (sample);
    assert_non_null (reply);
    ow_pb_free (&reply);
    free (sample);
    //  A file that is no document at all is refused.
    char path [] = "/tmp/ofwatch-empty-XXXXXX";
    close (mkstemp (path));
    reply = it_submit_file (path);
    unlink (path);
    ow_pb_free (&reply);
    assert_true (it_analytics_settle (60000));
    for (int i = 0; i < 100 && it_webhook_accepted (hook) == 0; i++)
        zclock_sleep (100);
    assert_true (it_webhook_accepted (hook) > 0);
    it_webhook_destroy (&hook);
}

static void
test_every_services_metrics_pass_promtool (void **state)
{
    use_every_family ();
    size_t services = 0, families = 0;
    for (char **variable = environ; *variable; variable++) {
        if (strncmp (*variable, PREFIX, strlen (PREFIX)) != 0)
            continue;
        char service [64];
        const char *equals = strchr (*variable, '=');
        snprintf (service, sizeof service, "%.*s", (int) (equals - *variable - strlen (PREFIX)),
                  *variable + strlen (PREFIX));
        char *text = it_http_metrics (equals + 1);
        assert_non_null (text);
        size_t before = families;
        check_shape (service, text, &families);
        assert_int_equal (promtool (service, text), 0);
        printf ("  %s: %zu families pass promtool check metrics\n", service, families - before);
        assert_true (families > before);
        services++;
        free (text);
    }
    assert_true (services >= 4);
    //  Every family the services use is described and was seen.
    assert_true (families >= 12);
}

int
main (void)
{
    curl_global_init (CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_every_services_metrics_pass_promtool),
    };
    int failed = cmocka_run_group_tests (tests, NULL, NULL);
    curl_global_cleanup ();
    return failed;
}
