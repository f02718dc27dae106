-- Ledger movements, normalised on the fly: a view, so only rows left open after the key passes are ever stored.
CREATE OR REPLACE TEMP VIEW ledger_src AS
SELECT id, account, currency,
       CASE WHEN direction = 'DBIT' THEN -CAST(amount AS DECIMAL(38, 18)) ELSE CAST(amount AS DECIMAL(38, 18)) END AS samount,
       bday(booking_date) AS bday,
       lower(nullif(trim(uetr), '')) AS uetr,
       CASE WHEN upper(trim(end_to_end_id)) IN ('', 'NOTPROVIDED') THEN NULL ELSE trim(end_to_end_id) END AS e2e,
       CASE WHEN upper(trim(bank_reference)) IN ('', 'NONREF', 'NOTPROVIDED') THEN NULL ELSE trim(bank_reference) END AS ref1,
       nullif(trim(batch_id), '') AS batch_id,
       nullif(trim(reversal_of), '') AS reversal_of,
       nullif(trim(reversal_of), '') IS NOT NULL AS is_rev,
       txn_id
FROM ledger_in
