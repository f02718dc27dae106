"""Discrepancies keep people's decisions across re-runs; breakers open once and only a person clears them."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from recon.discrepancies import Discrepancy, discrepancy_frame
from stores import pg_discrepancies
from stores.warehouse import Warehouse


def finding(scope: str, key: str, severity: str = "minor", action: str = "record") -> Discrepancy:
    return Discrepancy(type="balance_mismatch", scope_type="account", scope_id=scope, natural_key=key,
                       severity=severity, action=action, summary=f"{scope} off", currency="EUR",
                       amount=Decimal("12.34"), details={"diff": "12.34"})


def status_of(wh: Warehouse, key: str) -> dict:
    return wh.rows("SELECT * FROM recon.discrepancies WHERE discrepancy_key = :k", k=key)[0]


def open_flags(wh: Warehouse, scope: str) -> list[dict]:
    return wh.rows("SELECT * FROM recon.circuit_breakers WHERE scope_id = :s AND status = 'open'", s=scope)


def test_rerun_keeps_row_count_and_a_persons_status(warehouse: Warehouse) -> None:
    found = discrepancy_frame([finding("LC-1", "d1"), finding("LC-2", "d1")])
    first = warehouse.record_discrepancies("lc-test", "2026-02-02", found, "run-1")
    assert (first.inserted, first.updated) == (2, 0)
    key = finding("LC-1", "d1").key
    with warehouse.engine.begin() as conn:
        pg_discrepancies.set_status(conn, key, "acknowledged", "ana", "bank confirms a fee")
    again = warehouse.record_discrepancies("lc-test", "2026-02-02", found, "run-2")
    assert (again.inserted, again.updated, again.cleared) == (0, 2, 0)
    row = status_of(warehouse, key)
    assert (row["status"], row["status_by"], row["last_run_id"]) == ("acknowledged", "ana", "run-2")
    count = warehouse.rows("SELECT count(*) AS n FROM recon.discrepancies WHERE detector = 'lc-test'")[0]["n"]
    assert count == 2


def test_cleared_by_data_then_reopened_when_seen_again(warehouse: Warehouse) -> None:
    d = finding("LC-3", "d1")
    warehouse.record_discrepancies("lc-clear", "2026-02-02", discrepancy_frame([d]), "r1")
    empty = discrepancy_frame([])
    result = warehouse.record_discrepancies("lc-clear", "2026-02-03", empty, "r2")
    assert result.cleared == 1
    row = status_of(warehouse, d.key)
    assert (row["status"], row["resolution"], row["status_by"]) == ("resolved", "cleared_by_data", "system")
    warehouse.record_discrepancies("lc-clear", "2026-02-04", discrepancy_frame([d]), "r3")
    row = status_of(warehouse, d.key)
    assert (row["status"], row["resolution"]) == ("open", None)
    assert (row["first_seen_partition"], row["last_seen_partition"]) == ("2026-02-02", "2026-02-04")


def test_a_business_day_ranks_after_its_own_intraday_windows(warehouse: Warehouse) -> None:
    # The daily run reads the day's close, so it is later than the day's 10:00 window, not earlier.
    d, empty = finding("LC-RANK", "d1"), discrepancy_frame([])
    warehouse.record_discrepancies("lc-rank", "2026-02-03-10:00", discrepancy_frame([d]), "r1")
    assert warehouse.record_discrepancies("lc-rank", "2026-02-02", empty, "r2").cleared == 0  # a backfill
    warehouse.record_discrepancies("lc-rank", "2026-02-03", discrepancy_frame([d]), "r3")
    warehouse.record_discrepancies("lc-rank", "2026-02-03-09:30", discrepancy_frame([d]), "r4")
    row = status_of(warehouse, d.key)
    assert (row["first_seen_partition"], row["last_seen_partition"]) == ("2026-02-03-09:30", "2026-02-03")
    assert warehouse.record_discrepancies("lc-rank", "2026-02-03-23:30", empty, "r5").cleared == 0
    assert warehouse.record_discrepancies("lc-rank", "2026-02-04-00:00", empty, "r6").cleared == 1


def test_incomplete_run_clears_nothing(warehouse: Warehouse) -> None:
    # A source that could not be read proves nothing: its findings stay open.
    d = finding("LC-4", "d1")
    warehouse.record_discrepancies("lc-unknown", "2026-02-02", discrepancy_frame([d]), "r1")
    warehouse.record_discrepancies("lc-unknown", "2026-02-03", discrepancy_frame([]), "r2", complete=False)
    assert status_of(warehouse, d.key)["status"] == "open"


def test_backfill_of_an_older_partition_does_not_clear_newer_findings(warehouse: Warehouse) -> None:
    d = finding("LC-5", "d1")
    warehouse.record_discrepancies("lc-backfill", "2026-02-05", discrepancy_frame([d]), "r1")
    warehouse.record_discrepancies("lc-backfill", "2026-02-02", discrepancy_frame([]), "r0")
    assert status_of(warehouse, d.key)["status"] == "open"


def test_a_persons_resolution_survives_and_blocks_no_data(warehouse: Warehouse) -> None:
    d = finding("LC-6", "d1")
    warehouse.record_discrepancies("lc-manual", "2026-02-02", discrepancy_frame([d]), "r1")
    with warehouse.engine.begin() as conn:
        pg_discrepancies.set_status(conn, d.key, "resolved", "ops", "accepted: bank rounding")
    warehouse.record_discrepancies("lc-manual", "2026-02-03", discrepancy_frame([d]), "r2")
    row = status_of(warehouse, d.key)
    assert (row["status"], row["resolution"], row["last_seen_partition"]) == ("resolved", "manual", "2026-02-03")


def test_breaker_opens_once_and_is_never_cleared_automatically(warehouse: Warehouse) -> None:
    crit = finding("LC-7", "d1", severity="critical", action="circuit_breaker")
    first = warehouse.record_discrepancies("lc-breaker", "2026-02-02", discrepancy_frame([crit]), "r1")
    assert [f["kind"] for f in first.flags_opened] == ["circuit_breaker"]
    again = warehouse.record_discrepancies("lc-breaker", "2026-02-02", discrepancy_frame([crit]), "r2")
    assert again.flags_opened == []
    # The data clears, the breaker does not.
    warehouse.record_discrepancies("lc-breaker", "2026-02-03", discrepancy_frame([]), "r3")
    flags = open_flags(warehouse, "LC-7")
    assert len(flags) == 1
    control = warehouse.rows("SELECT * FROM recon.v_payout_controls WHERE scope_id = 'LC-7'")[0]
    assert control["payouts_suspended"] and control["circuit_breaker_open"]
    with warehouse.engine.begin() as conn, pytest.raises(ValueError, match="who"):
        pg_discrepancies.clear_flag(conn, flags[0]["breaker_id"], "ops", " ")
    with warehouse.engine.begin() as conn:
        pg_discrepancies.clear_flag(conn, flags[0]["breaker_id"], "ops", "bank credited the missing funds")
    assert open_flags(warehouse, "LC-7") == []
    audit = warehouse.rows("SELECT actor, action FROM recon.audit_log WHERE subject = 'account:LC-7' ORDER BY at")
    assert [(a["actor"], a["action"]) for a in audit] == [
        ("system", "circuit_breaker_opened"),
        # No webhook configured: the alerts still land in the audit log, marked undelivered.
        ("notifier", "alert:breaker_opened"),
        ("notifier", "alert:critical_discrepancy"),
        ("ops", "circuit_breaker_cleared"),
    ]


def test_a_breaker_reads_as_its_first_sighting_whatever_order_the_days_ran(warehouse: Warehouse) -> None:
    def seen(scope: str, day: str, figure: str) -> dict:
        crit = Discrepancy(type="balance_mismatch", scope_type="account", scope_id=scope, natural_key="d1",
                           severity="critical", action="circuit_breaker", summary=f"{scope}: off by {figure}",
                           currency="EUR", amount=Decimal(figure), details={})
        return warehouse.record_discrepancies("lc-order", day, discrepancy_frame([crit]), f"r-{scope}-{day}")

    days = [("2026-03-02", "250.00"), ("2026-03-03", "260.00"), ("2026-03-04", "270.00")]
    for scope, order in (("LC-ORD-1", days), ("LC-ORD-2", days[::-1]), ("LC-ORD-3", [days[1], days[2], days[0]])):
        opened = [len(seen(scope, day, figure).flags_opened) for day, figure in order]
        assert opened == [1, 0, 0]  # opened once, by whichever day ran first
        flags = open_flags(warehouse, scope)
        assert [(f["tier"], f["reason"]) for f in flags] == [("critical", f"{scope}: off by 250.00")], order
        assert warehouse.rows("SELECT count(*) AS n FROM recon.audit_log WHERE subject = :s AND action = "
                              "'circuit_breaker_opened'", s=f"account:{scope}")[0]["n"] == 1


def test_significant_suspends_payouts_without_a_breaker(warehouse: Warehouse) -> None:
    sig = finding("LC-8", "d1", severity="significant", action="suspend_payouts")
    result = warehouse.record_discrepancies("lc-suspend", "2026-02-02", discrepancy_frame([sig]), "r1")
    assert [f["kind"] for f in result.flags_opened] == ["payout_suspension"]
    control = warehouse.rows("SELECT * FROM recon.v_payout_controls WHERE scope_id = 'LC-8'")[0]
    assert control["payouts_suspended"] and not control["circuit_breaker_open"]


def test_unknown_key_and_bad_status_are_refused(warehouse: Warehouse) -> None:
    with warehouse.engine.begin() as conn, pytest.raises(KeyError):
        pg_discrepancies.set_status(conn, "nope", "acknowledged", "ana", "x")
    with warehouse.engine.begin() as conn, pytest.raises(ValueError):
        pg_discrepancies.set_status(conn, "nope", "open", "ana", "x")
    # The table itself refuses a type analysts have no documentation for.
    with pytest.raises(sa.exc.IntegrityError):
        _insert_bad_type(warehouse)


def _insert_bad_type(wh: Warehouse) -> None:
    with wh.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO recon.discrepancies (discrepancy_key, type, detector, scope_type, scope_id, "
            "natural_key, severity, summary, first_seen_partition, last_seen_partition) "
            "VALUES ('k', 'made_up', 'd', 's', 's', 'n', 'minor', 'x', 'p', 'p')"))


def test_only_a_complete_read_at_a_cutoff_no_earlier_clears_and_a_return_alerts_again(warehouse: Warehouse) -> None:
    from datetime import UTC, datetime

    d = finding("LC-9", "d1", severity="critical", action="record")
    late = datetime(2026, 2, 10, 23, 59, tzinfo=UTC)
    first = warehouse.record_discrepancies("lc-cut", "2026-02-10", discrepancy_frame([d]), "run-1", cutoff=late)
    assert [a["discrepancy_key"] for a in first.alerts] == [d.key]
    empty = discrepancy_frame([])
    # An incomplete read clears nothing; a complete one at an earlier cut-off neither.
    assert warehouse.record_discrepancies("lc-cut", "2026-02-10", empty, "run-2", complete=False).cleared == 0
    early = datetime(2026, 2, 10, 12, 0, tzinfo=UTC)
    assert warehouse.record_discrepancies("lc-cut", "2026-02-10", empty, "run-3", cutoff=early).cleared == 0
    assert status_of(warehouse, d.key)["status"] == "open"
    assert warehouse.record_discrepancies("lc-cut", "2026-02-10", empty, "run-4", cutoff=late).cleared == 1
    assert status_of(warehouse, d.key)["resolution"] == "cleared_by_data"
    # It comes back: open again, and alerted again (not only on its first insert).
    back = warehouse.record_discrepancies("lc-cut", "2026-02-11", discrepancy_frame([d]), "run-5")
    assert [a["discrepancy_key"] for a in back.alerts] == [d.key]
    row = status_of(warehouse, d.key)
    assert (row["status"], row["times_reopened"]) == ("open", 1)
