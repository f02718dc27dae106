-- The statements a file holds for the dates of a business day.
SELECT * FROM recon.bank_statements WHERE file_sha256 = :s AND business_date = ANY(CAST(:ds AS date[]))
