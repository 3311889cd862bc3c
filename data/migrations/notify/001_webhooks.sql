-- notify's own schema: webhook subscriptions and how far each has been
-- delivered. notify is the only reader and writer of this schema; the
-- event log itself stays in store's tables.

CREATE TABLE notify.webhook (
    id            bigserial PRIMARY KEY,
    url           text NOT NULL,
    secret        text NOT NULL,             -- the HMAC key; never leaves notify
    types         text[] NOT NULL DEFAULT '{}',   -- event type words; empty: all
    authorities   text[] NOT NULL DEFAULT '{}',   -- ONS codes; empty: all
    themes        text[] NOT NULL DEFAULT '{}',   -- theme words; empty: all
    cursor        bigint NOT NULL,           -- last seq delivered or passed over
    enabled       boolean NOT NULL DEFAULT true,
    failures      int NOT NULL DEFAULT 0,    -- consecutive failed attempts
    last_error    text,
    delivered     bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now()
);
