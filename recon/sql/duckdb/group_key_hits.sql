-- One row per account, currency and key value: how many rows carry it on each side, and their sums.
CREATE OR REPLACE TEMP TABLE key_groups AS
SELECT account, currency, is_rev, k,
       count(*) FILTER (WHERE side = 'B') AS nb, count(*) FILTER (WHERE side = 'L') AS nl,
       min(id) FILTER (WHERE side = 'B') AS b_id, min(id) FILTER (WHERE side = 'L') AS l_id,
       coalesce(sum(samount) FILTER (WHERE side = 'B'), 0) AS b_amount,
       coalesce(sum(samount) FILTER (WHERE side = 'L'), 0) AS l_amount
FROM key_hits GROUP BY account, currency, is_rev, k
