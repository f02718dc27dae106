-- Waits for the partition's advisory lock (one run per partition at a time).
SELECT pg_advisory_lock(:c, hashtext(:r))
