-- Business-day index (Monday to Friday): a weekend date counts as the following Monday.
CREATE OR REPLACE TEMP MACRO bday(d) AS
    (datediff('day', DATE '1970-01-05', d) // 7) * 5 + least(datediff('day', DATE '1970-01-05', d) % 7, 5)
