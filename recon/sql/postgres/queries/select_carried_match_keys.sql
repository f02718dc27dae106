-- Rows still open in an earlier partition, named by open findings of the matching detector.
SELECT split_part(natural_key, ':', 1) AS side, substr(natural_key, strpos(natural_key, ':') + 1) AS k
FROM recon.discrepancies WHERE detector = :det AND status <> 'resolved' AND first_seen_partition < :p
  AND type IN ('missing_in_ledger', 'missing_at_bank')
UNION SELECT 'bank', jsonb_array_elements_text(details -> 'bank_entry_keys') FROM recon.discrepancies
WHERE detector = :det AND status <> 'resolved' AND first_seen_partition < :p AND details ? 'bank_entry_keys'
UNION SELECT 'ledger', jsonb_array_elements_text(details -> 'ledger_txn_ids') FROM recon.discrepancies
WHERE detector = :det AND status <> 'resolved' AND first_seen_partition < :p AND details ? 'ledger_txn_ids'
