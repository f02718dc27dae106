-- Reserve operations per operation and currency over a period.
SELECT operation, currency, count(*) AS operations, sum(amount) AS volume
FROM recon.reserve_operation_log WHERE at > :start AND at <= :end
GROUP BY operation, currency ORDER BY currency NULLS LAST, operation
