-- The reserve ledger row as the audit read it (last update, notes), so its status is reported from the store.
ALTER TABLE recon.reserve_ledger_audit ADD COLUMN IF NOT EXISTS last_updated timestamptz;
ALTER TABLE recon.reserve_ledger_audit ADD COLUMN IF NOT EXISTS notes text;
ALTER TABLE recon.reserve_ledger_audit ADD COLUMN IF NOT EXISTS ledger_rows integer;
COMMENT ON COLUMN recon.reserve_ledger_audit.last_updated IS
    'the reserve ledger row''s own last update; null when the ledger had no single row for the chain';
COMMENT ON COLUMN recon.reserve_ledger_audit.ledger_rows IS
    'reserve ledger rows read for the chain (1 when its reserve is known); null for rows written before it was kept';
