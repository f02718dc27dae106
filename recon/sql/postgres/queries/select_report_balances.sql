-- A business day's balance checks for the report.
SELECT account, currency, ledger_balance, bank_balance, diff, pct, tier, action FROM recon.balance_checks WHERE partition_key = :p ORDER BY account, currency
