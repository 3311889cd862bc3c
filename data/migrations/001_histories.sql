-- The authority register, documents, what they report, and the event log.
-- Every fact points back to the document that established it.

CREATE TABLE authority (
    code          text PRIMARY KEY,          -- ONS code
    la_code       text,
    urn           text,
    name          text NOT NULL,
    region_code   text,
    region_name   text,
    neighbours    text[] NOT NULL DEFAULT '{}',
    ended         date,
    successors    text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE document (
    id            bigserial PRIMARY KEY,
    sha256        text NOT NULL UNIQUE,
    file_name     text NOT NULL,
    media_type    text NOT NULL,
    doc_kind      text,
    authority     text REFERENCES authority (code),
    published_on  date,
    submitter     text NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    content       bytea NOT NULL,
    text          text,
    extraction    bytea NOT NULL             -- packed ofwatch.v1.Extraction
);

-- An inspection or visit, known from one or more documents. `identity`
-- names it independently of which document reported it, so an Ofsted
-- report and a council's summary of it meet in one row.
CREATE TABLE inspection (
    id                bigserial PRIMARY KEY,
    identity          text NOT NULL UNIQUE,
    authority         text NOT NULL REFERENCES authority (code),
    kind              text NOT NULL,
    start_date        date,
    end_date          date,
    published_on      date,
    visit_number      int,
    lead_inspector    text,
    inspectors        text[] NOT NULL DEFAULT '{}',
    inadequate_since  text,
    document_id       bigint NOT NULL REFERENCES document (id)
);
CREATE INDEX inspection_by_authority ON inspection (authority, start_date);

CREATE TABLE judgement (
    inspection_id  bigint NOT NULL REFERENCES inspection (id),
    area           text NOT NULL,
    grade          text NOT NULL,
    document_id    bigint NOT NULL REFERENCES document (id),
    PRIMARY KEY (inspection_id, area)
);

CREATE TABLE improvement (
    inspection_id  bigint NOT NULL REFERENCES inspection (id),
    position       int NOT NULL,
    text           text NOT NULL,
    document_id    bigint NOT NULL REFERENCES document (id),
    PRIMARY KEY (inspection_id, position)
);

CREATE TABLE finding (
    id             bigserial PRIMARY KEY,
    inspection_id  bigint NOT NULL REFERENCES inspection (id),
    document_id    bigint NOT NULL REFERENCES document (id),
    polarity       text NOT NULL,
    theme          text NOT NULL,
    text           text NOT NULL,
    span_start     int,
    span_end       int
);
CREATE INDEX finding_by_inspection ON finding (inspection_id);

CREATE TABLE deadline (
    id             bigserial PRIMARY KEY,
    inspection_id  bigint REFERENCES inspection (id),
    authority      text NOT NULL REFERENCES authority (code),
    kind           text NOT NULL,
    due            date NOT NULL,
    basis          text,
    document_id    bigint NOT NULL REFERENCES document (id),
    UNIQUE (authority, kind, due)
);

-- The event log. seq comes from event_counter, a one-row table updated in
-- the same transaction: its row lock makes seqs gapless and commit-ordered
-- (a sequence would hand out numbers in start order, not commit order).
CREATE TABLE event (
    seq          bigint PRIMARY KEY,
    id           uuid NOT NULL UNIQUE,
    type         text NOT NULL,
    authority    text,
    theme        text,
    occurred_on  date,
    recorded_at  timestamptz NOT NULL,
    dedupe_key   text UNIQUE,                -- derived events: once per cause
    body         bytea NOT NULL              -- packed ofwatch.v1.Event
);
CREATE INDEX event_by_authority ON event (authority, seq);

CREATE TABLE event_counter (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    last_seq  bigint NOT NULL
);
INSERT INTO event_counter VALUES (true, 0);

-- How far each internal consumer (analytics) has handled the log,
-- committed together with what it derived.
CREATE TABLE consumer_cursor (
    consumer  text PRIMARY KEY,
    seq       bigint NOT NULL
);

-- Which inspections each document reported, so a resubmission of the same
-- bytes answers with the same ids.
CREATE TABLE document_inspection (
    document_id    bigint NOT NULL REFERENCES document (id),
    inspection_id  bigint NOT NULL REFERENCES inspection (id),
    PRIMARY KEY (document_id, inspection_id)
);
