/*  ow_log — JSON lines on stderr.

    One line per record: {"time","level","service","msg", then any
    key/value pairs the caller adds}. The level and service are set once
    by ow_log_init at start; records below the level cost one compare.
    A value longer than OW_LOG_VALUE_MAX is cut, saying its length.
*/
#ifndef OW_LOG_H
#define OW_LOG_H

#include <stddef.h>

//  Longer values are cut to this many bytes in the line.
#define OW_LOG_VALUE_MAX 1024

typedef enum { OW_LOG_DEBUG, OW_LOG_INFO, OW_LOG_WARN, OW_LOG_ERROR } ow_log_level_t;

//  level_word: debug, info, warn or error (anything else: info).
void ow_log_init (const char *service, const char *level_word);

//  Writes msg and the NULL-terminated key, value string pairs that follow.
void ow_log_pairs (ow_log_level_t level, const char *msg, ...);

//  The current UTC time as RFC 3339 with `digits` (3 or 6) fraction
//  digits, e.g. 2026-11-22T19:49:35.556Z.
void ow_log_timestamp (char *buffer, size_t size, int digits);

#define ow_debug(msg, ...) ow_log_pairs (OW_LOG_DEBUG, msg, ##__VA_ARGS__, NULL)
#define ow_info(msg, ...)  ow_log_pairs (OW_LOG_INFO,  msg, ##__VA_ARGS__, NULL)
#define ow_warn(msg, ...)  ow_log_pairs (OW_LOG_WARN,  msg, ##__VA_ARGS__, NULL)
#define ow_error(msg, ...) ow_log_pairs (OW_LOG_ERROR, msg, ##__VA_ARGS__, NULL)

#endif
