-- Tier 1 verdicts, one per notified entry.
INSERT INTO recon.notification_checks (entry_key, message_id, stream_seq, subject, account, currency, amount,
    direction, entry_status, partition_key, published_at, received_at, checked_at, bank_balance, ledger_balance,
    diff, pct, tier, action, reason, discrepancy_key, flag_id, flag_state)
SELECT entry_key, message_id, stream_seq, subject, account, currency, amount, direction, entry_status, partition_key,
       published_at, received_at, checked_at, bank_balance, ledger_balance, diff, pct, tier, action, reason,
       discrepancy_key, flag_id, flag_state
FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(entry_key text, message_id text, stream_seq bigint, subject text,
     account text, currency text, amount numeric, direction text, entry_status text, partition_key text,
     published_at timestamptz, received_at timestamptz, checked_at timestamptz, bank_balance numeric,
     ledger_balance numeric, diff numeric, pct numeric, tier text, action text, reason text, discrepancy_key text,
     flag_id bigint, flag_state text)
