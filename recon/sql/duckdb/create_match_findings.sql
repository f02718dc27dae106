-- Discrepancies found by the key passes, with the rows each one covers.
CREATE OR REPLACE TEMP TABLE findings (type VARCHAR, account VARCHAR, currency VARCHAR, natural_key VARCHAR,
    bank_amount DECIMAL(38, 18), ledger_amount DECIMAL(38, 18), bank_ids UINTEGER[], ledger_ids UINTEGER[],
    match_key VARCHAR)
