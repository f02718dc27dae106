-- Notified entries once each, returns the keys new to the store.
INSERT INTO recon.notification_entries (entry_key, sha256, statement_key, entry_seq, business_date, account, currency,
                                        direction, amount, status, notified_at)
SELECT * FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(entry_key text, sha256 text, statement_key text,
     entry_seq int, business_date date, account text, currency text, direction text, amount numeric, status text,
     notified_at timestamptz)
ON CONFLICT DO NOTHING RETURNING entry_key
