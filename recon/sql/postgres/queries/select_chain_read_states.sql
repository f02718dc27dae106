-- Each chain read's state in a partition.
SELECT chain, asset, status FROM recon.chain_reads WHERE partition_key = :p
