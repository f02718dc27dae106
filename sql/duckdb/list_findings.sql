-- Every discrepancy the key passes found, with the rows it covers.
SELECT type, account, currency, natural_key, bank_amount, ledger_amount, bank_ids, ledger_ids, match_key
FROM findings
