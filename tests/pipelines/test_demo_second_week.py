"""The demo world over two weeks: the demo week's files and ledger rows are the one-week world's, byte for
byte, and a day of the second week reads every source at its own cut-off (its statements, the ledger,
blocks and ledger sequences of that day on both local EVMs and Horizon)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.config.load import OVERRIDES
from pipelines.demo.scenario import DAYS, INTRADAY_DAY, bank_world, world_days
from pipelines.demo.scenario_credit import repayment_moves
from pipelines.demo.servers import record_weeks, recorded_weeks
from pipelines.demo.world_bank import write_drop_folder
from pipelines.demo.world_ledger import account_rows, transaction_rows
from stores.warehouse import Warehouse

SECOND_WEEK = [date(2026, 11, d) for d in (16, 17, 18, 19, 20)]


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_two_weeks_are_the_demo_week_and_five_business_days_after_it() -> None:
    assert world_days(1) == DAYS
    assert world_days(2) == DAYS + SECOND_WEEK
    with pytest.raises(ValueError, match="1 to 2 weeks"):
        world_days(3)


def test_the_demo_week_is_the_same_with_or_without_a_second_week(tmp_path: Path) -> None:
    one, two = bank_world(), bank_world(weeks=2)
    for w in (one, two):
        w.moves += repayment_moves()
    write_drop_folder(one, tmp_path / "one")
    write_drop_folder(two, tmp_path / "two")
    first, both = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert {n: both[n] for n in first} == first  # every file of the demo week, its bytes and arrival time
    later = sorted(set(both) - set(first))
    assert [n for n in later if n.startswith("053_")] == sorted(
        f"053_{d:%Y%m%d}_{a}.xml" for d in SECOND_WEEK for a in ("AED", "EUR", "GBP", "INR", "RSV", "USD"))
    assert two.moves == one.moves and {m.day for m in two.later} == set(SECOND_WEEK)
    rows_one = account_rows(one)
    assert [r for r in account_rows(two) if r["as_of"].date() <= DAYS[-1] or r["as_of"].hour < 22] == rows_one
    txns = transaction_rows(one.booked)
    assert transaction_rows(two.booked)[:len(txns)] == txns

def test_the_servers_replay_the_weeks_the_world_records(tmp_path: Path) -> None:
    assert recorded_weeks(tmp_path) == 1  # a world built before weeks were recorded: the demo's one
    record_weeks(tmp_path, 2)
    assert recorded_weeks(tmp_path) == 2


def test_monday_of_the_second_week_books_what_the_morning_notified_and_reported(tmp_path: Path) -> None:
    w = bank_world(weeks=2)
    write_drop_folder(w, tmp_path)
    for m in w.intraday + w.reported:
        statement = (tmp_path / f"053_{INTRADAY_DAY:%Y%m%d}_{m.account}.xml").read_text()
        assert m.ref in statement, m


def test_a_day_of_the_second_week_reads_every_source_at_its_own_cutoff(
        fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in OVERRIDES.values():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RECON_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home" / "dagster"))
    from pipelines.demo.world import demo_world
    from pipelines.runner import run_daily

    day = "2026-11-18"
    wh = Warehouse.connect(fresh_database_url)
    with demo_world(tmp_path / "demo", database_url=fresh_database_url, weeks=2) as world:
        for name, value in world.env.items():
            monkeypatch.setenv(name, value)
        assert run_daily(day).success
    reads = wh.rows("SELECT chain, status, block_time, error FROM recon.chain_reads WHERE partition_key = :d", d=day)
    assert {r["chain"] for r in reads} == {"ethereum", "base", "stellar"}
    assert {r["status"] for r in reads} == {"complete"}, reads
    # Each chain pins the block (EVM: mined at noon) or ledger (hourly) of the day itself.
    assert {r["block_time"].date().isoformat() for r in reads} == {day}, reads
    statements = wh.rows("SELECT account, proof_ok FROM recon.bank_statements WHERE business_date = :d "
                         "AND message_type LIKE 'camt.053%'", d=day)
    assert len(statements) == 6 and all(s["proof_ok"] for s in statements), statements
    checks = wh.rows("SELECT tier FROM recon.balance_checks WHERE business_date = :d", d=day)
    assert len(checks) == 6 and "unknown" not in {c["tier"] for c in checks}, checks
    wh.engine.dispose()
