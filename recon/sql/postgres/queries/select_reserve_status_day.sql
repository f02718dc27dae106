-- The latest business day (at or before :d, when given) whose reserve ledger audit is in the store.
SELECT max(partition_key) AS partition_key
FROM recon.reserve_ledger_audit
WHERE CAST(:d AS text) IS NULL OR partition_key <= CAST(:d AS text)
