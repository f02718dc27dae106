-- The balances of the given statements.
SELECT * FROM recon.bank_balances WHERE statement_key = ANY(:k)
