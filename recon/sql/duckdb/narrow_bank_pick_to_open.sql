-- After the UETR pass the view reads only the rows it left open (no UETR, or the only row carrying it), chosen on
-- the raw columns, so the other rows' text is never normalised.
CREATE OR REPLACE TEMP VIEW bank_pick AS
SELECT * FROM bank_in WHERE nullif(trim(uetr), '') IS NULL OR id IN (SELECT id FROM kept WHERE match_key = 'uetr' AND side = 'B')
