-- A key carried by two or more rows of one side: duplicate_txn, covering every row that carries it, with each side's sum.
INSERT INTO findings
SELECT 'duplicate_txn', h.account, h.currency,
       $match_key || ':' || h.k || CASE WHEN h.is_rev THEN ':reversal' ELSE '' END,
       coalesce(sum(h.samount) FILTER (WHERE h.side = 'B'), 0), coalesce(sum(h.samount) FILTER (WHERE h.side = 'L'), 0),
       list(h.id ORDER BY h.id) FILTER (WHERE h.side = 'B'), list(h.id ORDER BY h.id) FILTER (WHERE h.side = 'L'),
       $match_key
FROM id_hits h
JOIN key_groups g ON g.account = h.account AND g.currency = h.currency AND g.is_rev = h.is_rev AND g.k = h.k
WHERE g.nb > 1 OR g.nl > 1
GROUP BY h.account, h.currency, h.is_rev, h.k
