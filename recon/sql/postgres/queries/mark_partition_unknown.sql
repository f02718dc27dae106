-- A partition's rows kept, their verdicts unknown: its inputs could not be read.
UPDATE recon.{table} SET ({columns}) = ROW({values}), run_id = :run_id WHERE partition_key = :partition_key
