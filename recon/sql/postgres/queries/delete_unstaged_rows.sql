-- A partition's rows that the staged rows no longer hold (the partition is replaced, not appended to).
DELETE FROM recon.{table} t
WHERE ({scope}) = ({scope_values})
  AND NOT EXISTS (SELECT 1 FROM _stage s WHERE ({stage_key}) = ({table_key}))
