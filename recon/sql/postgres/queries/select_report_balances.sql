-- Ledger vs bank per account in the given partitions (business days or intraday windows).
SELECT partition_key, account, currency, ledger_balance, bank_balance, diff, pct, tier, action
FROM recon.balance_checks WHERE partition_key = ANY(:keys)
ORDER BY account, currency, partition_key
