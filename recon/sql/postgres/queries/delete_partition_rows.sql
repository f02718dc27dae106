-- One table's rows of the given partitions.
DELETE FROM recon.{table} WHERE partition_key = ANY(:keys)
