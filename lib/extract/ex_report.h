/*  ex_report — Ofsted inspection reports of every era.

    - ILACS (2018 on): "Inspection of X local authority children's
      services", a judgement table (leaders, help and protection, children
      in care and care leavers, split in 2023 into children in care and
      care leavers, overall), "What needs to improve" bullets. Short or
      standard is read from the fieldwork's length (CONTRACTS.md 5).
    - SIF (2013-2017) and SIF re-inspections: numbered judgements (help
      and protection, looked after, adoption, care leavers, leadership),
      "Children's services in X are ...", the LSCB's grade, numbered
      recommendations.
    - SLAC (2009-2013): "Inspection of (safeguarding and) looked after
      children services", the "Record of main findings" table, "Areas for
      improvement" bullets.
    - LSCB reviews on their own.

    One parser reads them all: the eras differ in labels and tables, which
    are data here, not in how a date, a name or a list is read.
*/
#ifndef EX_REPORT_H
#define EX_REPORT_H

#include "ex_doc.h"

typedef enum {
    EX_ERA_ILACS, EX_ERA_SIF, EX_ERA_SIF_REINSPECTION, EX_ERA_SLAC, EX_ERA_LSCB
} ex_era_t;

//  Parses an inspection report; false (and doc->error) when it cannot.
bool ex_report_parse (ex_doc_t *doc, ex_era_t era);

#endif
