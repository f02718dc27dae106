-- Timestamps come back in UTC for this transaction (PostgreSQL).
SET LOCAL TIME ZONE 'UTC'
