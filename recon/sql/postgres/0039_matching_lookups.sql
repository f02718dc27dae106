-- Keyed look-ups of earlier confirmed matches: a day reads the matches of its own window by partition
-- (the primary key) and those of the rows it carries by key, never the whole history.
CREATE INDEX IF NOT EXISTS transaction_matches_bank_key_idx ON recon.transaction_matches (bank_entry_key);
CREATE INDEX IF NOT EXISTS transaction_matches_reversal_idx ON recon.transaction_matches (reversal_key)
    WHERE reversal_key IS NOT NULL;
