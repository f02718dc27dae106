-- Bank credits of a business day, the candidates for credit repayments.
SELECT entry_key, account, currency, amount, coalesce(booking_date, value_date, business_date) AS booking_date, creditor_ref, end_to_end_id FROM recon.bank_entries WHERE direction = 'CRDT' AND amount IS NOT NULL AND business_date <= :d AND (creditor_ref IS NOT NULL OR end_to_end_id IS NOT NULL)
