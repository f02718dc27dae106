-- A custodial user's off-chain balance, locked until the correction commits.
SELECT balance FROM {schema}.custodial_balances WHERE user_id = :u AND chain = :c AND asset = :a FOR UPDATE
