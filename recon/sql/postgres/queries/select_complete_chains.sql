-- The chains a partition read completely.
SELECT DISTINCT chain FROM recon.chain_reads WHERE partition_key = :p AND chain = ANY(:chains) AND status = 'complete'
