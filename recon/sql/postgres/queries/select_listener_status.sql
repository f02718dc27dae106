-- Every listener instance's progress, the latest first per consumer.
SELECT * FROM recon.listener_status ORDER BY consumer, updated_at DESC
