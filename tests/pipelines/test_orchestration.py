"""Jobs, schedules and sensors users rely on: present, and asking for the right runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.jobs import DAILY_JOB
from pipelines.schedules import closed_business_day, closed_window
from pipelines.sensors import statement_drop_folder_sensor
from recon.camt.model import Entry, Statement
from recon.camt.writer import write_camt
from resources.drop_folder import StatementsResource


def statement(day: date, iban: str = "AE070331234567890123456") -> Statement:
    return Statement(
        account_iban=iban, currency="AED", opening_balance=Decimal("5000000.00"),
        entries=[Entry(amount=Decimal("1250.50"), direction="CRDT", booking_date=day, acct_svcr_ref=f"R-{day}")],
        statement_id=f"S-{day}", created_at=datetime(day.year, day.month, day.day, 23, tzinfo=UTC),
        from_date=day, to_date=day, closing_date=day,
    )


def test_jobs_schedules_and_sensors_exist() -> None:
    repo = defs.get_repository_def()
    assert {"daily_reconciliation", "setup_output_store"} <= {j.name for j in repo.get_all_jobs()}
    assert "daily_reconciliation_after_cutoff" in {s.name for s in repo.schedule_defs}
    assert {"statement_drop_folder_sensor", "alert_on_run_failure"} <= {s.name for s in repo.sensor_defs}
    daily = repo.get_job(DAILY_JOB)
    keys = {k.to_user_string() for k in daily.asset_layer.executable_asset_keys}
    # The end-of-day job covers every side of the books.
    assert {"bank_entries", "transaction_matches", "balance_checks", "backing_checks"} <= keys


@pytest.mark.parametrize(
    ("tick", "expected"),
    [
        (datetime(2026, 11, 17, 6), "2026-11-16"),  # Tuesday morning: Monday's books
        (datetime(2026, 11, 21, 6), "2026-11-20"),  # Saturday morning: Friday's books
    ],
)
def test_daily_tick_reconciles_the_business_day_that_closed(tick: datetime, expected: str) -> None:
    assert closed_business_day(tick) == expected


def test_intraday_tick_checks_the_window_that_just_closed() -> None:
    assert closed_window(datetime(2026, 11, 20, 14, 30)) == "2026-11-20-14:00"
    assert closed_window(datetime(2026, 11, 20, 0, 0)) == "2026-11-19-23:30"  # across midnight


def _evaluate(folder: Path, cursor: str | None) -> dg.SensorResult:
    context = dg.build_sensor_context(cursor=cursor, resources={"statements": StatementsResource(
        drop_folder=str(folder))})
    return statement_drop_folder_sensor(context)


def test_sensor_requests_one_run_per_new_file_and_none_for_a_file_seen_before(tmp_path: Path) -> None:
    write_camt(tmp_path / "mon.xml", [statement(date(2026, 11, 16))])
    first = _evaluate(tmp_path, None)
    assert [(r.partition_key, r.tags["recon/file"]) for r in first.run_requests] == [("2026-11-16", "mon.xml")]
    write_camt(tmp_path / "tue.xml", [statement(date(2026, 11, 17))])
    # The same bytes again under another name: already requested, no second run.
    (tmp_path / "mon-copy.xml").write_bytes((tmp_path / "mon.xml").read_bytes())
    second = _evaluate(tmp_path, first.cursor)
    assert [(r.partition_key, r.tags["recon/file"]) for r in second.run_requests] == [("2026-11-17", "tue.xml")]
    assert _evaluate(tmp_path, second.cursor).run_requests == []
    assert first.run_requests[0].run_key.startswith(first.run_requests[0].tags["recon/sha256"])


def test_sensor_sends_an_unreadable_file_to_a_run_that_will_quarantine_it(tmp_path: Path) -> None:
    (tmp_path / "broken.xml").write_text("<Document><oops")
    result = _evaluate(tmp_path, None)
    assert len(result.run_requests) == 1
    assert result.run_requests[0].partition_key is not None


def test_sensor_skips_when_the_folder_is_missing(tmp_path: Path) -> None:
    result = _evaluate(tmp_path / "absent", None)
    assert not result.run_requests
    assert result.skip_reason is not None and "does not exist" in result.skip_reason.skip_message


def test_a_days_matching_depends_on_the_business_day_before() -> None:
    """Dagster runs a backfill's days of transaction_matches in order: each is declared to depend on
    the previous business day's (Monday on Friday), so no two days of a range run at once."""
    from assets.matching import PREVIOUS_DAY
    from assets.partitions import business_day_partitions

    key = dg.AssetKey("transaction_matches")
    assert key in defs.resolve_asset_graph().get(key).parent_keys
    mapping = PREVIOUS_DAY.partition_mapping
    assert mapping is not None
    for day, before in [("2026-11-16", "2026-11-13"), ("2026-11-13", "2026-11-12"), ("2026-01-01", None)]:
        subset = business_day_partitions.subset_with_partition_keys([day])
        upstream = mapping.get_upstream_mapped_partitions_result_for_partitions(
            subset, business_day_partitions, business_day_partitions).partitions_subset
        assert list(upstream.get_partition_keys()) == ([before] if before else [])
