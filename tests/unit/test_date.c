/*  test_date — printed dates and spans, day arithmetic, bank holidays and
    working-day deadlines.
*/

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ow_date.h"

static const char *
data_dir (void)
{
    const char *dir = getenv ("OFWATCH_DATA");
    return dir && *dir ? dir : OW_DEFAULT_DATA_DIR;
}

static const char *
iso (int date)
{
    static char buffer [4][11];
    static int next;
    char *out = buffer [next++ % 4];
    ow_date_to_iso (date, out);
    return out;
}

//  Parses text as a span and checks start and end (NULL: no span).
static void
assert_span (const char *text, const char *start, const char *end)
{
    ow_date_span_t span;
    bool found = ow_date_parse_span (text, strlen (text), 64, &span);
    if (!start) {
        if (found)
            fail_msg ("'%s' gave %s..%s, expected nothing", text, iso (span.start), iso (span.end));
        return;
    }
    if (!found)
        fail_msg ("'%s' gave nothing, expected %s..%s", text, start, end);
    if (strcmp (iso (span.start), start) || strcmp (iso (span.end), end))
        fail_msg ("'%s' gave %s..%s, expected %s..%s", text,
                  iso (span.start), iso (span.end), start, end);
}

static void
test_day_numbers (void **state)
{
    (void) state;
    assert_int_equal (ow_date_from_ymd (1970, 1, 1), 0);
    assert_int_equal (ow_date_from_iso ("2000-03-01"), ow_date_from_iso ("2000-02-29") + 1);
    assert_int_equal (ow_date_from_ymd (2023, 2, 29), OW_DATE_NONE);
    assert_int_equal (ow_date_from_ymd (2024, 13, 1), OW_DATE_NONE);
    assert_int_equal (ow_date_from_iso ("2024-1-01"), OW_DATE_NONE);
    assert_int_equal (ow_date_from_iso (NULL), OW_DATE_NONE);
    assert_string_equal (iso (ow_date_from_iso ("2014-06-30")), "2014-06-30");
    assert_string_equal (iso (OW_DATE_NONE), "");
    //  30 June 2014 was a Monday, 4 December 2024 a Wednesday.
    assert_int_equal (ow_date_weekday (ow_date_from_iso ("2014-06-30")), 0);
    assert_int_equal (ow_date_weekday (ow_date_from_iso ("2024-12-04")), 2);
    for (int d = ow_date_from_iso ("1999-01-01"); d < ow_date_from_iso ("2031-01-01"); d++) {
        int y, m, dd;
        ow_date_to_ymd (d, &y, &m, &dd);
        assert_int_equal (ow_date_from_ymd (y, m, dd), d);
    }
}

static void
test_month_names (void **state)
{
    (void) state;
    assert_int_equal (ow_date_month_number ("July", 4), 7);
    assert_int_equal (ow_date_month_number ("jul", 3), 7);
    assert_int_equal (ow_date_month_number ("Sept", 4), 9);
    assert_int_equal (ow_date_month_number ("SEPTEMBER", 9), 9);
    assert_int_equal (ow_date_month_number ("Mayor", 5), 0);
    assert_int_equal (ow_date_month_number ("Ma", 2), 0);
}

static void
test_single_dates (void **state)
{
    (void) state;
    const char *text = "Report published: 30 June 2014. More";
    size_t to = 0;
    assert_string_equal (iso (ow_date_parse (text, strlen (text), 40, &to)), "2014-06-30");
    assert_int_equal (to, strlen ("Report published: 30 June 2014"));
    text = "4th December 2024";
    assert_string_equal (iso (ow_date_parse (text, strlen (text), 0, NULL)), "2024-12-04");
    text = "Monday 7 October, 2014";
    assert_string_equal (iso (ow_date_parse (text, strlen (text), 10, NULL)), "2014-10-07");
    text = "Report published: 25/11/2016";
    assert_string_equal (iso (ow_date_parse (text, strlen (text), 40, NULL)), "2016-11-25");
    text = "page 2 of 30 June";
    assert_int_equal (ow_date_parse (text, strlen (text), 40, NULL), OW_DATE_NONE);
    text = "31 February 2020";
    assert_int_equal (ow_date_parse (text, strlen (text), 40, NULL), OW_DATE_NONE);
    text = "a long lead before 30 June 2014";
    assert_int_equal (ow_date_parse (text, strlen (text), 5, NULL), OW_DATE_NONE);
}

static void
test_printed_spans (void **state)
{
    (void) state;
    assert_span ("22 and 23 October 2024", "2024-10-22", "2024-10-23");
    assert_span ("on 22 and 23 October 2024. This was the fifth", "2024-10-22", "2024-10-23");
    assert_span ("18 July 2022 to 29 July 2022", "2022-07-18", "2022-07-29");
    assert_span ("Inspection dates: 18 to 29 July 2022", "2022-07-18", "2022-07-29");
    assert_span ("2 to 13 May 2016", "2016-05-02", "2016-05-13");
    assert_span ("30 June 2014", "2014-06-30", "2014-06-30");
    assert_span ("Inspection dates: 30 June 2014", "2014-06-30", "2014-06-30");
    assert_span ("Inspection date: 6 July 2015 – 30 July 2015", "2015-07-06", "2015-07-30");
    assert_span ("8 – 12 July 2013", "2013-07-08", "2013-07-12");
    assert_span ("10-12 August 2020", "2020-08-10", "2020-08-12");
    assert_span ("23 September 2019 to 4 October 2019", "2019-09-23", "2019-10-04");
    assert_span ("30 September to 4 October 2019", "2019-09-30", "2019-10-04");
    assert_span ("30 December 2019 to 3 January 2020", "2019-12-30", "2020-01-03");
    assert_span ("30 December to 3 January 2020", "2019-12-30", "2020-01-03");
    assert_span ("Monday 2 to Friday 13 May 2016", "2016-05-02", "2016-05-13");
    assert_span ("22nd and 23rd of October 2024", "2024-10-22", "2024-10-23");
    assert_span ("Inspection date: 12/09/2016 to 06/10/2016", "2016-09-12", "2016-10-06");
    assert_span ("Inspection date: 1/06/2015 – 25/06/2015", "2015-06-01", "2015-06-25");
    //  Any dash or hyphen between two dates: box drawing, minus, figure
    //  dash, horizontal bar, non-breaking hyphen; and "through".
    assert_span ("Inspection date: 20 June 2017 \xE2\x94\x80 13 July 2017", "2017-06-20", "2017-07-13");
    assert_span ("20 June 2017 \xE2\x94\x81 13 July 2017", "2017-06-20", "2017-07-13");
    assert_span ("20 June 2017 \xE2\x88\x92 13 July 2017", "2017-06-20", "2017-07-13");
    assert_span ("20\xE2\x80\x92" "23 June 2017", "2017-06-20", "2017-06-23");
    assert_span ("20 \xE2\x80\x95 23 June 2017", "2017-06-20", "2017-06-23");
    assert_span ("20\xE2\x80\x91" "23 June 2017", "2017-06-20", "2017-06-23");
    assert_span ("20 June through 3 July 2017", "2017-06-20", "2017-07-03");
    //  The forms focused-visit letters print.
    assert_span ("on the 15 and 16 of May 2018", "2018-05-15", "2018-05-16");
    assert_span ("on 15, 16 and 21 July 2025", "2025-07-15", "2025-07-21");
    assert_span ("between 20 and 22 October 2020", "2020-10-20", "2020-10-22");
    assert_span ("nothing here", NULL, NULL);
    assert_span ("13 May", NULL, NULL);
    assert_span ("29 to 2 May 2016", NULL, NULL);
    assert_span ("", NULL, NULL);
}

//  A span printed without its year, read against a later date.
static void
test_spans_without_their_year (void **state)
{
    (void) state;
    static const struct { const char *text, *latest, *start, *end; } cases [] = {
        { "on 7 and 8 December", "2022-01-12", "2021-12-07", "2021-12-08" },
        { "on 2 and 3 July", "2024-07-30", "2024-07-02", "2024-07-03" },
        { "on 30 July", "2024-07-30", "2024-07-30", "2024-07-30" },
        { "on 31 July", "2024-07-30", "2023-07-31", "2023-07-31" },
        { "from 30 December to 3 January", "2020-02-01", "2019-12-30", "2020-01-03" },
        //  A printed year is never replaced.
        { "on 7 and 8 December 2020", "2022-01-12", "2020-12-07", "2020-12-08" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        ow_date_span_t span;
        const char *text = cases [i].text;
        assert_true (ow_date_parse_span_before (text, strlen (text), 64,
                                                ow_date_from_iso (cases [i].latest), &span));
        assert_string_equal (iso (span.start), cases [i].start);
        assert_string_equal (iso (span.end), cases [i].end);
    }
    //  Without a date to read it against, a span needs its year.
    ow_date_span_t span;
    assert_false (ow_date_parse_span_before ("on 7 and 8 December", 19, 64, OW_DATE_NONE, &span));
}

static void
test_split_fieldwork (void **state)
{
    (void) state;
    const char *text = "8 July 2019 to 12 July 2019 and 7 August 2019 to 8 August 2019";
    ow_date_span_t span;
    assert_true (ow_date_parse_span (text, strlen (text), 0, &span));
    assert_int_equal (span.n_blocks, 2);
    assert_string_equal (iso (span.start), "2019-07-08");
    assert_string_equal (iso (span.end), "2019-08-08");
    assert_string_equal (iso (span.block_end [0]), "2019-07-12");
    assert_string_equal (iso (span.block_start [1]), "2019-08-07");
    assert_int_equal (span.from, 0);
    assert_int_equal (span.to, strlen (text));
}

static void
test_month_and_year (void **state)
{
    (void) state;
    char out [8];
    assert_true (ow_date_parse_month ("July 2022.", 10, out));
    assert_string_equal (out, "2022-07");
    assert_false (ow_date_parse_month ("July", 4, out));
    assert_false (ow_date_parse_month ("in July 2022", 12, out));
}

static void
test_bank_holidays (void **state)
{
    (void) state;
    char *error = NULL;
    ow_holidays_t *holidays = ow_holidays_load (data_dir (), &error);
    if (!holidays)
        fail_msg ("cannot load bank holidays: %s", error);
    assert_int_equal (ow_holidays_first_year (holidays), 2009);
    assert_int_equal (ow_holidays_last_year (holidays), 2030);
    const char *special [] = {
        "2011-04-29", "2012-06-04", "2012-06-05", "2020-05-08", "2022-06-02",
        "2022-06-03", "2022-09-19", "2023-05-08", "2014-08-25",
        "2010-12-27", "2010-12-28", "2021-12-27", "2021-12-28", "2022-01-03",
        "2016-12-27", "2015-12-28", "2020-12-28", NULL
    };
    for (size_t i = 0; special [i]; i++)
        if (!ow_holidays_contains (holidays, ow_date_from_iso (special [i])))
            fail_msg ("%s should be a bank holiday", special [i]);
    //  Moved, not added: the usual days of 2012, 2020 and 2022.
    assert_false (ow_holidays_contains (holidays, ow_date_from_iso ("2012-05-28")));
    assert_false (ow_holidays_contains (holidays, ow_date_from_iso ("2020-05-04")));
    assert_false (ow_holidays_contains (holidays, ow_date_from_iso ("2022-05-30")));
    assert_false (ow_date_is_working_day (holidays, ow_date_from_iso ("2024-12-07")));
    assert_true (ow_date_is_working_day (holidays, ow_date_from_iso ("2024-12-04")));
    ow_holidays_destroy (&holidays);
    assert_null (holidays);
}

static void
test_action_plan_deadline (void **state)
{
    (void) state;
    char *error = NULL;
    ow_holidays_t *holidays = ow_holidays_load (data_dir (), &error);
    assert_non_null (holidays);
    //  Seed 001: a report published 30 June 2014 has its action plan due
    //  7 October 2014, 70 working days on (the August bank holiday skipped).
    int due = ow_date_add_working_days (holidays, ow_date_from_iso ("2014-06-30"), 70);
    assert_string_equal (iso (due), "2014-10-07");
    //  Without bank holidays the count lands a day earlier.
    due = ow_date_add_working_days (NULL, ow_date_from_iso ("2014-06-30"), 70);
    assert_string_equal (iso (due), "2014-10-06");
    //  A Friday plus one working day is the Monday; over Christmas 2022
    //  (substitute days 26-27 Dec, 2 Jan) five working days take till 4 Jan.
    assert_string_equal (iso (ow_date_add_working_days (holidays, ow_date_from_iso ("2024-12-06"), 1)), "2024-12-09");
    assert_string_equal (iso (ow_date_add_working_days (holidays, ow_date_from_iso ("2022-12-23"), 5)), "2023-01-04");
    assert_string_equal (iso (ow_date_add_working_days (holidays, ow_date_from_iso ("2024-12-04"), 0)), "2024-12-04");
    assert_int_equal (ow_date_add_working_days (holidays, OW_DATE_NONE, 5), OW_DATE_NONE);
    ow_holidays_destroy (&holidays);
}

static void
test_missing_holiday_file (void **state)
{
    (void) state;
    char *error = NULL;
    assert_null (ow_holidays_load ("/nonexistent", &error));
    assert_non_null (strstr (error, "bank_holidays.csv"));
    free (error);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_day_numbers),
        cmocka_unit_test (test_month_names),
        cmocka_unit_test (test_single_dates),
        cmocka_unit_test (test_printed_spans),
        cmocka_unit_test (test_spans_without_their_year),
        cmocka_unit_test (test_split_fieldwork),
        cmocka_unit_test (test_month_and_year),
        cmocka_unit_test (test_bank_holidays),
        cmocka_unit_test (test_action_plan_deadline),
        cmocka_unit_test (test_missing_holiday_file),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
