-- Keys confirmed in an earlier partition.
SELECT bank_entry_key, ledger_txn_id, reversal_key, pair_side FROM recon.transaction_matches
WHERE status = 'confirmed' AND partition_key < :p
