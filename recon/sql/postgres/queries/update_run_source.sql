-- One source's read state in a run, the weakest read of a source in one run wins.
UPDATE recon.runs SET sources = jsonb_set(sources, ARRAY[:n], CASE
    WHEN NOT sources ? :n OR sources -> :n ->> 'state' = 'complete' THEN CAST(:v AS jsonb)
    ELSE sources -> :n END)
WHERE run_id = :r
