-- Who submitted what, and what was refused. Every document already names
-- its submitter (document.submitter: the key's name); the audit table
-- keeps the submissions ingest refused because of who sent them, with the
-- sentence the submitter was told. Nothing else is stored for them.

CREATE TABLE audit (
    id                  bigserial PRIMARY KEY,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    key_name            text NOT NULL,
    action              text NOT NULL,
    authority           text,               -- ONS code the document is about
    declared_authority  text,
    file_name           text,
    sha256              text,
    doc_kind            text,
    reason              text NOT NULL
);
CREATE INDEX audit_by_key ON audit (key_name, id);
CREATE INDEX audit_by_authority ON audit (authority, id);

-- An authority's sources, oldest first.
CREATE INDEX document_by_authority ON document (authority, received_at);
