-- Keys confirmed in an earlier partition: the window's partitions by range, older ones by the carried keys.
SELECT bank_entry_key, ledger_txn_id, reversal_key, pair_side FROM recon.transaction_matches
WHERE status = 'confirmed' AND partition_key < :p AND partition_key >= :since
UNION ALL
SELECT bank_entry_key, ledger_txn_id, reversal_key, pair_side FROM recon.transaction_matches
WHERE status = 'confirmed' AND partition_key < :since AND bank_entry_key = ANY(CAST(:bank AS text[]))
UNION ALL
SELECT bank_entry_key, ledger_txn_id, reversal_key, pair_side FROM recon.transaction_matches
WHERE status = 'confirmed' AND partition_key < :since AND ledger_txn_id = ANY(CAST(:ledger AS text[]))
UNION ALL
SELECT bank_entry_key, ledger_txn_id, reversal_key, pair_side FROM recon.transaction_matches
WHERE status = 'confirmed' AND partition_key < :since AND reversal_key = ANY(CAST(:keys AS text[]))
