-- The demo week's balance checks.
SELECT partition_key, account, currency, ledger_balance, bank_balance, diff, pct, tier, action
FROM recon.balance_checks WHERE partition_key = ANY(:keys) ORDER BY account, partition_key
