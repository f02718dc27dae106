"""After the demo, a backfill of its week through the UI's own path (the GraphQL launchPartitionBackfill
mutation, against `dagster dev` with its daemon and run queue) reproduces every output table row for row.

The world is configured only by the recon.toml the demo writes (secrets by variable name), and its chains
run as the supervised process: this is what a person gets after `make demo` and `make dev`."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipelines.config.load import OVERRIDES
from pipelines.demo.project_file import write_demo_config
from pipelines.demo.scenario import DAYS
from pipelines.demo.servers import Servers, free_ports
from pipelines.demo.servers import stop as stop_servers
from stores.identifiers import render
from stores.warehouse import Warehouse

UI_PORT = int(os.environ.get("RECON_TEST_UI_PORT", "3113"))
WEEK = [d.isoformat() for d in DAYS]
# Per-run bookkeeping, not outputs: which run wrote a row and when.
VOLATILE = {"run_id", "first_run_id", "last_run_id", "opened_by_run_id", "created_at", "ingested_at",
            "first_seen_at", "last_seen_at", "opened_at", "status_at", "breaker_id"}
# A run's id quoted in a note ("no longer found in partition 2026-11-16 (run <id>)").
_RUN_ID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
# Append-only logs: one row per event or run by design; the manifests are compared per partition below.
LOGS = {"audit_log", "runs", "schema_migrations"}
# When a row was written (a column defaulting to now(): linked_at, read_at, computed_at, ...), as the golden
# comparison leaves out too: a rebuilt table is written later. What the row says happened has its own column.
_WRITTEN_AT = ("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'recon' "
               "AND column_default LIKE '%now()%'")


def _value(v: object) -> object:
    if isinstance(v, str):
        return _RUN_ID.sub("<run>", v)
    if isinstance(v, (datetime, date, Decimal)):
        return str(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True, default=str)
    return v


def outputs(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every output table's rows without per-run bookkeeping, sorted; each run's manifest per partition."""
    snap: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        tables = conn.execute(sa.text("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                      "'recon' AND table_type = 'BASE TABLE' ORDER BY 1")).scalars().all()
        written_at = set(map(tuple, conn.execute(sa.text(_WRITTEN_AT)).all()))
        for table in tables:
            if table in LOGS:
                continue
            rows = conn.execute(sa.text(render("SELECT * FROM recon.{table}", table=table))).mappings().all()
            snap[table] = sorted((tuple((k, _value(v)) for k, v in r.items()
                                        if k not in VOLATILE and (table, k) not in written_at) for r in rows),
                                 key=repr)
        manifests = conn.execute(sa.text(
            "SELECT DISTINCT ON (kind, partition_key) kind, partition_key, status, cutoffs, inputs "
            "FROM recon.runs ORDER BY kind, partition_key, started_at DESC")).mappings().all()
        snap["runs (latest per partition)"] = sorted(tuple((k, _value(v)) for k, v in r.items()) for r in manifests)
    return snap


def _graphql(query: str, variables: dict | None = None) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{UI_PORT}/graphql", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 (http, our own server)
        data = json.loads(resp.read())
    assert "errors" not in data, data
    return data["data"]


LOCATIONS = """{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
LAUNCH = """mutation($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
  __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message }
  ... on PartitionSetNotFoundError { message } ... on PartitionKeysNotFoundError { message } } }"""
STATUS = """query($id: String!) { partitionBackfillOrError(backfillId: $id) { __typename
  ... on PartitionBackfill { status numPartitions
    runs(limit: 50) { runId status tags { key value } } } } }"""


@contextlib.contextmanager
def dagster_dev(tmp_path: Path, project_root: Path) -> Iterator[subprocess.Popen]:
    """`dagster dev` (webserver, daemon, code server) in its own process group, as a person starts it."""
    log = (tmp_path / "dagster-dev.log").open("wb")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1",
         "-p", str(UI_PORT)],
        cwd=project_root, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def _wait_for_location(proc: subprocess.Popen, log: Path, timeout: float = 400) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            entries = _graphql(LOCATIONS)["workspaceOrError"]["locationEntries"]
        except OSError:
            time.sleep(1)
            continue
        loaded = [e for e in entries if e["loadStatus"] == "LOADED"]
        if loaded:
            entry = loaded[0]
            assert entry["locationOrLoadError"]["__typename"] == "RepositoryLocation", entry
            return entry["name"]
        time.sleep(1)
    raise AssertionError("the code location did not load: " + log.read_text()[-3000:])


@pytest.mark.slow
def test_ui_backfill_of_the_demo_week_reproduces_its_outputs(
        fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project_root: Path) -> None:
    home = tmp_path / "home"
    (home / "dagster").mkdir(parents=True)
    # The daemon's run queue as `dagster dev` runs it; one run at a time keeps the days in order.
    (home / "dagster" / "dagster.yaml").write_text("concurrency:\n  runs:\n    max_concurrent_runs: 1\n")
    for var in OVERRIDES.values():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RECON_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    monkeypatch.setenv("RECON_DATABASE_URL", fresh_database_url)  # a secret: the file names the variable
    monkeypatch.setenv("RECON_CONFIG", str(home / "recon.toml"))

    from pipelines.demo.run import run_week
    from pipelines.demo.world import demo_world

    ports = free_ports()
    servers = Servers(home / "demo", (ports[0], ports[1], ports[2]))
    # The file names the world's paths before it exists (they are read at run time), so the UI can load
    # while the demo builds and runs its week.
    write_demo_config(home / "recon.toml", home / "demo", ports, embedded_store=False)
    with dagster_dev(tmp_path, project_root) as proc:
        try:
            with demo_world(home / "demo", database_url=fresh_database_url, ports=ports):
                outcomes = run_week()
            assert all(o.success for o in outcomes), outcomes
            engine = sa.create_engine(Warehouse.connect(fresh_database_url, upgrade=False).engine.url)
            demo = outputs(engine)
            assert demo["balance_checks"] and demo["chain_supply"] and demo["discrepancies"]

            # The chains come back from scratch, as after a reboot: the runs start them on demand.
            assert stop_servers(servers)
            _backfill_through_the_ui(proc, tmp_path)
            again = outputs(engine)
        finally:
            stop_servers(servers)
    assert again.keys() == demo.keys()
    differ = {t: (len(demo[t]), len(again[t]), sorted(set(again[t]) ^ set(demo[t]), key=repr)[:3])
              for t in demo if again[t] != demo[t]}
    assert differ == {}


def _backfill_through_the_ui(proc: subprocess.Popen, tmp_path: Path) -> None:
    location = _wait_for_location(proc, tmp_path / "dagster-dev.log")
    params = {"selector": {"partitionSetName": "daily_reconciliation_partition_set",
                           "repositorySelector": {"repositoryLocationName": location,
                                                  "repositoryName": "__repository__"}},
              "partitionNames": WEEK, "tags": [{"key": "recon/started_by", "value": "test backfill"}]}
    launched = _graphql(LAUNCH, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    deadline = time.monotonic() + 900
    while True:
        backfill = _graphql(STATUS, {"id": launched["backfillId"]})["partitionBackfillOrError"]
        runs = backfill["runs"]
        done = {"SUCCESS", "FAILURE", "CANCELED"}
        if backfill["status"] != "REQUESTED" and len(runs) == len(WEEK) and all(r["status"] in done for r in runs):
            break
        assert time.monotonic() < deadline, backfill
        time.sleep(2)
    partitions = sorted(t["value"] for r in runs for t in r["tags"] if t["key"] == "dagster/partition")
    assert partitions == WEEK
    assert {r["status"] for r in runs} == {"SUCCESS"}, runs
