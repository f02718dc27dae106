"""A backfill of two weeks of the demo world (the demo week and the one after, 2026-11-09 .. 20) with two
runs at a time, newest day first, through the UI's own path (the GraphQL launchPartitionBackfill of the
daily assets against `dagster dev`, its daemon and a run queue that lets two runs go at once) gives every
output table the same ten days run in order give, row for row.

Matching declares its dependency on the day before (a self-dependent partition mapping), so the daemon
holds a day's matching until the day before has matched while the other steps of other days run beside
it; the test checks that runs did overlap."""

from __future__ import annotations

import time
from pathlib import Path
from pprint import pformat

import dagster as dg
import pytest
import sqlalchemy as sa

from pipelines.definitions import ASSET_MODULES
from pipelines.demo.project_file import write_demo_config
from pipelines.demo.scenario import world_days
from pipelines.demo.servers import Servers, free_ports
from pipelines.demo.servers import stop as stop_servers
from pipelines.partitions import business_day_partitions
from tests.pipelines.backfill_support import differences, empty_outputs, own_home, store_engine
from tests.pipelines.test_ui_backfill import LAUNCH, _graphql, _wait_for_location, dagster_dev, outputs

STATUS = """query($id: String!) { partitionBackfillOrError(backfillId: $id) { __typename
  ... on PartitionBackfill { status runs(limit: 200) { runId status startTime endTime } } } }"""
DONE = {"SUCCESS", "FAILURE", "CANCELED"}
TWO_WEEKS = [d.isoformat() for d in world_days(weeks=2)]


def _daily_asset_keys() -> list[list[str]]:
    return [k.path for a in dg.load_assets_from_modules(ASSET_MODULES)
            if a.partitions_def == business_day_partitions for k in a.keys]


@pytest.mark.slow
def test_two_weeks_two_runs_at_a_time_newest_first_give_the_in_order_outputs(
        fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project_root: Path) -> None:
    home = own_home(tmp_path, monkeypatch)
    (home / "dagster").mkdir(parents=True)
    (home / "dagster" / "dagster.yaml").write_text("concurrency:\n  runs:\n    max_concurrent_runs: 2\n")
    monkeypatch.setenv("RECON_DATABASE_URL", fresh_database_url)
    monkeypatch.setenv("RECON_CONFIG", str(home / "recon.toml"))
    # Two runs and the code server share two busy cores: the daemon's calls to it may take minutes.
    monkeypatch.setenv("DAGSTER_GRPC_TIMEOUT_SECONDS", "600")

    from pipelines.demo.world import demo_world
    from pipelines.runner import run_daily

    ports = free_ports()
    servers = Servers(home / "demo", (ports[0], ports[1], ports[2]))
    write_demo_config(home / "recon.toml", home / "demo", ports, embedded_store=False)
    engine = store_engine(fresh_database_url)
    with dagster_dev(tmp_path, project_root) as proc:
        try:
            with demo_world(home / "demo", database_url=fresh_database_url, ports=ports, weeks=2):
                assert all(run_daily(day).success for day in TWO_WEEKS)  # the days in order, one at a time
            in_order, in_order_runs = outputs(engine), _manifests(engine)
            _has_both_weeks(in_order)
            empty_outputs(engine)
            runs = _asset_backfill(proc, tmp_path, list(reversed(TWO_WEEKS)))
            again, again_runs = outputs(engine), _manifests(engine)
        finally:
            stop_servers(servers)
    assert {r["status"] for r in runs} == {"SUCCESS"}, runs
    spans = sorted((r["startTime"], r["endTime"]) for r in runs)
    assert any(start < max(end for _, end in spans[:i]) for i, (start, _) in enumerate(spans) if i), \
        "no two runs overlapped"
    # A backfill splits a day over several runs: the run that writes the day's manifest still records the
    # ledger snapshots the day read (tests/integration/test_run_manifest.py), as the in-order run does.
    assert sorted(repr((d, _ledger(i))) for d, i in again_runs) == \
        sorted(repr((d, _ledger(i))) for d, i in in_order_runs)
    differ = differences(in_order, again)
    if differ:  # the tables that differ, then their first differing rows, whole
        pytest.fail(pformat(differ, width=110))


def _has_both_weeks(snap: dict[str, list[tuple]]) -> None:
    """The reference read every source on every day of both weeks: statements, matches and chain reads."""
    for table in ("bank_statements", "transaction_matches", "chain_reads", "balance_checks"):
        days = {str(dict(r).get("business_date") or dict(r).get("partition_key")) for r in snap[table]}
        assert set(TWO_WEEKS) <= days, (table, sorted(set(TWO_WEEKS) - days))
    assert snap["discrepancies"]


def _manifests(engine: sa.Engine) -> list[tuple[str, dict]]:
    with engine.connect() as conn:
        return [(p, i or {}) for p, i in conn.execute(sa.text(
            "SELECT partition_key, inputs FROM recon.runs WHERE kind = 'daily' AND status = 'succeeded'")).all()]


def _ledger(inputs: dict) -> dict:
    return {k: v for k, v in inputs.items() if k.startswith("ledger_")}


def _asset_backfill(proc, tmp_path: Path, days: list[str]) -> list[dict]:  # type: ignore[no-untyped-def]
    _wait_for_location(proc, tmp_path / "dagster-dev.log")
    params = {"assetSelection": [{"path": p} for p in _daily_asset_keys()], "partitionNames": days,
              "tags": [{"key": "recon/started_by", "value": "test concurrent backfill"}]}
    launched = _graphql(LAUNCH, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    # Ten days make about 60 runs (the self-dependent steps of a day go in several runs, each waiting for
    # the day before): some 10 minutes on a quiet machine, over 40 under a load of 20.
    deadline = time.monotonic() + 3600
    while True:
        backfill = _graphql(STATUS, {"id": launched["backfillId"]})["partitionBackfillOrError"]
        runs = backfill["runs"]
        if backfill["status"] not in ("REQUESTED", "CANCELING") and runs and all(r["status"] in DONE for r in runs):
            return runs
        assert time.monotonic() < deadline, backfill
        time.sleep(3)
