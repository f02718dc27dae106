-- A run's manifest row, its cut-offs and inputs merged into what it had.
INSERT INTO recon.runs (run_id, kind, partition_key, cutoffs, inputs) VALUES (:r, :k, :p, CAST(:c AS jsonb), CAST(:i AS jsonb)) ON CONFLICT (run_id) DO UPDATE SET cutoffs = recon.runs.cutoffs || EXCLUDED.cutoffs, inputs = recon.runs.inputs || EXCLUDED.inputs
