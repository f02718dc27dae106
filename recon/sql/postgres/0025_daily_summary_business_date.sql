-- Daily summary by business date: a flag counts on the business day of the run that opened it (not the
-- wall-clock day it was written), findings on the business days they were seen and cleared.
CREATE OR REPLACE FUNCTION recon.flag_business_date(run_id text, discrepancy_key text) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT left(r.partition_key, 10)::date FROM recon.runs r WHERE r.run_id = $1),
        (SELECT left(d.first_seen_partition, 10)::date FROM recon.discrepancies d WHERE d.discrepancy_key = $2))
$$;

CREATE OR REPLACE FUNCTION recon.cleared_business_date(status_note text) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
    SELECT (substring($1 FROM 'partition ([0-9]{4}-[0-9]{2}-[0-9]{2})'))::date
$$;

-- Per business date, finding type and severity: seen (the date within first..last seen), new, cleared by
-- data, and flags (breakers and payout suspensions) opened.
CREATE OR REPLACE VIEW recon.v_daily_findings AS
WITH days AS (
    SELECT DISTINCT left(partition_key, 10)::date AS business_date FROM recon.runs WHERE kind = 'daily'
    UNION SELECT left(first_seen_partition, 10)::date FROM recon.discrepancies
    UNION SELECT left(last_seen_partition, 10)::date FROM recon.discrepancies
), seen AS (
    SELECT d.business_date, x.type, x.severity,
           count(*) AS findings_seen,
           count(*) FILTER (WHERE left(x.first_seen_partition, 10)::date = d.business_date) AS findings_new
    FROM days d JOIN recon.discrepancies x
      ON d.business_date BETWEEN left(x.first_seen_partition, 10)::date AND left(x.last_seen_partition, 10)::date
    GROUP BY 1, 2, 3
), cleared AS (
    SELECT recon.cleared_business_date(status_note) AS business_date, type, severity, count(*) AS findings_cleared
    FROM recon.discrepancies WHERE resolution = 'cleared_by_data' GROUP BY 1, 2, 3
), flags AS (
    SELECT recon.flag_business_date(b.opened_by_run_id, b.discrepancy_key) AS business_date, x.type, x.severity,
           count(*) AS flags_opened
    FROM recon.circuit_breakers b LEFT JOIN recon.discrepancies x USING (discrepancy_key)
    GROUP BY 1, 2, 3
)
SELECT business_date, type, severity,
       coalesce(s.findings_seen, 0) AS findings_seen, coalesce(s.findings_new, 0) AS findings_new,
       coalesce(c.findings_cleared, 0) AS findings_cleared, coalesce(f.flags_opened, 0) AS flags_opened
FROM seen s FULL JOIN cleared c USING (business_date, type, severity)
FULL JOIN flags f USING (business_date, type, severity)
WHERE business_date IS NOT NULL;

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
    SELECT recon.flag_business_date(opened_by_run_id, discrepancy_key) AS business_date, count(*) AS flags_opened
    FROM recon.circuit_breakers GROUP BY 1
), cleared AS (
    SELECT recon.cleared_business_date(status_note) AS business_date, count(*) AS cleared_by_data
    FROM recon.discrepancies WHERE resolution = 'cleared_by_data' GROUP BY 1
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
       coalesce(g.flags_opened, 0) AS flags_opened,
       coalesce(c.cleared_by_data, 0) AS cleared_by_data
FROM days d
LEFT JOIN tiers t USING (business_date)
LEFT JOIN found f USING (business_date)
LEFT JOIN flags g USING (business_date)
LEFT JOIN cleared c USING (business_date)
ORDER BY d.business_date;
