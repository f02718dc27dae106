-- For the rest of the transaction: rows just upserted are not in the statistics yet (see delete_unstaged_rows).
SET LOCAL enable_nestloop = off
