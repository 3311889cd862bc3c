/*  cli_analytics — what the commands answered by analytics share (history,
    benchmark, themes, national, export, report): asking analytics, and
    printing aligned tables on a terminal.
*/

#include "cli.h"

#include <getopt.h>
#include <stdarg.h>

//  Summaries and pages of all England take longer than one authority.
#define ANALYTICS_TIMEOUT_MS 30000

Ofwatch__V1__Reply *
cli_ask_analytics (cli_t *cli, Ofwatch__V1__Request *request,
                   Ofwatch__V1__Reply__BodyCase expected, const char *what)
{
    return cli_ask (cli->config.analytics, "analytics", request, ANALYTICS_TIMEOUT_MS,
                    expected, what);
}

int
cli_json_option (int argc, char **argv, int operands, bool *json, const char *usage)
{
    static const struct option options [] = {
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "j", options, NULL)) != -1) {
        if (option != 'j')
            return 2;
        *json = true;
    }
    if (argc - optind != operands) {
        cli_fail ("%s", usage);
        return 2;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Tables

struct _cli_table_t {
    size_t columns;
    char **cells;               // row-major; the first row is the header
    size_t n_cells;
};

cli_table_t *
cli_table_new (size_t columns, ...)
{
    cli_table_t *self = ow_calloc (1, sizeof *self);
    self->columns = columns;
    va_list args;
    va_start (args, columns);
    const char *header;
    while (self->n_cells < columns && (header = va_arg (args, const char *)) != NULL)
        ow_pb_append_string (&self->cells, &self->n_cells, header);
    va_end (args);
    return self;
}

void
cli_table_destroy (cli_table_t **self_p)
{
    cli_table_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->n_cells; i++)
        free (self->cells [i]);
    free (self->cells);
    free (self);
    *self_p = NULL;
}

void
cli_table_add (cli_table_t *self, const char *value)
{
    ow_pb_append_string (&self->cells, &self->n_cells, value && *value ? value : "-");
}

void
cli_table_addf (cli_table_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *value = NULL;
    if (vasprintf (&value, format, args) < 0)
        value = NULL;
    va_end (args);
    cli_table_add (self, value);
    free (value);
}

//  Characters, not bytes: names are UTF-8 ("Máire").
static size_t
width_of (const char *text)
{
    size_t width = 0;
    for (const unsigned char *c = (const unsigned char *) text; *c; c++)
        width += (*c & 0xC0) != 0x80;
    return width;
}

//  A count, a rank ("3/9") or a per cent; "-" is none of these but does
//  not stop a column of them being one.
static bool
is_number (const char *text)
{
    if (!*text)
        return false;
    for (const char *c = text; *c; c++)
        if (!(*c >= '0' && *c <= '9') && *c != '%' && *c != '/')
            return false;
    return true;
}

void
cli_table_print (const cli_table_t *self)
{
    size_t columns = self->columns;
    size_t *widths = ow_calloc (columns, sizeof (size_t));
    bool *numeric = ow_calloc (columns, sizeof (bool));
    bool *other = ow_calloc (columns, sizeof (bool));
    for (size_t i = 0; i < self->n_cells; i++) {
        size_t c = i % columns;
        if (width_of (self->cells [i]) > widths [c])
            widths [c] = width_of (self->cells [i]);
        if (i < columns || strcmp (self->cells [i], "-") == 0)
            continue;
        if (is_number (self->cells [i]))
            numeric [c] = true;
        else
            other [c] = true;
    }
    for (size_t c = 0; c < columns; c++)
        numeric [c] = numeric [c] && !other [c];
    free (other);
    for (size_t i = 0; i < self->n_cells; i++) {
        size_t c = i % columns;
        const char *cell = self->cells [i];
        int pad = (int) (widths [c] - width_of (cell));
        bool last = c == columns - 1;
        if (numeric [c])
            printf ("%*s%s", pad, "", cell);
        else
            printf ("%s%*s", cell, last ? 0 : pad, "");
        fputs (last ? "\n" : "  ", stdout);
    }
    free (widths);
    free (numeric);
}
