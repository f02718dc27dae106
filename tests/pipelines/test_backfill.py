"""A two-day backfill in process writes both partitions; repeating it writes nothing new."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.demo.scenario import DAYS
from pipelines.demo.world import demo_world
from pipelines.runner import DEFAULT_ENV, run_daily
from stores.warehouse import Warehouse

# Tables whose rows a daily partition owns; audit_log and runs grow by design (one row per event/run).
PARTITIONED = ["bank_statements", "bank_entries", "transaction_matches", "balance_checks", "chain_reads",
               "chain_supply", "chain_balances", "backing_checks", "reserve_status", "ltv_positions",
               "discrepancies", "circuit_breakers", "ingested_files"]


def snapshot(wh: Warehouse) -> dict[str, int]:
    counts = wh.table_counts()
    return {t: counts[t] for t in PARTITIONED}


def test_two_day_backfill_is_idempotent(fresh_warehouse: Warehouse, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    wh = fresh_warehouse
    monkeypatch.setenv("RECON_HOME", str(tmp_path))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    for name, value in DEFAULT_ENV.items():
        monkeypatch.setenv(name, value)
    days = [d.isoformat() for d in DAYS[:2]]
    with demo_world(tmp_path / "demo", database_url=wh.engine.url.render_as_string(hide_password=False)) as world:
        for name, value in world.env.items():
            monkeypatch.setenv(name, value)
        results = [run_daily(day) for day in days]
        assert all(r.success for r in results)
        first = snapshot(wh)
        flags = wh.rows("SELECT breaker_id, status FROM recon.circuit_breakers ORDER BY 1")
        assert all(run_daily(day).success for day in days)
        again = snapshot(wh)

    for day in days:
        assert wh.rows("SELECT count(*) AS n FROM recon.balance_checks WHERE partition_key = :p", p=day)[0]["n"] > 0
        assert wh.rows("SELECT count(*) AS n FROM recon.chain_supply WHERE partition_key = :p", p=day)[0]["n"] > 0
    assert again == first
    # Every source of the demo world was read at its cut-off.
    fresh = [c for r in results for c in r.get_asset_check_evaluations() if c.check_name == "sources_fresh"]
    assert [c.passed for c in fresh] == [True, True]
    # Each run left its manifest: cut-offs per source and the statement files' hashes.
    runs = wh.rows("SELECT partition_key, status, cutoffs, inputs FROM recon.runs WHERE partition_key = ANY(:d)",
                   d=days)
    assert {r["partition_key"] for r in runs} == set(days) and {r["status"] for r in runs} == {"succeeded"}
    assert all({"ethereum_block", "base_block", "ledger_as_of"} <= set(r["cutoffs"]) for r in runs)
    assert all(r["inputs"]["statement_files"] for r in runs)
    # The same breakers, still open: a re-run neither stacks flags nor clears them.
    assert wh.rows("SELECT breaker_id, status FROM recon.circuit_breakers ORDER BY 1") == flags
