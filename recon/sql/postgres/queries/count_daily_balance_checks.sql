-- Whether a business day was reconciled by a daily run.
SELECT count(*) AS n FROM recon.balance_checks WHERE partition_key = :p AND run_kind = 'daily'
