-- Per account, the tier of the latest intraday window of a business date.
SELECT DISTINCT ON (account, currency) account, currency, partition_key, tier
FROM recon.balance_checks WHERE business_date = :d AND run_kind = 'intraday'
ORDER BY account, currency, partition_key DESC
