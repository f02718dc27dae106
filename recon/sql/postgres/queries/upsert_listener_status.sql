-- One listener instance's progress, replaced as it goes.
INSERT INTO recon.listener_status ({columns}, updated_at) VALUES ({values}, now())
ON CONFLICT (consumer, instance) DO UPDATE SET ({changing}) = ROW({incoming}), updated_at = now()
