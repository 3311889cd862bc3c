/*  ow_date — calendar dates as documents print them, and working days.

    Inspection documents print dates for people: "22 and 23 October 2024",
    "18 July 2022 to 29 July 2022", "2 to 13 May 2016", "8 – 12 July 2013",
    "20 June 2017 ─ 13 July 2017" (any dash or hyphen between dates),
    "Inspection dates: 30 June 2014". This module turns them into ISO dates
    and day numbers, and counts working days (Monday to Friday, England and
    Wales bank holidays excluded) for statutory deadlines such as the
    written statement of action, due 70 working days after a report is
    published. Day numbers count days from 1970-01-01 (proleptic Gregorian)
    so arithmetic is plain integer arithmetic.
*/
#ifndef OW_DATE_H
#define OW_DATE_H

#include <stdbool.h>
#include <stddef.h>

#define OW_DATE_NONE (-2147483647 - 1)     // "no date"
#define OW_DATE_MAX_BLOCKS 4

//  Day number for a calendar date; OW_DATE_NONE if it does not exist.
int ow_date_from_ymd (int year, int month, int day);
void ow_date_to_ymd (int date, int *year, int *month, int *day);

//  "2014-06-30" <-> day number. from_iso gives OW_DATE_NONE for anything
//  else; to_iso writes 11 bytes (an empty string for OW_DATE_NONE).
int ow_date_from_iso (const char *iso);
void ow_date_to_iso (int date, char iso [11]);

//  0 Monday ... 6 Sunday.
int ow_date_weekday (int date);

//  Month number for an English month name or its usual abbreviation
//  ("July", "jul", "Sept"), given its length; 0 when it is not one.
int ow_date_month_number (const char *word, size_t length);

//  A printed span: fieldwork can be split into blocks ("8 July 2019 to 12
//  July 2019 and 7 August 2019 to 8 August 2019"); start is the first
//  block's start, end the last block's end. A single date is a span of one
//  day. `from` and `to` are the byte span of the dates in the text parsed.
typedef struct {
    int start, end;
    size_t n_blocks;
    int block_start [OW_DATE_MAX_BLOCKS];
    int block_end [OW_DATE_MAX_BLOCKS];
    size_t from, to;
} ow_date_span_t;

//  Parses the first printed date or span in text [0, length), skipping
//  words before it ("Inspection dates:") but no more than `lead` bytes of
//  them. Dates must carry a year, in full or shared ("2 to 13 May 2016").
//  False when there is none.
bool ow_date_parse_span (const char *text, size_t length, size_t lead, ow_date_span_t *span);

//  As ow_date_parse_span, but a span printed without its year ("on 5 and
//  6 December", in a letter whose date gives the year) is read as the
//  latest such days on or before `latest` (a day number). OW_DATE_NONE:
//  a year is needed, as in ow_date_parse_span.
bool ow_date_parse_span_before (const char *text, size_t length, size_t lead, int latest,
                                ow_date_span_t *span);

//  Parses the first full date ("30 June 2014", "4th December 2024") found
//  within `lead` bytes of the start of text; OW_DATE_NONE when there is
//  none. *to (when not NULL) is set past its last character.
int ow_date_parse (const char *text, size_t length, size_t lead, size_t *to);

//  Parses a month and year at the start of text ("July 2022") into
//  "2022-07" (8 bytes); false when text does not start with one.
bool ow_date_parse_month (const char *text, size_t length, char out [8]);

//  Bank holidays, loaded from bank_holidays.csv (date,name per line).
typedef struct _ow_holidays_t ow_holidays_t;

//  From data_dir/bank_holidays.csv. NULL and *error (caller frees) when the
//  file is missing or a line is not a date.
ow_holidays_t *ow_holidays_load (const char *data_dir, char **error);
void ow_holidays_destroy (ow_holidays_t **self_p);

bool ow_holidays_contains (const ow_holidays_t *self, int date);

//  First and last year the table covers: working days outside it are
//  counted without bank holidays, so callers can warn.
int ow_holidays_first_year (const ow_holidays_t *self);
int ow_holidays_last_year (const ow_holidays_t *self);

//  True for Monday to Friday days that are not bank holidays.
bool ow_date_is_working_day (const ow_holidays_t *holidays, int date);

//  The date `count` working days after `date` (the day itself does not
//  count), with holidays NULL meaning weekends only.
int ow_date_add_working_days (const ow_holidays_t *holidays, int date, int count);

#endif
