-- The reserve accounts' operations as the reserve book check last read them, and their analytics view.
CREATE TABLE IF NOT EXISTS recon.reserve_operation_log (
    operation_key  text PRIMARY KEY,            -- the service's operation id, else operation:reference:time
    reserve_id     text NOT NULL,
    operation      text NOT NULL,               -- lock | release | top_up | withdrawal (others kept as read)
    currency       text,                        -- the reserve account's; null when the reserve is unknown
    reserve_type   text,
    amount         numeric NOT NULL,
    reference      text,
    at             timestamptz NOT NULL,
    partition_key  text NOT NULL,               -- the business day whose run last read it
    run_id         text
);
CREATE INDEX IF NOT EXISTS reserve_operation_log_at_idx ON recon.reserve_operation_log (at);

-- Per day, operation and currency: how many and how much (the wallet's analytics, from the output store).
CREATE OR REPLACE VIEW recon.v_reserve_analytics AS
SELECT (at AT TIME ZONE 'UTC')::date AS day, operation, currency, count(*) AS operations, sum(amount) AS volume
FROM recon.reserve_operation_log
GROUP BY 1, 2, 3;
COMMENT ON VIEW recon.v_reserve_analytics IS
    'per UTC day, operation (lock, release, top_up, withdrawal) and currency: count and volume';
