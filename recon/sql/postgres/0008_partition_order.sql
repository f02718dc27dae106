-- A business day's partition ("2026-11-16") is read at the day's close, after its intraday windows
-- ("2026-11-16-10:00"), so partitions compare by this rank, not as text.
CREATE OR REPLACE FUNCTION recon.partition_rank(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN p ~ '^\d{4}-\d{2}-\d{2}$' THEN p || '-24:00' ELSE p END $$;
COMMENT ON FUNCTION recon.partition_rank(text) IS
    'Sort key of a partition: a business day ranks after its own 30-minute windows.';
