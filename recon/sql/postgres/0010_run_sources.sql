-- Per-run source records: each source's state, reason and cut-off; runs that were killed are 'interrupted'.
ALTER TABLE recon.runs DROP CONSTRAINT IF EXISTS runs_status_check;
ALTER TABLE recon.runs ADD CONSTRAINT runs_status_check
    CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted'));
ALTER TABLE recon.runs ADD COLUMN IF NOT EXISTS sources jsonb NOT NULL DEFAULT '{}';
COMMENT ON COLUMN recon.runs.sources IS
    'Per source read in the run: {"state": complete|partial|unavailable|not_configured, "reason", "cutoff", "missing"}.';
CREATE INDEX IF NOT EXISTS runs_running_idx ON recon.runs (status) WHERE status = 'running';

-- A finding is cleared by data only by a complete read at a cut-off no earlier than the one that saw it.
ALTER TABLE recon.discrepancies ADD COLUMN IF NOT EXISTS last_seen_cutoff timestamptz;
ALTER TABLE recon.discrepancies ADD COLUMN IF NOT EXISTS times_reopened integer NOT NULL DEFAULT 0;
