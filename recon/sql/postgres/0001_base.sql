-- Schema recon: the run manifest, every output table, the discrepancy lifecycle, flags and the analyst views.
CREATE SCHEMA IF NOT EXISTS recon;

CREATE TABLE IF NOT EXISTS recon.runs (
    run_id         text PRIMARY KEY,
    kind           text NOT NULL,                 -- daily | intraday | ingest | manual
    partition_key  text NOT NULL,
    status         text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    cutoffs        jsonb NOT NULL DEFAULT '{}',   -- per source: statement date, ledger as-of, block, ledger seq
    inputs         jsonb NOT NULL DEFAULT '{}',   -- input identities (content hashes)
    summary        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS runs_partition_idx ON recon.runs (kind, partition_key, started_at DESC);

CREATE TABLE IF NOT EXISTS recon.ingested_files (
    file_sha256    text NOT NULL,
    file_name      text NOT NULL,
    source         text NOT NULL DEFAULT 'drop_folder',
    status         text NOT NULL CHECK (status IN ('ingested', 'duplicate', 'quarantined')),
    reason         text,
    message_type   text,
    business_date  date,
    size_bytes     bigint,
    duplicate_of   text,
    run_id         text,
    ingested_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (file_sha256, file_name)
);
CREATE INDEX IF NOT EXISTS ingested_files_status_idx ON recon.ingested_files (status, ingested_at DESC);

CREATE TABLE IF NOT EXISTS recon.bank_statements (
    statement_key  text PRIMARY KEY,
    business_date  date NOT NULL,
    message_type   text NOT NULL,
    message_id     text NOT NULL,
    created_at     timestamptz,
    statement_id   text NOT NULL,
    account        text NOT NULL,
    currency       text,
    opening_balance numeric,
    closing_balance numeric,
    proof_ok       boolean,
    source_file    text NOT NULL,
    file_sha256    text NOT NULL
);
CREATE INDEX IF NOT EXISTS bank_statements_date_idx ON recon.bank_statements (business_date, account);

CREATE TABLE IF NOT EXISTS recon.bank_entries (
    entry_key      text PRIMARY KEY,
    statement_key  text NOT NULL,
    business_date  date NOT NULL,
    account        text NOT NULL,
    currency       text NOT NULL,
    amount         numeric NOT NULL,
    direction      text NOT NULL CHECK (direction IN ('CRDT', 'DBIT')),
    booking_date   date,
    value_date     date,
    uetr           text,
    end_to_end_id  text,
    acct_svcr_ref  text
);
CREATE INDEX IF NOT EXISTS bank_entries_date_idx ON recon.bank_entries (business_date, account);
CREATE INDEX IF NOT EXISTS bank_entries_uetr_idx ON recon.bank_entries (uetr) WHERE uetr IS NOT NULL;

CREATE TABLE IF NOT EXISTS recon.chain_reads (
    read_id        text PRIMARY KEY,
    partition_key  text NOT NULL,
    chain          text NOT NULL,
    chain_id       bigint,
    block_number   bigint,                        -- EVM block or Stellar ledger sequence
    block_hash     text,
    block_time     timestamptz,
    cutoff         timestamptz NOT NULL,
    status         text NOT NULL CHECK (status IN ('complete', 'failed')),
    error          text,
    run_id         text
);
CREATE INDEX IF NOT EXISTS chain_reads_partition_idx ON recon.chain_reads (partition_key, chain);

CREATE TABLE IF NOT EXISTS recon.chain_supply (
    partition_key  text NOT NULL,
    chain          text NOT NULL,
    asset          text NOT NULL,
    block_number   bigint NOT NULL,
    decimals       integer NOT NULL,
    total_supply_raw numeric(78, 0) NOT NULL,
    total_supply   numeric NOT NULL,
    treasury_raw   numeric(78, 0) NOT NULL,
    treasury       numeric NOT NULL,
    circulating_raw numeric(78, 0) NOT NULL,
    circulating    numeric NOT NULL,
    PRIMARY KEY (partition_key, chain, asset)
);

CREATE TABLE IF NOT EXISTS recon.chain_balances (
    partition_key  text NOT NULL,
    chain          text NOT NULL,
    asset          text NOT NULL,
    holder         text NOT NULL,
    block_number   bigint NOT NULL,
    balance_raw    numeric(78, 0) NOT NULL,
    balance        numeric NOT NULL,
    PRIMARY KEY (partition_key, chain, asset, holder)
);

CREATE TABLE IF NOT EXISTS recon.transaction_matches (
    partition_key  text NOT NULL,
    bank_entry_key text NOT NULL,
    ledger_txn_id  text NOT NULL,
    account        text NOT NULL,
    currency       text NOT NULL,
    match_key      text NOT NULL,                 -- uetr | end_to_end_id | bank_reference | amount_date | batch | reversal
    confidence     numeric(5, 4) NOT NULL,
    status         text NOT NULL CHECK (status IN ('confirmed', 'proposed')),
    bank_amount    numeric,
    ledger_amount  numeric,
    run_id         text,
    PRIMARY KEY (partition_key, bank_entry_key, ledger_txn_id)
);

CREATE TABLE IF NOT EXISTS recon.balance_checks (
    partition_key  text NOT NULL,
    business_date  date NOT NULL,
    account        text NOT NULL,
    currency       text NOT NULL,
    ledger_balance numeric,
    bank_balance   numeric,
    diff           numeric,                       -- ledger - bank
    pct            numeric,                       -- |diff| / bank * 100, half-even
    tier           text NOT NULL CHECK (tier IN ('ok', 'minor', 'significant', 'critical', 'unknown')),
    action         text NOT NULL,
    run_id         text,
    PRIMARY KEY (partition_key, account, currency)
);

CREATE TABLE IF NOT EXISTS recon.backing_checks (
    partition_key  text NOT NULL,
    token          text NOT NULL,
    scope          text NOT NULL,                 -- 'all' or a chain name
    circulating    numeric,
    reserves       numeric,
    ratio          numeric,
    tier           text NOT NULL CHECK (tier IN ('ok', 'minor', 'significant', 'critical', 'unknown')),
    run_id         text,
    PRIMARY KEY (partition_key, token, scope)
);

CREATE TABLE IF NOT EXISTS recon.reserve_status (
    partition_key  text NOT NULL,
    reserve_id     text NOT NULL,
    currency       text,
    reserve_type   text,
    total          numeric,
    locked         numeric,
    available      numeric,
    utilization    numeric,
    level          text NOT NULL,
    run_id         text,
    PRIMARY KEY (partition_key, reserve_id)
);

CREATE TABLE IF NOT EXISTS recon.ltv_positions (
    partition_key  text NOT NULL,
    credit_line_id text NOT NULL,
    currency       text,
    debt           numeric,
    collateral_value numeric,
    ltv            numeric,
    band           text NOT NULL,
    run_id         text,
    PRIMARY KEY (partition_key, credit_line_id)
);

CREATE TABLE IF NOT EXISTS recon.discrepancies (
    discrepancy_key text PRIMARY KEY,             -- type|scope_type|scope_id|natural_key: stable across runs
    type           text NOT NULL CHECK (type IN (
        'missing_in_ledger', 'missing_at_bank', 'duplicate_txn', 'amount_mismatch', 'balance_mismatch',
        'statement_unbalanced', 'backing_shortfall', 'supply_mismatch', 'holder_balance_mismatch',
        'reserve_ledger_inconsistent', 'redemption_unverified', 'stale_reserve_lock', 'utilization_level',
        'ltv_breach', 'unmatched_repayment', 'source_unavailable')),
    detector       text NOT NULL,
    scope_type     text NOT NULL,
    scope_id       text NOT NULL,
    natural_key    text NOT NULL,
    severity       text NOT NULL CHECK (severity IN ('ok', 'minor', 'significant', 'critical', 'unknown')),
    action         text NOT NULL DEFAULT 'record'
                   CHECK (action IN ('none', 'record', 'suspend_payouts', 'circuit_breaker')),
    currency       text,
    amount         numeric,
    summary        text NOT NULL,
    details        jsonb NOT NULL DEFAULT '{}',
    first_seen_partition text NOT NULL,
    last_seen_partition  text NOT NULL,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    first_run_id   text,
    last_run_id    text,
    status         text NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'acknowledged', 'resolved', 'escalated')),
    resolution     text CHECK (resolution IN ('manual', 'cleared_by_data')),
    status_note    text,
    status_by      text,
    status_at      timestamptz
);
CREATE INDEX IF NOT EXISTS discrepancies_open_idx ON recon.discrepancies (detector, status, last_seen_partition);
CREATE INDEX IF NOT EXISTS discrepancies_scope_idx ON recon.discrepancies (scope_type, scope_id);

CREATE TABLE IF NOT EXISTS recon.circuit_breakers (
    breaker_id     bigserial PRIMARY KEY,
    scope_type     text NOT NULL,                 -- account | token | chain | credit_line | source
    scope_id       text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('circuit_breaker', 'payout_suspension')),
    tier           text NOT NULL,
    reason         text NOT NULL,
    discrepancy_key text REFERENCES recon.discrepancies (discrepancy_key),
    opened_by_run_id text,
    opened_at      timestamptz NOT NULL DEFAULT now(),
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cleared')),
    cleared_by     text,
    cleared_reason text,
    cleared_at     timestamptz,
    CHECK (status = 'open' OR (cleared_by IS NOT NULL AND cleared_reason IS NOT NULL))
);
-- At most one open flag of a kind per scope: re-runs never stack duplicates.
CREATE UNIQUE INDEX IF NOT EXISTS circuit_breakers_one_open
    ON recon.circuit_breakers (scope_type, scope_id, kind) WHERE status = 'open';

CREATE TABLE IF NOT EXISTS recon.audit_log (
    audit_id       bigserial PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text NOT NULL,
    action         text NOT NULL,
    subject        text NOT NULL,
    details        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_log_subject_idx ON recon.audit_log (subject, at DESC);

CREATE OR REPLACE VIEW recon.v_open_discrepancies AS
SELECT d.discrepancy_key, d.type, d.severity, d.status, d.scope_type, d.scope_id, d.currency, d.amount,
       d.summary, d.first_seen_partition, d.last_seen_partition, d.first_seen_at, d.last_seen_at,
       d.status_by, d.status_note
FROM recon.discrepancies d
WHERE d.status IN ('open', 'acknowledged', 'escalated')
ORDER BY CASE d.severity WHEN 'critical' THEN 0 WHEN 'unknown' THEN 1 WHEN 'significant' THEN 2
                         WHEN 'minor' THEN 3 ELSE 4 END, d.last_seen_at DESC;

-- One row per known scope: payouts suspended or not, and why (open flags only).
CREATE OR REPLACE VIEW recon.v_payout_controls AS
WITH scopes AS (
    SELECT 'account' AS scope_type, account AS scope_id FROM recon.balance_checks
    UNION SELECT 'token', token FROM recon.backing_checks
    UNION SELECT scope_type, scope_id FROM recon.circuit_breakers
), open_flags AS (
    SELECT scope_type, scope_id,
           bool_or(kind = 'circuit_breaker') AS circuit_breaker_open,
           string_agg(kind || ' (' || tier || '): ' || reason, '; ' ORDER BY opened_at) AS reasons,
           min(opened_at) AS since
    FROM recon.circuit_breakers WHERE status = 'open'
    GROUP BY scope_type, scope_id
)
SELECT s.scope_type, s.scope_id,
       (f.scope_id IS NOT NULL) AS payouts_suspended,
       coalesce(f.circuit_breaker_open, false) AS circuit_breaker_open,
       f.reasons, f.since
FROM scopes s LEFT JOIN open_flags f USING (scope_type, scope_id);

CREATE OR REPLACE VIEW recon.v_daily_summary AS
WITH days AS (
    SELECT business_date FROM recon.balance_checks
    UNION SELECT left(last_seen_partition, 10)::date FROM recon.discrepancies
), tiers AS (
    SELECT business_date,
           count(*) AS accounts_checked,
           count(*) FILTER (WHERE tier = 'ok') AS accounts_ok,
           count(*) FILTER (WHERE tier = 'minor') AS accounts_minor,
           count(*) FILTER (WHERE tier = 'significant') AS accounts_significant,
           count(*) FILTER (WHERE tier = 'critical') AS accounts_critical,
           count(*) FILTER (WHERE tier = 'unknown') AS accounts_unknown
    FROM recon.balance_checks GROUP BY business_date
), found AS (
    SELECT left(last_seen_partition, 10)::date AS business_date,
           count(*) AS discrepancies_seen,
           count(*) FILTER (WHERE severity = 'critical') AS critical_seen,
           count(*) FILTER (WHERE status IN ('open', 'acknowledged', 'escalated')) AS still_open
    FROM recon.discrepancies GROUP BY 1
), flags AS (
    SELECT opened_at::date AS business_date, count(*) AS flags_opened
    FROM recon.circuit_breakers GROUP BY 1
)
SELECT d.business_date,
       coalesce(t.accounts_checked, 0) AS accounts_checked,
       coalesce(t.accounts_ok, 0) AS accounts_ok,
       coalesce(t.accounts_minor, 0) AS accounts_minor,
       coalesce(t.accounts_significant, 0) AS accounts_significant,
       coalesce(t.accounts_critical, 0) AS accounts_critical,
       coalesce(t.accounts_unknown, 0) AS accounts_unknown,
       coalesce(f.discrepancies_seen, 0) AS discrepancies_seen,
       coalesce(f.critical_seen, 0) AS critical_seen,
       coalesce(f.still_open, 0) AS still_open,
       coalesce(g.flags_opened, 0) AS flags_opened
FROM days d
LEFT JOIN tiers t USING (business_date)
LEFT JOIN found f USING (business_date)
LEFT JOIN flags g USING (business_date)
ORDER BY d.business_date;
