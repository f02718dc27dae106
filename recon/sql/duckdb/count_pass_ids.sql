-- How many bank and ledger rows the last pass settled: a side with none keeps its open table as it is.
SELECT count(*) FILTER (WHERE side = 'B'), count(*) FILTER (WHERE side = 'L') FROM pass_ids
