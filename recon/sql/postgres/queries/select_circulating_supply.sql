-- Circulating supply per chain and asset of a partition, only from complete reads.
SELECT s.chain, s.asset, s.circulating FROM recon.chain_supply s WHERE s.partition_key = :p AND NOT EXISTS (SELECT 1 FROM recon.chain_reads r WHERE r.partition_key = s.partition_key AND r.chain = s.chain AND r.asset = s.asset AND r.status <> 'complete')
