/*  ow_date — calendar dates as documents print them, and working days.

    Printed spans are read by a small tokenizer (numbers, month names,
    connectives "to", "-", "and", commas) and a parser that collects a
    run of partial dates ("2", "13 May 2016"), lends each the month and
    year of the dates after it, and pairs them into blocks by the "to"
    connectives. Civil date arithmetic follows Howard Hinnant's
    days_from_civil, exact for every Gregorian date.
*/

#include "ow_date.h"
#include "ow_csv.h"
#include "ow_pb.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

//  --------------------------------------------------------------------------
//  Day numbers

static bool
is_leap (int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month (int year, int month)
{
    static const int days [] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return month == 2 && is_leap (year) ? 29 : days [month - 1];
}

int
ow_date_from_ymd (int year, int month, int day)
{
    if (year < 1 || year > 9999 || month < 1 || month > 12
    ||  day < 1 || day > days_in_month (year, month))
        return OW_DATE_NONE;
    int y = month <= 2 ? year - 1 : year;
    int era = y / 400;
    int year_of_era = y - era * 400;
    int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

void
ow_date_to_ymd (int date, int *year, int *month, int *day)
{
    int z = date + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int day_of_era = z - era * 146097;
    int year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524
                       - day_of_era / 146096) / 365;
    int day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int mp = (5 * day_of_year + 2) / 153;
    *day = day_of_year - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = year_of_era + era * 400 + (*month <= 2);
}

int
ow_date_from_iso (const char *iso)
{
    if (!iso || strlen (iso) != 10 || iso [4] != '-' || iso [7] != '-')
        return OW_DATE_NONE;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit ((unsigned char) iso [i]))
            return OW_DATE_NONE;
    return ow_date_from_ymd (atoi (iso), atoi (iso + 5), atoi (iso + 8));
}

void
ow_date_to_iso (int date, char iso [11])
{
    if (date == OW_DATE_NONE) {
        iso [0] = '\0';
        return;
    }
    int year, month, day;
    ow_date_to_ymd (date, &year, &month, &day);
    snprintf (iso, 11, "%04u-%02u-%02u", (unsigned) year % 10000u,
              (unsigned) month % 100u, (unsigned) day % 100u);
}

int
ow_date_weekday (int date)
{
    //  1970-01-01 was a Thursday (3).
    int weekday = (date + 3) % 7;
    return weekday < 0 ? weekday + 7 : weekday;
}

int
ow_date_month_number (const char *word, size_t length)
{
    static const char *names [] = {
        "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december"
    };
    if (length < 3)
        return 0;
    for (int i = 0; i < 12; i++) {
        size_t full = strlen (names [i]);
        if (length == full && strncasecmp (word, names [i], full) == 0)
            return i + 1;
        //  Abbreviations: "Jul", "Sept", with or without a full stop after.
        if ((length == 3 || (length == 4 && i == 8))
        &&  strncasecmp (word, names [i], length) == 0)
            return i + 1;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Tokens

typedef enum {
    TOKEN_END, TOKEN_NUMBER, TOKEN_NUMERIC_DATE, TOKEN_MONTH, TOKEN_TO, TOKEN_AND, TOKEN_COMMA,
    TOKEN_SKIP, TOKEN_OTHER
} token_kind_t;

typedef struct {
    token_kind_t kind;
    int value;                  // number, or month 1-12
    size_t digits;              // for numbers
    int day, month, year;       // for numeric dates
    size_t start, end;
} token_t;

static bool
word_is (const char *word, size_t length, const char *what)
{
    return strlen (what) == length && strncasecmp (word, what, length) == 0;
}

static bool
is_weekday_name (const char *word, size_t length)
{
    static const char *names [] = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    };
    for (size_t i = 0; i < 7; i++)
        if (word_is (word, length, names [i]))
            return true;
    return false;
}

//  Length of the dash at text [pos], 0 when there is none. Documents
//  put any dash between two dates: hyphens, en and em dashes, the minus
//  sign, and box-drawing lines ("20 June 2017 \u2500 13 July 2017").
static size_t
dash_length (const char *text, size_t length, size_t pos)
{
    static const char *dashes [] = {
        "\xE2\x80\x90", "\xE2\x80\x91", "\xE2\x80\x92",    // U+2010-2012 hyphens, figure dash
        "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95",    // en, em dash, horizontal bar
        "\xE2\x88\x92",                                  // U+2212 minus
        "\xE2\x94\x80", "\xE2\x94\x81",                    // U+2500, U+2501 box drawing
        "\xE2\x8E\xAF",                                  // U+23AF horizontal line extension
        "\xEF\xB9\x98", "\xEF\xB9\xA3", "\xEF\xBC\x8D",    // small em dash, small and full-width hyphen
        NULL
    };
    if (text [pos] == '-')
        return 1;
    for (size_t i = 0; dashes [i]; i++)
        if (pos + 3 <= length && memcmp (text + pos, dashes [i], 3) == 0)
            return 3;
    return 0;
}

static token_t
next_token (const char *text, size_t length, size_t pos)
{
    token_t token = { .kind = TOKEN_END, .start = pos, .end = pos };
    while (pos < length && (isspace ((unsigned char) text [pos])
           || ((unsigned char) text [pos] == 0xC2 && pos + 1 < length
               && (unsigned char) text [pos + 1] == 0xA0)))
        pos += (unsigned char) text [pos] == 0xC2 ? 2 : 1;
    token.start = pos;
    if (pos >= length)
        return token;
    unsigned char c = (unsigned char) text [pos];
    if (isdigit (c)) {
        size_t end = pos;
        int value = 0;
        while (end < length && isdigit ((unsigned char) text [end]) && end - pos < 6)
            value = value * 10 + (text [end++] - '0');
        token.kind = TOKEN_NUMBER;
        token.value = value;
        token.digits = end - pos;
        //  Ordinal suffixes: 22nd, 1st, 3rd, 4th.
        if (end + 1 < length && isalpha ((unsigned char) text [end])
        &&  (strncasecmp (text + end, "st", 2) == 0 || strncasecmp (text + end, "nd", 2) == 0
          || strncasecmp (text + end, "rd", 2) == 0 || strncasecmp (text + end, "th", 2) == 0)
        &&  (end + 2 >= length || !isalpha ((unsigned char) text [end + 2])))
            end += 2;
        if (end < length && (isalpha ((unsigned char) text [end]) || isdigit ((unsigned char) text [end])))
            token.kind = TOKEN_OTHER;
        token.end = end;
        //  "12/09/2016", "1/06/2015": day, month, year (British order).
        if (end < length && text [end] == '/' && token.digits <= 2) {
            int month = 0, year = 0;
            size_t k = end + 1, digits = 0;
            while (k < length && isdigit ((unsigned char) text [k]) && digits < 2)
                month = month * 10 + (text [k++] - '0'), digits++;
            if (digits && k < length && text [k] == '/') {
                size_t year_start = ++k;
                while (k < length && isdigit ((unsigned char) text [k]) && k - year_start < 4)
                    year = year * 10 + (text [k++] - '0');
                if (k - year_start == 2)
                    year += 2000;
                if ((k - year_start == 2 || k - year_start == 4)
                &&  (k >= length || !isdigit ((unsigned char) text [k]))) {
                    token.kind = TOKEN_NUMERIC_DATE;
                    token.day = value;
                    token.month = month;
                    token.year = year;
                    token.end = k;
                }
            }
        }
    }
    else
    if (isalpha (c)) {
        size_t end = pos;
        while (end < length && isalpha ((unsigned char) text [end]))
            end++;
        const char *word = text + pos;
        size_t n = end - pos;
        token.end = end;
        if ((token.value = ow_date_month_number (word, n)) != 0) {
            token.kind = TOKEN_MONTH;
            if (n <= 4 && end < length && text [end] == '.')
                token.end = end + 1;
        }
        else
        if (word_is (word, n, "to") || word_is (word, n, "until") || word_is (word, n, "till")
        ||  word_is (word, n, "through"))
            token.kind = TOKEN_TO;
        else
        if (word_is (word, n, "and"))
            token.kind = TOKEN_AND;
        else
        if (word_is (word, n, "of") || is_weekday_name (word, n))
            token.kind = TOKEN_SKIP;
        else
            token.kind = TOKEN_OTHER;
    }
    else
    if (dash_length (text, length, pos)) {
        token.kind = TOKEN_TO;
        token.end = pos + dash_length (text, length, pos);
    }
    else
    if (c == ',' || c == '&') {
        token.kind = c == ',' ? TOKEN_COMMA : TOKEN_AND;
        token.end = pos + 1;
    }
    else {
        token.kind = TOKEN_OTHER;
        token.end = pos + 1;
        //  Step over a whole UTF-8 sequence.
        while (token.end < length && ((unsigned char) text [token.end] & 0xC0) == 0x80)
            token.end++;
    }
    return token;
}

//  --------------------------------------------------------------------------
//  Spans

#define MAX_PARTS 8

typedef struct {
    int day, month, year;       // 0: not printed
    token_kind_t joint;         // connective before the next part
    size_t start, end;
} part_t;

static bool
is_day (const token_t *t)
{
    return t->kind == TOKEN_NUMBER && t->digits <= 2 && t->value >= 1 && t->value <= 31;
}

static bool
is_numeric_date (const token_t *t)
{
    return t->kind == TOKEN_NUMERIC_DATE;
}

static bool
is_year (const token_t *t)
{
    return t->kind == TOKEN_NUMBER && t->digits == 4 && t->value >= 1900 && t->value <= 2200;
}

static token_t
next_significant (const char *text, size_t length, size_t pos)
{
    token_t t = next_token (text, length, pos);
    while (t.kind == TOKEN_SKIP)
        t = next_token (text, length, t.end);
    return t;
}

//  Reads partial dates from a day number at pos; returns how many.
static size_t
read_parts (const char *text, size_t length, size_t pos, part_t *parts)
{
    size_t count = 0;
    token_t t = next_significant (text, length, pos);
    while (count < MAX_PARTS && (is_day (&t) || is_numeric_date (&t))) {
        part_t *part = &parts [count++];
        memset (part, 0, sizeof *part);
        part->day = t.value;
        part->start = t.start;
        part->end = t.end;
        if (is_numeric_date (&t)) {
            part->day = t.day;
            part->month = t.month;
            part->year = t.year;
        }
        t = next_significant (text, length, t.end);
        if (part->year)
            ;   //  complete already
        else
        if (t.kind == TOKEN_MONTH) {
            part->month = t.value;
            part->end = t.end;
            t = next_significant (text, length, t.end);
            if (t.kind == TOKEN_COMMA) {
                token_t after = next_significant (text, length, t.end);
                if (is_year (&after))
                    t = after;
            }
            if (is_year (&t)) {
                part->year = t.value;
                part->end = t.end;
                t = next_significant (text, length, t.end);
            }
        }
        //  A connective joins this part to a next one only if a day follows.
        token_kind_t joint = t.kind;
        if (joint == TOKEN_COMMA) {
            token_t after = next_significant (text, length, t.end);
            if (after.kind == TOKEN_AND || after.kind == TOKEN_TO) {
                joint = after.kind;
                t = after;
            }
        }
        if (joint != TOKEN_TO && joint != TOKEN_AND && joint != TOKEN_COMMA)
            break;
        token_t after = next_significant (text, length, t.end);
        if (!is_day (&after) && !is_numeric_date (&after))
            break;
        part->joint = joint;
        t = after;
    }
    return count;
}

//  Lends months and years leftwards; drops trailing parts without them.
//  When `latest` is a date, a last part with a month but no year ("on 5
//  and 6 December", in a letter dated January) takes the year that puts
//  it on or before `latest`.
static size_t
complete_parts (part_t *parts, size_t count, int latest)
{
    if (latest != OW_DATE_NONE && count > 0 && parts [count - 1].month && !parts [count - 1].year) {
        int year, month, day;
        ow_date_to_ymd (latest, &year, &month, &day);
        part_t *last = &parts [count - 1];
        last->year = last->month > month || (last->month == month && last->day > day)
                   ? year - 1 : year;
    }
    while (count > 0 && (!parts [count - 1].month || !parts [count - 1].year))
        count--;
    for (size_t i = count; i-- > 1;) {
        part_t *part = &parts [i - 1];
        if (!part->month)
            part->month = parts [i].month;
        if (!part->year) {
            part->year = parts [i].year;
            //  "30 December to 3 January 2020": the December is 2019's.
            if (part->month > parts [i].month)
                part->year--;
        }
    }
    return count;
}

static bool
fill_span (part_t *parts, size_t count, ow_date_span_t *span)
{
    int dates [MAX_PARTS];
    bool any_to = false;
    for (size_t i = 0; i < count; i++) {
        dates [i] = ow_date_from_ymd (parts [i].year, parts [i].month, parts [i].day);
        if (dates [i] == OW_DATE_NONE)
            return false;
        if (i + 1 < count && parts [i].joint == TOKEN_TO)
            any_to = true;
    }
    memset (span, 0, sizeof *span);
    if (!any_to) {
        //  "22 and 23 October 2024", "1, 2 and 3 May": one block.
        span->block_start [0] = dates [0];
        span->block_end [0] = dates [count - 1];
        span->n_blocks = 1;
    }
    else
    for (size_t i = 0; i < count && span->n_blocks < OW_DATE_MAX_BLOCKS;) {
        span->block_start [span->n_blocks] = dates [i];
        if (i + 1 < count && parts [i].joint == TOKEN_TO) {
            span->block_end [span->n_blocks] = dates [i + 1];
            i += 2;
        }
        else {
            span->block_end [span->n_blocks] = dates [i];
            i += 1;
        }
        span->n_blocks++;
    }
    for (size_t b = 0; b < span->n_blocks; b++)
        if (span->block_end [b] < span->block_start [b])
            return false;
    span->start = span->block_start [0];
    span->end = span->block_end [span->n_blocks - 1];
    span->from = parts [0].start;
    span->to = parts [count - 1].end;
    return span->end >= span->start;
}

bool
ow_date_parse_span (const char *text, size_t length, size_t lead, ow_date_span_t *span)
{
    return ow_date_parse_span_before (text, length, lead, OW_DATE_NONE, span);
}

bool
ow_date_parse_span_before (const char *text, size_t length, size_t lead, int latest,
                           ow_date_span_t *span)
{
    if (!text)
        return false;
    size_t pos = 0;
    while (pos < length) {
        token_t t = next_token (text, length, pos);
        if (t.kind == TOKEN_END || t.start > lead)
            return false;
        if (is_day (&t) || is_numeric_date (&t)) {
            part_t parts [MAX_PARTS];
            size_t count = complete_parts (parts, read_parts (text, length, t.start, parts), latest);
            if (count > 0 && fill_span (parts, count, span))
                return true;
            //  Dates that make no span ("29 to 2 May") are not read again
            //  from the middle.
            if (count > 0) {
                pos = parts [count - 1].end;
                continue;
            }
        }
        pos = t.end;
    }
    return false;
}

int
ow_date_parse (const char *text, size_t length, size_t lead, size_t *to)
{
    size_t pos = 0;
    while (text && pos < length) {
        token_t t = next_token (text, length, pos);
        if (t.kind == TOKEN_END || t.start > lead)
            break;
        if (is_numeric_date (&t)) {
            int date = ow_date_from_ymd (t.year, t.month, t.day);
            if (date != OW_DATE_NONE) {
                if (to)
                    *to = t.end;
                return date;
            }
        }
        if (is_day (&t)) {
            token_t month = next_significant (text, length, t.end);
            token_t year = month.kind == TOKEN_MONTH
                ? next_significant (text, length, month.end) : month;
            if (year.kind == TOKEN_COMMA)
                year = next_significant (text, length, year.end);
            int date = month.kind == TOKEN_MONTH && is_year (&year)
                ? ow_date_from_ymd (year.value, month.value, t.value) : OW_DATE_NONE;
            if (date != OW_DATE_NONE) {
                if (to)
                    *to = year.end;
                return date;
            }
        }
        pos = t.end;
    }
    return OW_DATE_NONE;
}

bool
ow_date_parse_month (const char *text, size_t length, char out [8])
{
    token_t month = next_significant (text, length, 0);
    if (month.kind != TOKEN_MONTH)
        return false;
    token_t year = next_significant (text, length, month.end);
    if (!is_year (&year))
        return false;
    snprintf (out, 8, "%04u-%02u", (unsigned) year.value % 10000u,
              (unsigned) month.value % 100u);
    return true;
}

//  --------------------------------------------------------------------------
//  Bank holidays and working days

struct _ow_holidays_t {
    int *dates;                 // sorted
    size_t count;
    int first_year, last_year;
};

static int
compare_ints (const void *a, const void *b)
{
    int x = *(const int *) a, y = *(const int *) b;
    return (x > y) - (x < y);
}

ow_holidays_t *
ow_holidays_load (const char *data_dir, char **error)
{
    char *path = ow_printf ("%s/bank_holidays.csv", data_dir);
    ow_csv_t *csv = ow_csv_open (path, error);
    ow_holidays_t *self = NULL;
    if (csv) {
        self = ow_calloc (1, sizeof (ow_holidays_t));
        ow_csv_set_comment (csv, '#');
        size_t capacity = 0;
        while (ow_csv_next (csv)) {
            const char *field = ow_csv_field (csv, 0);
            if (strcmp (field, "date") == 0)
                continue;           //  header
            int date = ow_date_from_iso (field);
            if (date == OW_DATE_NONE) {
                *error = ow_printf ("%s line %zu: '%s' is not a date (YYYY-MM-DD)",
                                    path, ow_csv_line (csv), field);
                break;
            }
            if (self->count == capacity) {
                capacity = capacity ? capacity * 2 : 256;
                self->dates = realloc (self->dates, capacity * sizeof (int));
                if (!self->dates)
                    abort ();
            }
            self->dates [self->count++] = date;
        }
        if (!*error && ow_csv_error (csv))
            *error = ow_printf ("%s line %zu: %s", path, ow_csv_line (csv), ow_csv_error (csv));
        if (!*error && self->count == 0)
            *error = ow_printf ("%s lists no bank holidays", path);
        if (*error)
            ow_holidays_destroy (&self);
    }
    if (self) {
        qsort (self->dates, self->count, sizeof (int), compare_ints);
        int month, day;
        ow_date_to_ymd (self->dates [0], &self->first_year, &month, &day);
        ow_date_to_ymd (self->dates [self->count - 1], &self->last_year, &month, &day);
    }
    ow_csv_destroy (&csv);
    free (path);
    return self;
}

void
ow_holidays_destroy (ow_holidays_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free ((*self_p)->dates);
    free (*self_p);
    *self_p = NULL;
}

bool
ow_holidays_contains (const ow_holidays_t *self, int date)
{
    return self && bsearch (&date, self->dates, self->count, sizeof (int), compare_ints);
}

int
ow_holidays_first_year (const ow_holidays_t *self)
{
    return self ? self->first_year : 0;
}

int
ow_holidays_last_year (const ow_holidays_t *self)
{
    return self ? self->last_year : 0;
}

bool
ow_date_is_working_day (const ow_holidays_t *holidays, int date)
{
    return ow_date_weekday (date) < 5 && !ow_holidays_contains (holidays, date);
}

int
ow_date_add_working_days (const ow_holidays_t *holidays, int date, int count)
{
    if (date == OW_DATE_NONE)
        return OW_DATE_NONE;
    int step = count < 0 ? -1 : 1;
    for (int left = abs (count); left > 0;) {
        date += step;
        if (ow_date_is_working_day (holidays, date))
            left--;
    }
    return date;
}
