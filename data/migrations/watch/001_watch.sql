-- What the watch service remembers of Ofsted's site, in its own schema,
-- written by it alone: a restarted or rescheduled copy carries on where
-- the last one stopped, and never downloads a file twice.

-- Pages read before (the search, provider pages), with the validators the
-- site gave, for conditional requests. The body is what a 304 stands for:
-- it is read again, so a publication that could not be fetched last time
-- is tried again even though its page has not changed.
CREATE TABLE watch.page (
    url            text PRIMARY KEY,
    etag           text,
    last_modified  text,
    body           bytea NOT NULL,
    fetched_at     timestamptz NOT NULL DEFAULT now()
);

-- Every publication file downloaded, and what became of it:
--   downloaded  the bytes are here and not yet acknowledged by ingest (the
--               outbox: submitted again from here, never downloaded again);
--   stored      ingest acknowledged it (store committed it, or had the same
--               bytes already); the bytes are dropped;
--   refused     ofwatch cannot use it (not a PDF, too large, refused by
--               ingest): said once in the log, never fetched again.
-- A file that could not be fetched (no answer, an error) has no row and is
-- tried again at the next pass.
CREATE TABLE watch.file (
    url            text PRIMARY KEY,
    state          text NOT NULL CHECK (state IN ('downloaded', 'stored', 'refused')),
    authority      text,            -- ONS code of the provider page that listed it
    title          text,            -- as the link says; shown, never trusted
    listed_on      date,            -- the date the link gives
    content        bytea,           -- only while downloaded
    size           bigint,
    sha256         text,
    document_id    bigint,          -- store's document, once stored
    new_document   boolean,         -- false when store had the bytes already
    reason         text,            -- why it was refused
    first_seen     timestamptz NOT NULL DEFAULT now(),
    settled_at     timestamptz,
    CHECK ((state = 'downloaded') = (content IS NOT NULL))
);
CREATE INDEX file_outbox ON watch.file (first_seen) WHERE state = 'downloaded';

-- Each pass: when it ran, how it ended and what it cost the site.
-- outcome is NULL while a pass runs, and stays NULL for one that was cut
-- short (its process killed): the next pass is then due at once.
CREATE TABLE watch.pass (
    id              bigserial PRIMARY KEY,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    outcome         text CHECK (outcome IN ('complete', 'failed', 'stopped')),
    requests        int,
    bytes           bigint,
    files           int,
    new_documents   int,
    errors          int,
    note            text
);
