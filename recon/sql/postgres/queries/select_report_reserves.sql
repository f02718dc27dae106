-- A business day's reserve status for the report.
SELECT reserve_id, currency, reserve_type, total, locked, available, utilization, level, stale_locks FROM recon.reserve_status WHERE partition_key = :p ORDER BY reserve_id
