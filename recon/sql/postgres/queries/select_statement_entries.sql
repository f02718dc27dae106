-- The entries of the given statements.
SELECT * FROM recon.bank_entries WHERE statement_key = ANY(:k)
