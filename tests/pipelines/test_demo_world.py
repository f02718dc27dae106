"""The demo week on the real parts (Postgres, two local EVMs, Horizon fixture, the jobs in process):
what the run records equals what the scenario injected, no more, no less."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipelines.demo import report_data
from pipelines.demo.report import treasurer_report
from pipelines.demo.report_data import PARTITIONS
from pipelines.demo.run import RunOutcome, run_week
from pipelines.demo.scenario import ACCOUNTS
from pipelines.demo.tier1 import TIER1_WINDOWS, Tier1Summary, run_tier1
from pipelines.demo.world import DemoWorld, demo_world
from pipelines.report import data as report
from pipelines.runner import DEFAULT_ENV
from stores.warehouse import Warehouse
from tests.golden.demo_outputs import check_or_update
from tests.pipelines import demo_amounts as amounts

FOUND = """
SELECT type, scope_id, natural_key, severity, status FROM recon.discrepancies
WHERE first_seen_partition = ANY(:keys) OR last_seen_partition = ANY(:keys)
"""


@dataclass
class DemoWeek:
    warehouse: Warehouse
    url: str
    world: DemoWorld
    outcomes: list[RunOutcome]
    tier1: Tier1Summary
    found: list[dict[str, Any]]
    outputs: list[str]  # how the output store differs from the golden copy


@pytest.fixture(scope="module")
def demo_week(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWeek]:
    """The week run once for this module, in a database of its own: other tests' rows on the same days
    would be (rightly) found too."""
    tmp_path = tmp_path_factory.mktemp("demo_week")
    name = f"demo_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(warehouse.engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = warehouse.engine.url.set(database=name).render_as_string(hide_password=False)
    own = Warehouse.connect(url)
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            yield _run_week(own, url, tmp_path, monkeypatch)
    finally:
        own.engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


def _run_week(warehouse: Warehouse, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoWeek:
    monkeypatch.setenv("RECON_HOME", str(tmp_path))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    for name, value in DEFAULT_ENV.items():
        monkeypatch.setenv(name, value)
    with demo_world(tmp_path / "demo", database_url=url) as world:
        for name, value in world.env.items():
            monkeypatch.setenv(name, value)
        tier1 = Tier1Summary()

        def run_tier1_once() -> Tier1Summary:
            nonlocal tier1
            tier1 = run_tier1(Path(world.env["RECON_STATEMENTS_DIR"]), world.home)
            return tier1

        outcomes = run_week(tier1=run_tier1_once)
        outputs = check_or_update(warehouse, tmp_path)
        found = warehouse.rows(FOUND, keys=[*PARTITIONS, *TIER1_WINDOWS])
        # Every amount stored is what its source sent, to the last digit and no further.
        compared = (amounts.assert_bank_amounts_as_sent(warehouse, Path(world.env["RECON_STATEMENTS_DIR"]))
                    + amounts.assert_ledger_and_bank_sides_as_sent(warehouse)
                    + amounts.assert_chain_amounts_as_read(warehouse)
                    + amounts.assert_no_padding_anywhere(warehouse))
        assert compared > 1000
    return DemoWeek(warehouse, url, world, outcomes, tier1, found, outputs)


def test_demo_week_writes_the_golden_outputs(demo_week: DemoWeek) -> None:
    # Every table of the output store, row for row, as the committed copy has it (`make golden` renews it).
    assert demo_week.outcomes and all(o.success for o in demo_week.outcomes)
    assert demo_week.outputs == []


def test_demo_week_finds_exactly_what_was_injected(demo_week: DemoWeek) -> None:
    warehouse, url, world = demo_week.warehouse, demo_week.url, demo_week.world
    outcomes, tier1, found = demo_week.outcomes, demo_week.tier1, demo_week.found
    tmp_path = world.home.parent
    assert [(o.partition, o.failed_steps, o.error) for o in outcomes if not o.success] == []
    assert len(outcomes) == 9  # five business days, tier 1 on the Monday's notifications, three intraday windows
    # Tier 1 checked each of the Monday's notifications once, and found nothing the windows do not.
    assert tier1.published == tier1.checked > 0 and tier1.duplicates == tier1.quarantined == 0
    # Per type and scope: every injected anomaly found once, nothing found that was not injected.
    assert Counter((f["type"], f["scope_id"]) for f in found) == \
        Counter((a.type, a.scope_id) for a in world.anomalies)
    keyed = {(a.type, a.scope_id, a.natural_key) for a in world.anomalies if a.natural_key}
    assert keyed <= {(f["type"], f["scope_id"], f["natural_key"]) for f in found}
    # Every kind the suite detects is exercised, and each finding still holds at the end of the week.
    assert {a.type for a in world.anomalies} >= {
        "missing_in_ledger", "missing_at_bank", "duplicate_txn", "amount_mismatch", "balance_mismatch",
        "statement_unbalanced", "backing_shortfall", "supply_mismatch", "holder_balance_mismatch",
        "reserve_ledger_inconsistent", "redemption_unverified", "stale_reserve_lock", "utilization_level",
        "ltv_breach", "unmatched_repayment"}
    assert {f["status"] for f in found} == {"open"}
    # GBP's bank sent a camt.052 report on the Monday: its windows used it; the others statement + notifications.
    bases = {(r["account"], r["basis"]) for r in warehouse.rows(
        "SELECT account, basis FROM recon.intraday_positions WHERE partition_key = ANY(:keys)", keys=PARTITIONS)}
    gbp = next(a.iban for a in ACCOUNTS if a.key == "GBP")
    assert {b for a, b in bases if a == gbp} == {"camt052_report"}
    assert {b for a, b in bases if a != gbp} == {"statement_notifications"}
    balance = {f["scope_id"]: f["severity"] for f in found if f["type"] == "balance_mismatch"}
    assert sorted(balance.values()) == ["critical", "minor", "significant"]

    flags = {(r["scope_type"], r["kind"]) for r in warehouse.rows(
        "SELECT b.scope_type, b.kind FROM recon.circuit_breakers b JOIN recon.discrepancies d "
        "USING (discrepancy_key) WHERE b.status = 'open' AND d.last_seen_partition = ANY(:keys)", keys=PARTITIONS)}
    assert {("account", "circuit_breaker"), ("account", "payout_suspension"), ("token", "circuit_breaker"),
            ("chain", "circuit_breaker"), ("credit_line", "circuit_breaker")} <= flags
    # The daily summary counts by business date: every flag on the business day whose run opened it.
    summary = {r["business_date"].isoformat(): r for r in warehouse.rows("SELECT * FROM recon.v_daily_summary")}
    n_flags = warehouse.rows("SELECT count(*) AS n FROM recon.circuit_breakers")[0]["n"]
    assert sum(r["flags_opened"] for r in summary.values()) == n_flags > 0
    assert summary[PARTITIONS[0]]["flags_opened"] > 0 and set(summary) <= {p[:10] for p in PARTITIONS}
    by_type = warehouse.rows("SELECT type, sum(findings_new) AS n FROM recon.v_daily_findings GROUP BY type")
    assert Counter({r["type"]: int(r["n"]) for r in by_type}) == Counter(f["type"] for f in found)
    check_report(url, world.anomalies)
    check_demo_report(warehouse, f"drop_folder:{world.env['RECON_STATEMENTS_DIR']}")
    files = {r["file_name"]: r["status"] for r in warehouse.rows(
        "SELECT file_name, status FROM recon.ingested_files WHERE source = :s",
        s=f"drop_folder:{world.env['RECON_STATEMENTS_DIR']}")}
    assert [n for n, s in files.items() if s == "quarantined"] == world.quarantined
    assert list(files.values()).count("duplicate") == 1
    assert (tmp_path / "demo" / "drop" / "quarantine" / world.quarantined[0]).exists()


def check_demo_report(warehouse: Warehouse, drop_source: str) -> None:
    """The demo's treasurer report is built on `recon report`'s queries: the same rows for the last day."""
    day = report_data.DAYS[-1]
    text, data = treasurer_report(warehouse, drop_source)
    same_day = report.gather(warehouse, day)
    assert data["ltv"] == same_day["ltv"] and data["reserves"] == same_day["reserves"]
    assert data["ltv"] and all("yield_cushion_value" in p and "ltv_with_cushion" in p for p in data["ltv"])
    assert text.count("(with cushion ") == len(data["ltv"])
    scopes = {(b["token"], b["scope"]) for b in same_day["backing"]}
    assert {(b["token"], b["scope"]) for b in data["backing"]} == scopes
    assert {f["discrepancy_key"] for f in same_day["discrepancies"]} <= {f["discrepancy_key"] for f in
                                                                         data["discrepancies"]}
    assert all(f["status"] == "open" for f in data["flags"]) and data["flags"]


def check_report(url: str, anomalies: list) -> None:
    """`recon report` for a day of the week, from the output store alone (the installed command)."""
    env = {**os.environ, "RECON_DATABASE_URL": url}
    cli = Path(sys.executable).parent / "recon"
    out = subprocess.run([str(cli), "report", "--date", PARTITIONS[4], "--json"], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data["accounts"]) == 6 and data["history_days"] == PARTITIONS[:5]
    # Everything but Wednesday's redemption run (and Monday's drift, the week after) is still seen on Friday.
    assert {d["type"] for d in data["discrepancies"]} == \
        {a.type for a in anomalies} - {"redemption_rate", "redemption_failures", "balance_drift"}
    assert not any("intraday_tier" in a for a in data["accounts"])  # the intraday window is next Monday's
    html = subprocess.run([str(cli), "report", "--date", PARTITIONS[4], "--html"], capture_output=True, text=True,
                          env=env, timeout=120).stdout
    assert html.count("<svg") == 2 and html.count("<polyline") == 6 + 1  # six accounts, one token
    missing = subprocess.run([str(cli), "report", "--date", "2026-11-20"], capture_output=True, text=True, env=env,
                             timeout=120)
    assert missing.returncode == 1 and "was not reconciled" in missing.stderr
