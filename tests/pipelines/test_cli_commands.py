"""Every command the README shows, run as a person runs it: the installed `recon` entry point in a
subprocess, against the demo world (built once for this module, with its chains up), asserting its
output and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipelines.demo.world import demo_world
from pipelines.runner import DEFAULT_ENV
from stores.warehouse import Warehouse

RECON = Path(sys.executable).with_name("recon")
DAY, WINDOW_AT = "2026-11-13", "2026-11-16T10:30"


@pytest.fixture(scope="module")
def env(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The demo world in a database of its own, and the environment a user's shell would have."""
    name = f"cli_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(warehouse.engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = warehouse.engine.url.set(database=name).render_as_string(hide_password=False)
    home = tmp_path_factory.mktemp("cli")
    saved = {k: os.environ.get(k) for k in ("RECON_HOME", "RECON_DATABASE_URL")}
    os.environ["RECON_HOME"] = str(home)  # the world's ledger snapshots are cleared here, not in .recon/
    try:
        with demo_world(home / "demo", database_url=url) as world:
            yield {**os.environ, **DEFAULT_ENV, **world.env, "RECON_HOME": str(home),
                   "DAGSTER_HOME": str(home / "dagster"), "NO_COLOR": "1", "COLUMNS": "200"}
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


def recon(env: dict[str, str], *args: str, code: int = 0) -> str:
    done = subprocess.run([str(RECON), *args], env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == code, (args, done.returncode, done.stdout[-3000:], done.stderr[-3000:])
    return done.stdout + done.stderr


def test_help_lists_every_command_group() -> None:
    out = recon(dict(os.environ), "--help")
    for group in ("run", "db", "camt", "discrepancies", "breaker", "reserves", "holders", "credit", "demo"):
        assert f" {group} " in out


def test_a_business_day_runs_step_by_step_then_the_findings_are_acted_on(env: dict[str, str]) -> None:
    out = recon(env, "run", "daily", "--date", DAY)
    lines = out.splitlines()
    # One line per step as it finishes and a summary; Dagster's debug log is in the file, not here.
    assert any(line.startswith("  ok      bank_statement_tables") for line in lines)
    assert any(line.startswith("  ok      run_manifest") for line in lines)
    assert "DEBUG" not in out and len(lines) < 60
    summary = "\n".join(lines[-6:])
    assert "balance tiers: " in summary and "critical" in summary and "flags opened:" in summary
    logs = list((Path(env["RECON_HOME"]) / "logs").glob(f"daily_reconciliation-{DAY}-*.log"))
    assert len(logs) == 1 and "STEP_SUCCESS" in logs[0].read_text()

    critical = recon(env, "discrepancies", "list", "--status", "open", "--severity", "critical")
    assert critical.strip() and all(line.startswith("critical") for line in critical.splitlines())
    key = critical.splitlines()[0].split()[-1]  # each line ends with the discrepancy's key
    assert f"{key}: acknowledged by ana" in recon(env, "discrepancies", "acknowledge", key, "--by", "ana",
                                                  "--note", "bank confirms a fee")

    flags = recon(env, "breaker", "list")
    assert flags.startswith("#")
    breaker_id = flags.split()[0].lstrip("#")
    assert "cleared by ops" in recon(env, "breaker", "clear", breaker_id, "--by", "ops", "--reason",
                                     "funds received")
    assert f"#{breaker_id} " not in recon(env, "breaker", "list")

    assert f"LTV positions for {DAY}" in recon(env, "credit", "positions")
    reserves = recon(env, "reserves", "status")
    assert "reserve" in reserves.lower() and "redemption" in reserves.lower()
    holders = recon(env, "holders", "reconcile")
    assert "custodial balances compared" in holders and "Dry run: nothing changed." in holders
    assert recon(env, "db", "url").startswith("postgresql://recon_analyst")


def test_reserve_status_reads_the_store_as_owner_and_as_analyst(env: dict[str, str], tmp_path: Path) -> None:
    if subprocess.run([str(RECON), "reserves", "status", "--date", DAY], env=env, capture_output=True,
                      check=False).returncode == 1:
        recon(env, "run", "daily", "--date", DAY)  # this test alone: the day is reconciled first
    owner = json.loads(recon(env, "reserves", "status", "--date", DAY, "--json"))
    engine = sa.create_engine(env["RECON_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        stored = {r.chain: r for r in conn.execute(sa.text(
            "SELECT chain, ledger_reserve, notes, real_count, test_count FROM recon.reserve_ledger_audit "
            "WHERE partition_key = :p"), {"p": DAY})}
    engine.dispose()
    assert owner["business_date"] == DAY and owner["missing"] == [] and owner["unit"]
    assert {c["chain"] for c in owner["chains"]} == set(stored) >= {"ethereum", "base"}
    for c in owner["chains"]:
        assert Decimal(c["reserve"]) == stored[c["chain"]].ledger_reserve and c["last_updated"]
        assert c["notes"] == stored[c["chain"]].notes and c["real_redemptions"] == stored[c["chain"]].real_count
    assert Decimal(owner["total_reserve"]) == sum(r.ledger_reserve for r in stored.values())
    assert sum(Decimal(c["share_pct"]) for c in owner["chains"]) == pytest.approx(Decimal(100), abs=Decimal("0.02"))
    assert owner["totals"]["test_count"] == sum(r.test_count for r in stored.values()) > 0
    t = owner["totals"]
    assert len(owner["recent_redemptions"]) == min(10, t["real_count"] + t["test_count"] + t["refused_count"])
    assert all(r["before"] and r["after"] and isinstance(r["test_mode"], bool) for r in owner["recent_redemptions"])
    text = recon(env, "reserves", "status", "--date", DAY)
    assert f"Reserve status at the close of {DAY}" in text and "->" in text and "total" in text

    # The analyst's read-only role sees the same report; it never needs to write.
    analyst = {**env, "RECON_DATABASE_URL": recon(env, "db", "url").strip()}
    assert json.loads(recon(analyst, "reserves", "status", "--date", DAY, "--json")) == owner

    # A reserves file without redemption chains: the store's figures are shown and the gap is said.
    bare = tmp_path / "reserves.json"
    bare.write_text(json.dumps({"reserves": {"redemption_asset": "USDT"}}))
    said = json.loads(recon({**analyst, "RECON_RESERVES_CONFIG": str(bare)}, "reserves", "status", "--json"))
    assert said["missing"][0] == "reserves configuration: redemption_chains is not configured"
    assert said["total_reserve"] == owner["total_reserve"]
    # Before any reconciled day: said, and no figure.
    assert "no reserve ledger audit recorded on or before 2026-01-02" in recon(
        analyst, "reserves", "status", "--date", "2026-01-02", code=1)


def test_an_intraday_window_reports_as_json(env: dict[str, str]) -> None:
    report = json.loads(recon(env, "run", "intraday", "--at", WINDOW_AT, "--json"))
    assert report["success"] is True and report["failed_steps"] == []
    assert report["partition"] == "2026-11-16-10:00" and Path(report["log_file"]).is_file()
    assert set(report) >= {"tiers", "findings_by_type", "flags_opened", "checks_failed", "run_id"}


def test_camt_inspect_reads_a_bank_file(env: dict[str, str]) -> None:
    drop = Path(env["RECON_STATEMENTS_DIR"])
    file = next(p for p in sorted(drop.glob("*.xml")) if "053" in p.name)
    out = recon(env, "camt", "inspect", str(file))
    assert "camt.053" in out and "proof: balances" in out
    assert json.loads(recon(env, "camt", "inspect", "--json", str(file)))[0]["message"].startswith("camt.053")


@pytest.mark.parametrize(("args", "named"), [
    (("discrepancies", "list", "--severity", "huge"), "'huge' is not one of 'ok', 'minor', 'significant'"),
    (("credit", "positions", "--band", "big"), "'big' is not one of 'healthy'"),
    (("run", "daily", "--date", "2026-11-14"), "2026-11-14 is not a business day"),
])
def test_a_value_outside_its_choices_is_an_error_naming_them(args: tuple[str, ...], named: str) -> None:
    out = recon(dict(os.environ, COLUMNS="200", NO_COLOR="1"), *args, code=2)
    assert named in " ".join(out.split())
