-- The latest complete read of a chain's asset at or before a block, and how many balances it holds at it.
SELECT r.partition_key, r.chain_id, r.block_number, r.block_hash, r.holders_read,
       (SELECT count(*) FROM recon.chain_balances b
        WHERE b.partition_key = r.partition_key AND b.chain = r.chain AND b.asset = r.asset
          AND b.block_number = r.block_number) AS balances
FROM recon.chain_reads r
WHERE r.chain = :chain AND r.asset = :asset AND r.status = 'complete' AND r.block_number <= :block
ORDER BY r.block_number DESC, r.read_at DESC
LIMIT 1
