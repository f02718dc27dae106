-- A run's summary, merged with what it had.
UPDATE recon.runs SET summary = summary || CAST(:m AS jsonb) WHERE run_id = :r
