-- The latest partition of the reserve operation log and its size.
SELECT max(partition_key) AS p, count(*) AS n FROM recon.reserve_operation_log
