-- Nothing this product does can change the ledger (PostgreSQL, MySQL).
SET TRANSACTION READ ONLY
