-- Booked entries tier 1 holds for a business day.
SELECT count(*) AS n FROM recon.notification_entries
WHERE status = 'BOOK' AND business_date = :d AND coalesce(notified_at, '-infinity') < :end
