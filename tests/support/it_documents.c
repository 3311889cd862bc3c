/*  it_documents — generated documents; see it_documents.h.

    The letters and reports follow the shapes of the real ones closely
    enough for lib/extract: a monitoring letter names the authority and
    its fieldwork dates in its first sentence; a report prints its
    inspection dates, lead inspector, judgement table and publication
    date.
*/

#include "it_documents.h"
#include "ow_pb.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

static const char *s_authorities [] = {
    "Herefordshire", "St Helens", "Leeds", "Birmingham", "Kent",
    "Norfolk", "Manchester", "Bristol", "Cornwall", "Hampshire",
};
#define AUTHORITY_COUNT (sizeof s_authorities / sizeof s_authorities [0])

static const char *s_grades [] = {
    "Outstanding", "Good", "Requires improvement to be good", "Inadequate",
};

static const char *s_months [] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
};

//  "3 March 2019" for 1 January 2018 plus `days`.
static void
date_text (unsigned days, char *text, size_t size)
{
    struct tm date = { .tm_year = 118, .tm_mon = 0, .tm_mday = 1 + (int) days, .tm_hour = 12 };
    timegm (&date);             // normalises the day into month and year
    snprintf (text, size, "%d %s %d", date.tm_mday, s_months [date.tm_mon],
              date.tm_year + 1900);
}

int
it_document_is_report (unsigned n, unsigned report_every)
{
    return report_every > 0 && n % report_every == report_every - 1;
}

static char *
letter (unsigned n, const char *authority, const char *nonce)
{
    char start [32], end [32];
    date_text (n, start, sizeof start);
    date_text (n + 1, end, sizeof end);
    return ow_printf ("Monitoring visit to %s children's services\n\n"
                      "This letter summarises the findings of the monitoring visit to %s"
                      " children's services on %s to %s.\n\n"
                      "Reference %u-%s\n", authority, authority, start, end, n, nonce);
}

static char *
report (unsigned n, const char *authority, const char *nonce)
{
    char start [32], end [32], published [32];
    date_text (n, start, sizeof start);
    date_text (n + 11, end, sizeof end);
    date_text (n + 40, published, sizeof published);
    const char *leaders = s_grades [n % 4];
    const char *help = s_grades [(n / 4) % 4];
    const char *care = s_grades [(n / 16) % 4];
    const char *overall = s_grades [(n / 2) % 4];
    return ow_printf ("%s Council\nInspection of children's social care services\n\n"
                      "Inspection dates: %s to %s\n\n"
                      "Lead inspector: Lisa Summers, Her Majesty's Inspector\n\n"
                      "Judgement    Grade\n"
                      "The impact of leaders on social work practice with children and"
                      " families    %s\n"
                      "The experiences and progress of children who need help and"
                      " protection    %s\n"
                      "The experiences and progress of children in care and care"
                      " leavers    %s\n"
                      "Overall effectiveness    %s\n\n"
                      "Published %s\n\nReference %u-%s\n",
                      authority, start, end, leaders, help, care, overall, published, n, nonce);
}

char *
it_document (unsigned n, unsigned report_every, const char *nonce, char **file_name)
{
    bool is_report = it_document_is_report (n, report_every);
    //  Reports spread over the authorities as letters do.
    const char *authority = s_authorities [(is_report ? n / report_every : n) % AUTHORITY_COUNT];
    *file_name = ow_printf ("generated-%s-%u.txt", is_report ? "report" : "letter", n);
    return is_report ? report (n, authority, nonce) : letter (n, authority, nonce);
}
