-- Ledger transactions scanned from their Parquet files; id: a row's position across the files, never a file's id.
CREATE OR REPLACE TEMP VIEW ledger_in AS
SELECT CAST(getvariable('ledger_bases')[CAST(file_index AS BIGINT) + 1] + file_row_number AS UINTEGER) AS id,
       COLUMNS(lambda c: c <> 'id')
FROM read_parquet(getvariable('ledger_files'))
