-- An account's bank position after its notifications.
UPDATE recon.bank_positions SET closed_on = :closed_on, closing_balance = :closing, moved = :moved,
       balance = :balance, notifications = notifications + :n, last_entry_key = :last, updated_at = now()
WHERE account = :a AND currency = :c
