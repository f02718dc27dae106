-- The block each chain was pinned at for a partition.
SELECT DISTINCT chain, block_number, block_hash, block_time, status FROM recon.chain_reads
WHERE partition_key = :p ORDER BY chain
