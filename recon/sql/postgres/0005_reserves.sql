-- Reserves: backing detail, reserve-account locks, the per-chain reserve ledger audit and every redemption's verdict.

ALTER TABLE recon.backing_checks ADD COLUMN IF NOT EXISTS shortfall numeric;   -- max(circulating - reserves, 0)
ALTER TABLE recon.backing_checks ADD COLUMN IF NOT EXISTS pct numeric;         -- shortfall or |diff| / circulating * 100
ALTER TABLE recon.backing_checks ADD COLUMN IF NOT EXISTS action text;
ALTER TABLE recon.backing_checks ADD COLUMN IF NOT EXISTS inputs jsonb NOT NULL DEFAULT '{}';
COMMENT ON COLUMN recon.backing_checks.ratio IS
    'reserves / circulating, half-even to 12 places; null when nothing circulates';

ALTER TABLE recon.reserve_status ADD COLUMN IF NOT EXISTS open_locks integer;
ALTER TABLE recon.reserve_status ADD COLUMN IF NOT EXISTS stale_locks integer;
COMMENT ON COLUMN recon.reserve_status.utilization IS
    'locked / total (a fraction, 0 when total is 0), half-even to 8 places';

CREATE TABLE IF NOT EXISTS recon.reserve_ledger_audit (
    partition_key    text NOT NULL,
    chain            text NOT NULL,
    chain_id         bigint NOT NULL,
    initial_reserve  numeric NOT NULL,
    top_ups          numeric NOT NULL,
    real_count       integer NOT NULL,
    real_amount      numeric NOT NULL,
    test_count       integer NOT NULL,
    test_amount      numeric NOT NULL,
    refused_count    integer NOT NULL,
    expected_reserve numeric NOT NULL,          -- initial - real redemptions + top-ups
    ledger_reserve   numeric,                   -- what the reserve ledger says
    findings         integer NOT NULL,
    run_id           text,
    PRIMARY KEY (partition_key, chain)
);

CREATE TABLE IF NOT EXISTS recon.redemption_audit (
    partition_key    text NOT NULL,
    redemption_key   text NOT NULL,             -- the service's id, else chain_id:tx_hash:timestamp
    chain            text NOT NULL,
    tx_hash          text,
    user_address     text,
    amount           numeric,
    redeemed_at      timestamptz,
    test_mode        boolean NOT NULL,
    status           text,
    reserve_before   numeric,
    reserve_after    numeric,
    problems         text,                      -- comma-separated checks that failed; null when none
    onchain          text,                      -- verified | pending | not_found | reverted | no_transfer | unknown | skipped
    run_id           text,
    PRIMARY KEY (partition_key, redemption_key)
);
CREATE INDEX IF NOT EXISTS redemption_audit_tx_idx ON recon.redemption_audit (chain, tx_hash);
