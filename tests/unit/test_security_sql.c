/*  test_security_sql — SQL only through parameters or COPY.

    tools/check_sql.sh reads every C file under services/ and lib/ and
    fails when SQL handed to PostgreSQL is assembled at run time; this
    runs it on the tree (so `make unit` fails on such a query) and on a
    files that do it wrong and right (so the check is known to tell them
    apart), directly and through a function that passes SQL on.
*/

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ow_pb.h"

static int
run (const char *arguments)
{
    char command [512];
    snprintf (command, sizeof command, "tools/check_sql.sh %s", arguments);
    int status = system (command);
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_no_query_in_the_tree_is_assembled_from_input (void **state)
{
    assert_int_equal (run ("services lib"), 0);
}

//  Runs the check on a directory holding one file with `source`.
static int
check_source (const char *source)
{
    char directory [] = "/tmp/ofwatch-check-sql.XXXXXX";
    assert_non_null (mkdtemp (directory));
    char path [256];
    snprintf (path, sizeof path, "%s/example.c", directory);
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    fputs (source, file);
    fclose (file);
    char arguments [300];
    snprintf (arguments, sizeof arguments, "%s 2>/dev/null >/dev/null", directory);
    int rc = run (arguments);
    unlink (path);
    rmdir (directory);
    return rc;
}

static void
test_a_query_built_with_printf_fails_the_check (void **state)
{
    assert_int_equal (check_source (
        "static void\nf (ow_db_t *db, const char *who)\n{\n"
        "    char *query = ow_printf (\"SELECT * FROM audit WHERE key_name = '%s'\", who);\n"
        "    ow_db_exec (db, query);\n}\n"), 1);
    assert_int_equal (check_source (
        "static void\nf (ow_db_t *db, bool ok)\n{\n"
        "    ow_db_statement (db, \"q\", \"SELECT \" COLUMNS \" FROM audit WHERE id = $1\");\n"
        "    ow_db_exec (db, ok ? \"COMMIT\" : \"ROLLBACK\");\n}\n"), 0);
}

static void
test_a_function_passing_sql_on_is_checked_at_its_callers (void **state)
{
    const char *wrapper =
        "static PGresult *\nrun_sql (PGconn *c, const char *sql)\n{\n"
        "    return PQexec (c, sql);\n}\n\n"
        "void\ncaller (PGconn *c, const Ofwatch__V1__HistoryQuery *query)\n{\n"
        "    run_sql (c, \"SELECT 1\");\n";
    char *bad = ow_printf ("%s    run_sql (c, query->authority);\n}\n", wrapper);
    char *good = ow_printf ("%s}\n", wrapper);
    assert_int_equal (check_source (bad), 1);
    assert_int_equal (check_source (good), 0);
    free (bad);
    free (good);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_no_query_in_the_tree_is_assembled_from_input),
        cmocka_unit_test (test_a_query_built_with_printf_fails_the_check),
        cmocka_unit_test (test_a_function_passing_sql_on_is_checked_at_its_callers),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
