-- Each intraday window's bank position per account: which basis it used (the latest camt.052 report at
-- its cut-off plus notifications since, or the last camt.053 plus notifications since), and the figures
-- the balance_drift check compares across windows (value date with value date).
CREATE TABLE IF NOT EXISTS recon.intraday_positions (
    partition_key     text NOT NULL,
    business_date     date NOT NULL,
    account           text NOT NULL,
    currency          text NOT NULL,
    basis             text NOT NULL CHECK (basis IN ('camt052_report', 'statement_notifications', 'none')),
    bank_balance      numeric,                 -- booked position at the window's end
    bank_cutoff       timestamptz,             -- the report's creation time, or the statement day's end
    report_key        text,                    -- the camt.052 report used (basis camt052_report)
    statement_date    date,                    -- the last camt.053 before the day
    movements         integer NOT NULL DEFAULT 0,  -- notified movements added to the basis
    bank_future_value numeric,                 -- booked by the bank, value date after the day (signed)
    ledger_balance    numeric,
    ledger_future_value numeric,               -- booked by the ledger, value date after the day (signed)
    value_diff        numeric,                 -- (ledger - its future-value items) - (bank - its own)
    baseline_diff     numeric,                 -- ledger - bank the last statement's daily check closed with
    drift             numeric,                 -- value_diff - baseline_diff
    run_id            text,
    PRIMARY KEY (partition_key, account, currency)
);
CREATE INDEX IF NOT EXISTS intraday_positions_account_idx ON recon.intraday_positions (account, currency);

-- balance_drift joins the finding types, added to whatever the list holds now.
DO $$
DECLARE
    known text[];
BEGIN
    SELECT array_agg(DISTINCT m[1]) INTO known
    FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '[{,'']([a-z_]+)(?=[,}''])', 'g') AS m
    WHERE c.conrelid = 'recon.discrepancies'::regclass AND c.conname = 'discrepancies_type_check';
    known := array(SELECT DISTINCT unnest(coalesce(known, '{}') || ARRAY['balance_drift']) ORDER BY 1);
    ALTER TABLE recon.discrepancies DROP CONSTRAINT IF EXISTS discrepancies_type_check;
    EXECUTE format('ALTER TABLE recon.discrepancies ADD CONSTRAINT discrepancies_type_check '
                   'CHECK (type = ANY (%L::text[]))', known);
END
$$;
