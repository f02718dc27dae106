-- Notifications left without an entry.
DELETE FROM recon.notifications WHERE NOT EXISTS (SELECT 1 FROM recon.notification_entries e WHERE e.sha256 = notifications.sha256)
