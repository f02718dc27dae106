-- The reserve operations a day's run read, by key: the latest business day that read one keeps it, so the
-- log is the same whichever order the days ran in (a backfill newest first, or days side by side).
INSERT INTO recon.reserve_operation_log AS o (operation_key, reserve_id, operation, currency, reserve_type, amount,
                                              reference, at, partition_key, run_id)
SELECT operation_key, reserve_id, operation, currency, reserve_type, amount, reference, at, partition_key, run_id
FROM _operations
ON CONFLICT (operation_key) DO UPDATE SET
    reserve_id = EXCLUDED.reserve_id, operation = EXCLUDED.operation, currency = EXCLUDED.currency,
    reserve_type = EXCLUDED.reserve_type, amount = EXCLUDED.amount, reference = EXCLUDED.reference,
    at = EXCLUDED.at, partition_key = EXCLUDED.partition_key, run_id = EXCLUDED.run_id
WHERE recon.partition_rank(EXCLUDED.partition_key) >= recon.partition_rank(o.partition_key)
