-- Every discrepancy the key passes found, with the rows it covers.
SELECT type, account, currency, natural_key, bank_amount, ledger_amount, CAST(bank_ids AS BIGINT[]) AS bank_ids,
       CAST(ledger_ids AS BIGINT[]) AS ledger_ids, match_key
FROM findings
