-- One row per account, currency and payment id: how many rows carry it on each side, one id and amount of each
-- (a value carried twice is a duplicate, whose sums are taken from its rows).
CREATE OR REPLACE TEMP TABLE key_groups AS
SELECT account, currency, is_rev, k,
       count(*) FILTER (WHERE side = 'B') AS nb, count(*) FILTER (WHERE side = 'L') AS nl,
       min(id) FILTER (WHERE side = 'B') AS b_id, min(id) FILTER (WHERE side = 'L') AS l_id,
       any_value(samount) FILTER (WHERE side = 'B') AS b_amount, any_value(samount) FILTER (WHERE side = 'L') AS l_amount
FROM id_hits GROUP BY account, currency, is_rev, k
