-- A person's decision on a discrepancy, kept across re-runs.
UPDATE recon.discrepancies SET status = :s, status_by = :b, status_note = :n, status_at = now(), resolution = CASE WHEN :s = 'resolved' THEN 'manual' END WHERE discrepancy_key = :k RETURNING type
