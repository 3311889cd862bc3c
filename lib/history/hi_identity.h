/*  hi_identity — which inspection a document means, and whose word counts.

    Many documents speak of one inspection: Ofsted's report, a row of a
    records feed, a council's cabinet paper ("judged inadequate in July
    2022"), the next monitoring letter. They are one inspection when a
    reader would say so:

    - the same authority and the same kind family (a paper's "ILACS" is
      the report's short or standard inspection; a SEND monitoring
      inspection is not the full one);
    - and the dates agree at the precision both know: fieldwork that
      overlaps; a month (a date known only to the month, "2022-07") that
      falls within the other's fieldwork months; else the same visit
      number; else, for a document that reports only its own publication,
      the same publication date.

    A statement that names no date, month or visit number names no
    inspection: from a council's paper it is dropped (with a warning),
    since a paper's date is not the inspection's.

    Whose word counts, fact by fact: Ofsted's own document (a report or a
    letter about its own inspection or visit) over a records feed (the
    community's summary of Ofsted's reports) over a council's paper; at
    equal rank the later publication, then the document's SHA-256, so
    that the facts never depend on the order documents arrive in. A day
    beats a month whatever its source: it is more precise, not contrary.
    A kind that says short or standard beats one that does not.
*/
#ifndef HI_IDENTITY_H
#define HI_IDENTITY_H

#include "ow_pb.h"

#include <stdbool.h>

//  Ranks of sources, highest first.
#define HI_RANK_OFSTED   3
#define HI_RANK_RECORDS  2
#define HI_RANK_COUNCIL  1
#define HI_RANK_OTHER    0

//  The kind family inspections share an identity in: "ilacs" for the
//  three ILACS kinds, the kind's own word otherwise; NULL for no kind.
const char *hi_family (Ofwatch__V1__InspectionKind kind);

//  How much a document's word counts (HI_RANK_*).
int hi_rank (Ofwatch__V1__DocKind doc_kind);

//  Whose word counts: the source of a statement.
typedef struct {
    int rank;
    int published;                  // the statement's publication day, or OW_DATE_NONE
    const char *sha256;             // the document's
} hi_source_t;

//  > 0 when a's word counts over b's, < 0 when b's does, 0 for one source.
int hi_source_compare (const hi_source_t *a, const hi_source_t *b);

//  An ISO date or month ("2022-07-18", "2022-07"): its day (the month's
//  first for a month) and whether only the month is known. False, leaving
//  both alone, for anything else.
bool hi_date_parse (const char *text, int *day, bool *month);

//  What a statement or a stored inspection says of when it was.
typedef struct {
    const char *family;
    int start;                      // OW_DATE_NONE when not known
    bool start_month;
    int end;
    int visit_number;               // 0 when not known
    int published;
} hi_when_t;

//  Whether a statement (incoming) and a stored inspection (existing) of
//  the same authority are one inspection, by the rules above.
bool hi_same_inspection (const hi_when_t *incoming, const hi_when_t *existing);

//  Whether a statement names an inspection at all, coming from a source
//  of that rank.
bool hi_names_inspection (const hi_when_t *when, int rank);

//  The identity a new inspection row is created under (caller frees):
//  authority, family and the first known of start (day or month), visit
//  number and publication. It names the row and never changes.
char *hi_identity (const char *authority, const hi_when_t *when);

#endif
