/*  The pages analytics serves, checked by axe-core's WCAG 2.2 A and AA
    rules in the real Chromium (tests/pages/axe.mjs, npm's axe-core and
    puppeteer-core driving Debian's /usr/bin/chromium): the index, an
    authority's report and England's, with the samples and the corpus's
    reports loaded so every chart, table and tile has something in it.
    Any violation fails; screenshots of the three pages are kept under
    build/test-output/test_pages/.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "it_analytics.h"
#include "it_http.h"
#include "it_stack.h"
#include "it_support.h"

static int s_http_port;

static int
setup (void **state)
{
    it_stack_adopt ();
    s_http_port = it_http_free_port ();
    it_stack_kill ("analytics", SIGTERM);
    char port [16];
    snprintf (port, sizeof port, "%d", s_http_port);
    setenv ("OFWATCH_HTTP_PORT", port, 1);
    if (!it_stack_start ("analytics"))
        return -1;
    const char *top = getenv ("OFWATCH_TEST_TOP");
    char *corpus = ow_printf ("%s/../shared/corpus/reports", top);
    struct stat info;
    int rc = -1;
    if (stat (corpus, &info) == 0) {
        //  Exit 1: the corpus holds a "report not found" page, refused.
        char *command = ow_printf ("submit '%s' >/dev/null 2>&1", corpus);
        free (it_cli (command, &rc));
        free (command);
    }
    else
        printf ("  (no corpus at %s: the pages show the samples only)\n", corpus);
    char *command = ow_printf ("submit '%s/samples' >/dev/null 2>&1", top);
    free (it_cli (command, &rc));
    free (command);
    free (corpus);
    return rc == 0 && it_analytics_settle (300000) ? 0 : -1;
}

static int
teardown (void **state)
{
    it_stack_release ();
    return 0;
}

static void
test_pages_pass_axe_core_in_chromium (void **state)
{
    const char *top = getenv ("OFWATCH_TEST_TOP");
    char *modules = ow_printf ("%s/tests/pages/node_modules/axe-core", top);
    struct stat info;
    if (stat (modules, &info) != 0)
        fail_msg ("%s is missing: `make integration` installs the page tests' npm packages"
                  " (tests/pages/package.json)", modules);
    free (modules);
    char *output = ow_printf ("%s/../test-output/test_pages", getenv ("OFWATCH_TEST_BIN"));
    char *command = ow_printf ("node '%s/tests/pages/axe.mjs' http://127.0.0.1:%d '%s'"
                               " / /authority/herefordshire /national", top, s_http_port, output);
    int status = system (command);
    assert_true (WIFEXITED (status));
    assert_int_equal (WEXITSTATUS (status), 0);
    static const char *shots [] = { "index.png", "authority-herefordshire.png", "national.png" };
    for (size_t i = 0; i < 3; i++) {
        char *png = ow_printf ("%s/%s", output, shots [i]);
        assert_int_equal (stat (png, &info), 0);
        assert_true (info.st_size > 10000);
        free (png);
    }
    free (command);
    free (output);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_pages_pass_axe_core_in_chromium),
    };
    return cmocka_run_group_tests (tests, setup, teardown);
}
