/*  hi_identity — which inspection a document means, and whose word
    counts; see hi_identity.h.
*/

#include "hi_identity.h"
#include "ow_date.h"
#include "ow_vocab.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *
hi_family (Ofwatch__V1__InspectionKind kind)
{
    switch (kind) {
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_STANDARD:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS_SHORT:
        case OFWATCH__V1__INSPECTION_KIND__INSPECTION_KIND_ILACS:
            return "ilacs";
        default:
            return ow_kind_word (kind);
    }
}

int
hi_rank (Ofwatch__V1__DocKind doc_kind)
{
    switch (doc_kind) {
        case OFWATCH__V1__DOC_KIND__DOC_KIND_INSPECTION_REPORT:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_LSCB_REVIEW:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_MONITORING_LETTER:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_FOCUSED_VISIT_LETTER:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_JTAI_LETTER:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_AREA_SEND_REPORT:
            return HI_RANK_OFSTED;
        case OFWATCH__V1__DOC_KIND__DOC_KIND_RECORDS:
            return HI_RANK_RECORDS;
        case OFWATCH__V1__DOC_KIND__DOC_KIND_COUNCIL_REPORT:
        case OFWATCH__V1__DOC_KIND__DOC_KIND_COUNCIL_MINUTES:
            return HI_RANK_COUNCIL;
        default:
            return HI_RANK_OTHER;
    }
}

int
hi_source_compare (const hi_source_t *a, const hi_source_t *b)
{
    if (a->rank != b->rank)
        return a->rank > b->rank ? 1 : -1;
    if (a->published != b->published) {
        //  A known date is later than none.
        if (a->published == OW_DATE_NONE)
            return -1;
        if (b->published == OW_DATE_NONE)
            return 1;
        return a->published > b->published ? 1 : -1;
    }
    //  Any fixed order will do, as long as it is the documents' own.
    int order = strcmp (a->sha256 ? a->sha256 : "", b->sha256 ? b->sha256 : "");
    return order < 0 ? 1 : order > 0 ? -1 : 0;
}

bool
hi_date_parse (const char *text, int *day, bool *month)
{
    if (!text || !*text)
        return false;
    int date = ow_date_from_iso (text);
    if (date != OW_DATE_NONE) {
        *day = date;
        *month = false;
        return true;
    }
    //  "YYYY-MM": ISO 8601's reduced precision.
    if (strlen (text) != 7 || text [4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && !isdigit ((unsigned char) text [i]))
            return false;
    int first = ow_date_from_ymd (atoi (text), atoi (text + 5), 1);
    if (first == OW_DATE_NONE)
        return false;
    *day = first;
    *month = true;
    return true;
}

static int
month_index (int day)
{
    int year, month, mday;
    ow_date_to_ymd (day, &year, &month, &mday);
    return year * 12 + month - 1;
}

//  The last day of fieldwork: its end when known and not before its start.
static int
last_day (const hi_when_t *when)
{
    return when->end != OW_DATE_NONE && when->end >= when->start ? when->end : when->start;
}

//  Both starts are known: fieldwork overlaps, or a month falls within the
//  other's fieldwork months.
static bool
same_time (const hi_when_t *a, const hi_when_t *b)
{
    if (!a->start_month && !b->start_month)
        return a->start <= last_day (b) && b->start <= last_day (a);
    if (a->start_month && b->start_month)
        return a->start == b->start;
    const hi_when_t *month = a->start_month ? a : b;
    const hi_when_t *dated = a->start_month ? b : a;
    int m = month_index (month->start);
    return month_index (dated->start) <= m && m <= month_index (last_day (dated));
}

bool
hi_same_inspection (const hi_when_t *incoming, const hi_when_t *existing)
{
    if (!incoming->family || !existing->family || strcmp (incoming->family, existing->family))
        return false;
    if (incoming->start != OW_DATE_NONE && existing->start != OW_DATE_NONE)
        return same_time (incoming, existing);
    if (incoming->visit_number > 0 && existing->visit_number > 0) {
        //  A paper reports a visit that happened before it.
        if (incoming->start == OW_DATE_NONE && existing->start != OW_DATE_NONE
            && incoming->published != OW_DATE_NONE && existing->start > incoming->published)
            return false;
        return incoming->visit_number == existing->visit_number;
    }
    if (incoming->start == OW_DATE_NONE && incoming->visit_number == 0)
        return incoming->published != OW_DATE_NONE && incoming->published == existing->published;
    return false;
}

bool
hi_names_inspection (const hi_when_t *when, int rank)
{
    if (when->start != OW_DATE_NONE || when->visit_number > 0)
        return true;
    //  A report or a feed's row is about its own inspection, published
    //  that day; a council's paper is not published with what it reports.
    return rank >= HI_RANK_RECORDS && when->published != OW_DATE_NONE;
}

char *
hi_identity (const char *authority, const hi_when_t *when)
{
    const char *family = when->family ? when->family : "unknown";
    char iso [11];
    if (when->start != OW_DATE_NONE) {
        ow_date_to_iso (when->start, iso);
        if (when->start_month)
            iso [7] = 0;
        return ow_printf ("%s/%s/%s", authority, family, iso);
    }
    if (when->visit_number > 0)
        return ow_printf ("%s/%s/visit-%d", authority, family, when->visit_number);
    ow_date_to_iso (when->published, iso);
    return ow_printf ("%s/%s/published-%s", authority, family, *iso ? iso : "unknown");
}
