-- Chain balances of a partition's custodial holders.
SELECT b.chain, b.asset, b.holder, b.balance FROM recon.chain_balances b WHERE b.partition_key = :p AND b.holder_kind = 'holder'
