-- What each document says of each inspection it reports, kept beside the
-- inspection, so that the inspection's facts are chosen fact by fact by
-- whose word counts (lib/history/hi_identity.h: Ofsted's own document over
-- a records feed over a council's paper, a day over a month) whatever
-- order the documents arrive in. Also: dates known only to the month, the
-- kind family inspections are matched in, and area SEND inspections'
-- outcome, next inspection and previous inspection's dates.

ALTER TABLE inspection
    ADD COLUMN family              text,
    ADD COLUMN start_precision     text NOT NULL DEFAULT 'day'
                                   CHECK (start_precision IN ('day', 'month')),
    ADD COLUMN outcome             text,
    ADD COLUMN next_inspection     text,
    ADD COLUMN previous_start_date date,
    ADD COLUMN previous_end_date   date;

-- As hi_family () names them.
UPDATE inspection SET family = CASE WHEN kind IN ('ilacs_standard', 'ilacs_short', 'ilacs')
                                    THEN 'ilacs' ELSE kind END;
ALTER TABLE inspection ALTER COLUMN family SET NOT NULL;
CREATE INDEX inspection_by_family ON inspection (authority, family);

-- A statement: one document's word on one inspection. `rank` is the
-- source's (HI_RANK_*), published_on the statement's own (a feed's row
-- has its own, a council's paper none).
ALTER TABLE document_inspection
    ADD COLUMN rank                smallint NOT NULL DEFAULT 0,
    ADD COLUMN kind                text,
    ADD COLUMN start_date          date,
    ADD COLUMN start_precision     text,
    ADD COLUMN end_date            date,
    ADD COLUMN published_on        date,
    ADD COLUMN visit_number        int,
    ADD COLUMN lead_inspector      text,
    ADD COLUMN inspectors          text[],
    ADD COLUMN inadequate_since    text,
    ADD COLUMN outcome             text,
    ADD COLUMN next_inspection     text,
    ADD COLUMN previous_start_date date,
    ADD COLUMN previous_end_date   date;
CREATE INDEX document_inspection_by_inspection ON document_inspection (inspection_id);

-- Statements for what was written before: each document's rank as
-- hi_rank () gives it, and the facts of the document that established
-- each inspection (what the others said was not kept).
UPDATE document_inspection di SET rank = CASE
        WHEN d.doc_kind IN ('inspection_report', 'lscb_review', 'monitoring_letter',
                            'focused_visit_letter', 'jtai_letter', 'area_send_report') THEN 3
        WHEN d.doc_kind = 'records' THEN 2
        WHEN d.doc_kind IN ('council_report', 'council_minutes') THEN 1
        ELSE 0 END
    FROM document d WHERE d.id = di.document_id;
UPDATE document_inspection di SET
        kind = i.kind, start_date = i.start_date, start_precision = i.start_precision,
        end_date = i.end_date, published_on = i.published_on, visit_number = i.visit_number,
        lead_inspector = i.lead_inspector, inspectors = i.inspectors,
        inadequate_since = i.inadequate_since
    FROM inspection i
    WHERE i.id = di.inspection_id AND i.document_id = di.document_id;
