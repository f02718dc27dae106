-- Bank movements, normalised on the fly: a view, so only rows left open after the key passes are ever stored.
CREATE OR REPLACE TEMP VIEW bank_src AS
SELECT id, account, currency,
       CASE WHEN direction = 'DBIT' THEN -CAST(amount AS DECIMAL(38, 18)) ELSE CAST(amount AS DECIMAL(38, 18)) END AS samount,
       bday(booking_date) AS bday,
       lower(nullif(trim(uetr), '')) AS uetr,
       CASE WHEN upper(trim(end_to_end_id)) IN ('', 'NOTPROVIDED') THEN NULL ELSE trim(end_to_end_id) END AS e2e,
       CASE WHEN upper(trim(acct_svcr_ref)) IN ('', 'NONREF', 'NOTPROVIDED') THEN NULL ELSE trim(acct_svcr_ref) END AS ref1,
       CASE WHEN upper(trim(instr_id)) IN ('', 'NONREF', 'NOTPROVIDED') THEN NULL ELSE trim(instr_id) END AS ref2,
       CASE WHEN upper(trim(tx_id)) IN ('', 'NONREF', 'NOTPROVIDED') THEN NULL ELSE trim(tx_id) END AS ref3,
       nullif(trim(batch_id), '') AS batch_id,
       coalesce(is_reversal, false) AS is_rev
FROM bank_in
