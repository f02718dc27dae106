-- The ledger's own audit row of a reconciliation correction.
INSERT INTO {schema}.custodial_balance_audit (user_id, chain, asset, address, operation, balance_before,
                                             balance_after, difference, performed_by)
VALUES (:u, :c, :a, :addr, 'reconciliation', :before, :b, :d, :by)
