-- The statements a business date holds.
SELECT * FROM recon.bank_statements WHERE business_date = :d
