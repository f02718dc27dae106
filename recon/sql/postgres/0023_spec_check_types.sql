-- Finding types of the reserve-floor, redemption-activity, reserve-book, credit-limit and liquidation checks,
-- added to whatever the type list holds now (other migrations may extend it too). The list is read from
-- the constraint in either form Postgres prints it: IN ('a', 'b') or = ANY ('{a,b}'::text[]).
DO $$
DECLARE
    known text[];
BEGIN
    SELECT array_agg(DISTINCT m[1]) INTO known
    FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '[{,'']([a-z_]+)(?=[,}''])', 'g') AS m
    WHERE c.conrelid = 'recon.discrepancies'::regclass AND c.conname = 'discrepancies_type_check';
    known := array(SELECT DISTINCT unnest(coalesce(known, '{}') || ARRAY[
        'low_reserve', 'redemption_rate', 'redemption_failures', 'reserve_book_invalid',
        'reserve_movement_unmatched', 'credit_limit_exceeded', 'liquidation_not_executed']) ORDER BY 1);
    ALTER TABLE recon.discrepancies DROP CONSTRAINT IF EXISTS discrepancies_type_check;
    EXECUTE format('ALTER TABLE recon.discrepancies ADD CONSTRAINT discrepancies_type_check '
                   'CHECK (type = ANY (%L::text[]))', known);
END
$$;
