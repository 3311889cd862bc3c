-- What each write costs, measured by bench/40_records.sh: every record of
-- a feed adds one or two events, so the event table's indexes are paid
-- for per record.
--
-- - event.id: a version 4 UUID drawn from the kernel's random source by
--   store (122 random bits), never looked up by the database; its unique
--   index cost ~2 us an event and guarded against nothing that can happen.
-- - event.dedupe_key: only derived events have one, yet every NULL took an
--   index entry. A partial unique index keeps once-per-cause for the keyed
--   events and skips the rest.
-- - document.content (the submitted bytes, PDFs mostly): PDFs are already
--   compressed inside, so pglz spent processor time for nothing. EXTERNAL
--   keeps them out of line, uncompressed. The extracted text and the
--   packed extraction compress well, and lz4 does it several times faster.
ALTER TABLE event DROP CONSTRAINT event_id_key;
ALTER TABLE event DROP CONSTRAINT event_dedupe_key_key;
CREATE UNIQUE INDEX event_by_dedupe_key ON event (dedupe_key) WHERE dedupe_key IS NOT NULL;

ALTER TABLE document ALTER COLUMN content SET STORAGE EXTERNAL;
ALTER TABLE document ALTER COLUMN text SET COMPRESSION lz4;
ALTER TABLE document ALTER COLUMN extraction SET COMPRESSION lz4;
