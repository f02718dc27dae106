-- An account's bank position row, created when missing, then locked for this transaction.
INSERT INTO recon.bank_positions (account, currency) VALUES (:a, :c) ON CONFLICT DO NOTHING;
SELECT closed_on, closing_balance, moved, balance FROM recon.bank_positions
WHERE account = :a AND currency = :c FOR UPDATE
