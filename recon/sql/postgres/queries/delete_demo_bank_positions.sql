-- Bank positions of the accounts with statements on the demo's days.
DELETE FROM recon.bank_positions WHERE account IN (SELECT account FROM recon.bank_statements WHERE business_date = ANY(:days))
