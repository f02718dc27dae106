-- A custodial user's off-chain balance set to what the chain holds.
UPDATE {schema}.custodial_balances SET balance = :b, updated_at = now() WHERE user_id = :u AND chain = :c AND asset = :a
