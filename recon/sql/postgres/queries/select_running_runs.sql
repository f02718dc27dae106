-- Runs still marked running but this one, and whether they are older than the bound.
SELECT run_id, now() - started_at > make_interval(secs => :age) AS old FROM recon.runs WHERE status = 'running' AND run_id <> :me
