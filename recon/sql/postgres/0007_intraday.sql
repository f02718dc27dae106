-- Intraday checks share the daily tables; run_kind keeps them apart in the daily summary.
ALTER TABLE recon.balance_checks ADD COLUMN IF NOT EXISTS run_kind text NOT NULL DEFAULT 'daily'
    CHECK (run_kind IN ('daily', 'intraday'));
CREATE INDEX IF NOT EXISTS balance_checks_kind_idx ON recon.balance_checks (run_kind, business_date);

CREATE OR REPLACE VIEW recon.v_daily_summary AS
WITH days AS (
    SELECT business_date FROM recon.balance_checks WHERE run_kind = 'daily'
    UNION SELECT left(last_seen_partition, 10)::date FROM recon.discrepancies
), tiers AS (
    SELECT business_date,
           count(*) AS accounts_checked,
           count(*) FILTER (WHERE tier = 'ok') AS accounts_ok,
           count(*) FILTER (WHERE tier = 'minor') AS accounts_minor,
           count(*) FILTER (WHERE tier = 'significant') AS accounts_significant,
           count(*) FILTER (WHERE tier = 'critical') AS accounts_critical,
           count(*) FILTER (WHERE tier = 'unknown') AS accounts_unknown
    FROM recon.balance_checks WHERE run_kind = 'daily' GROUP BY business_date
), found AS (
    SELECT left(last_seen_partition, 10)::date AS business_date,
           count(*) AS discrepancies_seen,
           count(*) FILTER (WHERE severity = 'critical') AS critical_seen,
           count(*) FILTER (WHERE status IN ('open', 'acknowledged', 'escalated')) AS still_open
    FROM recon.discrepancies GROUP BY 1
), flags AS (
    SELECT opened_at::date AS business_date, count(*) AS flags_opened
    FROM recon.circuit_breakers GROUP BY 1
)
SELECT d.business_date,
       coalesce(t.accounts_checked, 0) AS accounts_checked,
       coalesce(t.accounts_ok, 0) AS accounts_ok,
       coalesce(t.accounts_minor, 0) AS accounts_minor,
       coalesce(t.accounts_significant, 0) AS accounts_significant,
       coalesce(t.accounts_critical, 0) AS accounts_critical,
       coalesce(t.accounts_unknown, 0) AS accounts_unknown,
       coalesce(f.discrepancies_seen, 0) AS discrepancies_seen,
       coalesce(f.critical_seen, 0) AS critical_seen,
       coalesce(f.still_open, 0) AS still_open,
       coalesce(g.flags_opened, 0) AS flags_opened
FROM days d
LEFT JOIN tiers t USING (business_date)
LEFT JOIN found f USING (business_date)
LEFT JOIN flags g USING (business_date)
ORDER BY d.business_date;
