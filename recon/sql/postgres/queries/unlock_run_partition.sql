-- Releases the partition's advisory lock.
SELECT pg_advisory_unlock(:c, hashtext(:r))
