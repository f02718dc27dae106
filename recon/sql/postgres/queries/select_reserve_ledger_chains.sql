-- Per chain, the reserve ledger and its redemption-log totals as one business day's audit recorded them.
SELECT chain, chain_id, ledger_reserve, last_updated, notes, ledger_rows, initial_reserve, top_ups,
       expected_reserve, real_count, real_amount, test_count, test_amount, refused_count, findings, run_id
FROM recon.reserve_ledger_audit
WHERE partition_key = :p
ORDER BY chain
