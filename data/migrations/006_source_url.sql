-- Where a document was published, when the watch service found it on
-- Ofsted's site (SubmitRequest.source_url): kept with the document, in
-- document.received's payload, `ofwatch history --sources`, and the
-- summary export's inspection_link. Written so that running it again
-- changes nothing.
ALTER TABLE document ADD COLUMN IF NOT EXISTS source_url text;
