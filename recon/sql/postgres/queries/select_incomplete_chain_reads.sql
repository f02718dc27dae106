-- A partition's chain reads that did not complete, per chain and asset.
SELECT chain, asset, error FROM recon.chain_reads WHERE partition_key = :p AND chain = ANY(:chains) AND status <> 'complete' ORDER BY chain, asset
