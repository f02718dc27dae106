-- The latest intraday tier per account up to a day.
SELECT DISTINCT ON (account, currency) account, currency, partition_key, tier FROM recon.balance_checks WHERE business_date = :d AND run_kind = 'intraday' ORDER BY account, currency, partition_key DESC
