-- Credit lines of a partition whose band is unknown.
SELECT count(*) AS n FROM recon.ltv_positions WHERE partition_key = :p AND band = 'unknown'
