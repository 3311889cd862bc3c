/*  ow_log — JSON lines on stderr; see ow_log.h.

    The level and service name are process-wide settings written once at
    start, before any thread exists, and only read afterwards.
*/

#include "ow_log.h"
#include "ow_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>

static ow_log_level_t s_level = OW_LOG_INFO;
static const char *s_service = "ofwatch";

static const char *s_level_words [] = { "debug", "info", "warn", "error" };

void
ow_log_init (const char *service, const char *level_word)
{
    s_service = service;
    s_level = OW_LOG_INFO;
    for (int level = OW_LOG_DEBUG; level <= OW_LOG_ERROR; level++)
        if (level_word && strcmp (level_word, s_level_words [level]) == 0)
            s_level = (ow_log_level_t) level;
}

void
ow_log_timestamp (char *buffer, size_t size, int digits)
{
    struct timeval now;
    gettimeofday (&now, NULL);
    struct tm utc;
    gmtime_r (&now.tv_sec, &utc);
    size_t n = strftime (buffer, size, "%Y-%m-%dT%H:%M:%S", &utc);
    if (digits == 6)
        snprintf (buffer + n, size - n, ".%06ldZ", (long) now.tv_usec);
    else
        snprintf (buffer + n, size - n, ".%03ldZ", (long) now.tv_usec / 1000);
}

void
ow_log_pairs (ow_log_level_t level, const char *msg, ...)
{
    if (level < s_level)
        return;
    char stamp [40];
    ow_log_timestamp (stamp, sizeof stamp, 3);

    json_t *line = json_object ();
    ow_json_set_string (line, "time", stamp);
    ow_json_set_string (line, "level", s_level_words [level]);
    ow_json_set_string (line, "service", s_service);
    ow_json_set_string (line, "msg", msg);
    va_list args;
    va_start (args, msg);
    for (const char *key = va_arg (args, const char *); key; key = va_arg (args, const char *))
        ow_json_set_string (line, key, va_arg (args, const char *));
    va_end (args);
    char *text = ow_json_dump (line);
    fprintf (stderr, "%s\n", text);
    free (text);
    json_decref (line);
}
