"""One demo world, reconciled once per session, that every fault test runs its day again on."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from embedded.postgres import to_sqlalchemy_url
from pipelines.demo.scenario import DAYS
from pipelines.demo.world import DemoWorld, demo_world
from pipelines.runner import DEFAULT_ENV, run_daily
from stores.identifiers import names, render
from stores.warehouse import Warehouse

# Verdict tables: per partition key, the column that says ok / unknown.
VERDICTS = {"balance_checks": (("account", "currency"), "tier"),
            "backing_checks": (("token", "scope"), "tier"),
            "reserve_status": (("reserve_id",), "level"),
            "ltv_positions": (("credit_line_id",), "band")}
# Tables whose rows a daily partition owns.
PARTITIONED = {"bank_statements": "business_date", "bank_balances": "business_date",
               "bank_entries": "business_date", "transaction_matches": "partition_key",
               "chain_reads": "partition_key", "chain_supply": "partition_key", "chain_balances": "partition_key",
               "chain_transfers": "partition_key", **{t: "partition_key" for t in VERDICTS}}


@dataclass
class Reconciled:
    world: DemoWorld
    wh: Warehouse
    day: str
    env: pytest.MonkeyPatch
    home: Path
    values: dict[str, str | None] = field(default_factory=dict)
    baseline: dict[str, object] | None = None

    def complete(self) -> dict[str, object]:
        """The complete run's state; a day left otherwise by an earlier failure is run again first."""
        if self.baseline is None:
            self.run()
            self.baseline = self.state()
        elif self.state() != self.baseline:
            self.run()
        # The next run reads every source afresh, not the ledger snapshot pinned by this one.
        shutil.rmtree(self.home / "ledger_snapshots" / self.day, ignore_errors=True)
        return self.baseline

    def run(self) -> None:
        """The day again, through the entry `recon run daily` uses; it must never fail as a run."""
        result = run_daily(self.day)
        assert result.success, sorted(result.get_failed_step_keys())

    def state(self) -> dict[str, object]:
        """What a re-run may not change: every finding's status, each partition's rows, each verdict."""
        wh, p = self.wh, self.day
        count = "SELECT count(*) AS n FROM recon.{t} WHERE CAST({c} AS text) = :p"
        rows = {t: wh.rows(render(count, t=t, c=c), p=p)[0]["n"] for t, c in PARTITIONED.items()}
        verdicts = {t: {":".join(r[c] for c in k): r["v"] for r in wh.rows(
            render("SELECT {k}, {v} AS v FROM recon.{t} WHERE partition_key = :p", k=names(k), v=v, t=t), p=p)}
            for t, (k, v) in VERDICTS.items()}
        findings = {r["discrepancy_key"]: r["status"] for r in wh.rows(
            "SELECT discrepancy_key, status FROM recon.discrepancies WHERE type <> 'source_unavailable'")}
        flags = {(r["scope_type"], r["scope_id"], r["kind"]) for r in wh.rows(
            "SELECT scope_type, scope_id, kind FROM recon.circuit_breakers WHERE status = 'open'")}
        return {"rows": rows, "verdicts": verdicts, "findings": findings, "flags": flags}

    def open_sources(self) -> set[str]:
        return {r["scope_id"] for r in self.wh.rows(
            "SELECT scope_id FROM recon.discrepancies WHERE type = 'source_unavailable' AND status = 'open'")}

    def files_outside_drop(self) -> set[tuple[str, int]]:
        drop = Path(self.world.env["RECON_STATEMENTS_DIR"])
        root = Path(__file__).resolve().parents[2]
        listed = {(str(p), p.stat().st_size) for p in self.world.home.rglob("*")
                  if p.is_file() and drop not in p.parents and p.parent != self.world.home}
        return listed | {(str(p), p.stat().st_size) for p in root.iterdir() if p.is_file()}

    def rewrite_json(self, setting: str, change: object) -> Path:
        path = Path(self.world.env[setting])
        data = json.loads(path.read_text())
        change(data)  # type: ignore[operator]
        faulty = self.home / f"faulty-{uuid.uuid4().hex[:6]}.json"
        faulty.write_text(json.dumps(data))
        return faulty


@pytest.fixture(scope="session")
def reconciled(pg_server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reconciled]:
    """The demo's first two business days reconciled in a database and RECON_HOME of their own."""
    admin = sa.create_engine(to_sqlalchemy_url(pg_server_url), isolation_level="AUTOCOMMIT")
    name = f"faults_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    home = tmp_path_factory.mktemp("faults")
    env = pytest.MonkeyPatch()
    env.setenv("RECON_HOME", str(home))
    env.delenv("DAGSTER_HOME", raising=False)
    for key, value in DEFAULT_ENV.items():
        env.setenv(key, value)
    wh = Warehouse.connect(url)
    try:
        with demo_world(home / "demo", database_url=url) as world:
            for key, value in world.env.items():
                env.setenv(key, value)
            days = [d.isoformat() for d in DAYS[:2]]
            for day in days:
                assert run_daily(day).success
            names = [*DEFAULT_ENV, *world.env, "RECON_HOME", "DAGSTER_HOME"]
            values = {n: os.environ.get(n) for n in names}
            env.undo()  # the world's settings apply inside the fault tests only, never to the rest
            yield Reconciled(world, wh, days[-1], env, home, values)
    finally:
        env.undo()
        wh.engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


@pytest.fixture(autouse=True)
def world_env(reconciled: Reconciled) -> Iterator[None]:
    """The world's settings for one fault test; a fault changes them on top (monkeypatch) and is undone."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in reconciled.values.items():
            if value is None:
                mp.delenv(name, raising=False)
            else:
                mp.setenv(name, value)
        yield
