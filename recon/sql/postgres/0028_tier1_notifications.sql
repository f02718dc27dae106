-- Tier 1: CAMT.054 notifications read from NATS JetStream, each stored once and checked on arrival.

-- One row per message content (sha256): a redelivered or republished message finds its row here.
CREATE TABLE IF NOT EXISTS recon.notifications (
    sha256         text PRIMARY KEY,
    message_id     text NOT NULL,               -- the CAMT GrpHdr/MsgId
    message_type   text NOT NULL,
    stream         text NOT NULL,
    stream_seq     bigint NOT NULL,              -- where it was first delivered
    subject        text NOT NULL,
    published_at   timestamptz,                  -- the server's timestamp of the message
    received_at    timestamptz NOT NULL,
    stored_at      timestamptz NOT NULL DEFAULT now(),
    size_bytes     integer NOT NULL,
    body           bytea NOT NULL                -- exactly what the bank sent
);
CREATE INDEX IF NOT EXISTS notifications_seq_idx ON recon.notifications (stream, stream_seq);

-- Every notified entry once (entry_key is content-derived, as for files): one movement per entry.
CREATE TABLE IF NOT EXISTS recon.notification_entries (
    entry_key      text PRIMARY KEY,
    sha256         text NOT NULL REFERENCES recon.notifications (sha256),
    statement_key  text NOT NULL,
    entry_seq      integer NOT NULL,
    business_date  date NOT NULL,
    account        text NOT NULL,
    currency       text NOT NULL,
    direction      text NOT NULL CHECK (direction IN ('CRDT', 'DBIT')),
    amount         numeric NOT NULL,             -- as the bank sent it, never rounded
    status         text,                         -- BOOK moves the position; PDNG / INFO do not
    notified_at    timestamptz                   -- the notification's creation time at the bank
);
CREATE UNIQUE INDEX IF NOT EXISTS notification_entries_entry_idx
    ON recon.notification_entries (statement_key, entry_seq);
CREATE INDEX IF NOT EXISTS notification_entries_account_idx
    ON recon.notification_entries (account, currency, business_date);

-- One row per notified entry with the verdict tier 1 gave it.
CREATE TABLE IF NOT EXISTS recon.notification_checks (
    entry_key      text PRIMARY KEY REFERENCES recon.notification_entries (entry_key),
    message_id     text NOT NULL,
    stream_seq     bigint NOT NULL,
    subject        text NOT NULL,
    account        text NOT NULL,
    currency       text NOT NULL,
    amount         numeric NOT NULL,
    direction      text NOT NULL,
    entry_status   text,
    partition_key  text NOT NULL,                -- the intraday window its findings belong to
    published_at   timestamptz,
    received_at    timestamptz NOT NULL,
    checked_at     timestamptz NOT NULL,
    bank_balance   numeric,                      -- the position after this notification
    ledger_balance numeric,
    diff           numeric,
    pct            numeric,
    tier           text NOT NULL CHECK (tier IN ('ok', 'minor', 'significant', 'critical', 'unknown')),
    action         text NOT NULL,
    reason         text,
    discrepancy_key text,
    flag_id        bigint,                       -- the open breaker or suspension for the account
    flag_state     text                          -- opened | already_open | null
);
CREATE INDEX IF NOT EXISTS notification_checks_account_idx ON recon.notification_checks (account, checked_at DESC);
CREATE INDEX IF NOT EXISTS notification_checks_seq_idx ON recon.notification_checks (stream_seq);

-- The bank position per account as tier 1 last computed it: last camt.053 closing + booked notifications since.
CREATE TABLE IF NOT EXISTS recon.bank_positions (
    account        text NOT NULL,
    currency       text NOT NULL,
    closed_on      date,
    closing_balance numeric,
    moved          numeric NOT NULL DEFAULT 0,
    balance        numeric,
    notifications  integer NOT NULL DEFAULT 0,
    last_entry_key text,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account, currency)
);

-- How far behind each listener is: the consumer's own figures, refreshed while it runs.
CREATE TABLE IF NOT EXISTS recon.listener_status (
    consumer       text NOT NULL,
    instance       text NOT NULL,                -- host:pid of one listener process
    stream         text NOT NULL,
    server         text NOT NULL,
    state          text NOT NULL,                -- running | stopped | server_unavailable
    last_stream_seq bigint,
    num_pending    bigint,                       -- messages not yet delivered to any listener
    num_ack_pending bigint,                      -- delivered, not yet acknowledged
    processed      bigint NOT NULL DEFAULT 0,
    duplicates     bigint NOT NULL DEFAULT 0,
    quarantined    bigint NOT NULL DEFAULT 0,
    last_message_at timestamptz,
    started_at     timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, instance)
);
