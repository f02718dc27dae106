-- Bank entries up to a business day that carry a reserve operation's reference.
SELECT currency, amount, direction, acct_svcr_ref, end_to_end_id FROM recon.bank_entries WHERE business_date <= :d AND (acct_svcr_ref = ANY(:refs) OR end_to_end_id = ANY(:refs))
