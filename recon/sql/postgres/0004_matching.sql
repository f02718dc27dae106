-- Transaction matching: how each pair was made, what is still in transit, and match rates per day.
ALTER TABLE recon.transaction_matches
    ADD COLUMN IF NOT EXISTS reversal_key text,        -- a reversal netted with its original on one side
    ADD COLUMN IF NOT EXISTS pair_side text,           -- bank_ledger | bank_bank | ledger_ledger
    ADD COLUMN IF NOT EXISTS match_group text;         -- the batch id of a batch match
CREATE INDEX IF NOT EXISTS transaction_matches_ledger_idx ON recon.transaction_matches (ledger_txn_id);

-- Rows no pass settled yet and still inside their timing window: carried to the next partition.
CREATE TABLE IF NOT EXISTS recon.transactions_in_transit (
    partition_key  text NOT NULL,
    side           text NOT NULL CHECK (side IN ('bank', 'ledger')),
    item_key       text NOT NULL,                  -- bank entry_key or ledger txn_id
    account        text NOT NULL,
    currency       text NOT NULL,
    direction      text NOT NULL,
    amount         numeric NOT NULL,
    booking_date   date,
    age_business_days integer NOT NULL,
    run_id         text,
    PRIMARY KEY (partition_key, side, item_key)
);

CREATE OR REPLACE VIEW recon.v_match_rates AS
SELECT m.partition_key,
       count(*) FILTER (WHERE m.status = 'confirmed') AS confirmed_pairs,
       count(*) FILTER (WHERE m.status = 'proposed') AS proposed_pairs,
       count(*) FILTER (WHERE m.status = 'confirmed' AND m.match_key = 'uetr') AS by_uetr,
       count(*) FILTER (WHERE m.status = 'confirmed' AND m.match_key = 'end_to_end_id') AS by_end_to_end_id,
       count(*) FILTER (WHERE m.status = 'confirmed' AND m.match_key = 'bank_reference') AS by_bank_reference,
       count(*) FILTER (WHERE m.status = 'confirmed' AND m.match_key = 'batch') AS by_batch,
       count(*) FILTER (WHERE m.status = 'confirmed' AND m.match_key = 'reversal') AS by_reversal,
       count(*) FILTER (WHERE m.status = 'confirmed' AND m.match_key = 'amount_date') AS by_amount_date,
       (SELECT count(*) FROM recon.transactions_in_transit t WHERE t.partition_key = m.partition_key)
           AS in_transit
FROM recon.transaction_matches m
GROUP BY m.partition_key;
