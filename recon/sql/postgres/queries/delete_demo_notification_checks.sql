-- Tier 1 verdicts on entries of the demo's days.
DELETE FROM recon.notification_checks WHERE entry_key IN (SELECT entry_key FROM recon.notification_entries
  WHERE business_date = ANY(:days))
