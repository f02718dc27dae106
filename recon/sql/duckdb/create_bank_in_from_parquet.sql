-- Bank movements scanned from their Parquet files; id: a row's position across the files, never a file's own id.
CREATE OR REPLACE TEMP VIEW bank_in AS
SELECT CAST(getvariable('bank_bases')[CAST(file_index AS BIGINT) + 1] + file_row_number AS UINTEGER) AS id,
       COLUMNS(lambda c: c <> 'id')
FROM read_parquet(getvariable('bank_files'))
