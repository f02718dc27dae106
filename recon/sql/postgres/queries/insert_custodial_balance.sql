-- A custodial user the ledger did not hold yet, with what the chain holds.
INSERT INTO {schema}.custodial_balances (user_id, chain, asset, address, balance) VALUES (:u, :c, :a, :addr, :b)
