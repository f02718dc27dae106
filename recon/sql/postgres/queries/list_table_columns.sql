-- The columns of one table of the output store (none: the table does not exist).
SELECT column_name FROM information_schema.columns WHERE table_schema = 'recon' AND table_name = :t
