-- Every table of the output store with its columns.
SELECT table_name, array_agg(column_name::text) AS cols FROM information_schema.columns
WHERE table_schema = 'recon' AND table_name IN (
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'recon' AND table_type = 'BASE TABLE')
GROUP BY table_name
