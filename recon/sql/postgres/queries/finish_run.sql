-- A run's end: its status and summary (only a still running one, when asked: an interrupted run stays so).
UPDATE recon.runs SET status = :s, finished_at = now(), summary = summary || CAST(:m AS jsonb)
WHERE run_id = :r AND (NOT :only_if_running OR status = 'running')
