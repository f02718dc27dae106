-- Bank movements scanned from their Parquet files; id: the row's position across the files in the order given.
CREATE OR REPLACE TEMP VIEW bank_in AS
SELECT CAST(getvariable('bank_bases')[CAST(file_index AS BIGINT) + 1] + file_row_number AS UINTEGER) AS id, *
FROM read_parquet(getvariable('bank_files'))
