-- Nothing this product does can change the ledger (SQLite).
PRAGMA query_only = ON
