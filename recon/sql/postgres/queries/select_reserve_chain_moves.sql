-- Chain transfers with one of the given transaction hashes.
SELECT DISTINCT tx_hash, amount FROM recon.chain_transfers WHERE lower(tx_hash) = ANY(:hashes)
