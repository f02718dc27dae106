-- Accounts that sent a camt.053 statement before a business day.
SELECT DISTINCT account FROM recon.bank_statements
WHERE message_type LIKE 'camt.053%' AND business_date < :d AND business_date >= CAST(:d AS date) - 31
