-- The statements the dates of a business day hold.
SELECT * FROM recon.bank_statements WHERE business_date = ANY(CAST(:ds AS date[]))
