-- Notified entries of the demo's days.
DELETE FROM recon.notification_entries WHERE business_date = ANY(:days)
