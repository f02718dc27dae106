"""A year of demo-sized days backfilled through Dagster's run queue, against the same days run serially.

    .venv/bin/python bench/bench_year.py [--days 260] [--concurrency 2] [--storage sqlite|postgres] [--quick] [--json]

The days are built with bench/day_world.py at the demo's size (6 accounts, --entries a day), balances
carried from day to day. Two databases on one embedded Postgres get the same ledger and the same drop
folder contents: one is filled by `run_daily` day after day in one process (the serial backfill), the
other by `dagster job backfill` submitted to a QueuedRunCoordinator (max --concurrency runs) that
`dagster-daemon` launches. Then every partitioned output table is compared row for row (run ids,
timestamps and serial ids aside). Chains, reserves and credit are left unconfigured.

--storage picks the Dagster instance's storage for both halves: SQLite under DAGSTER_HOME (what a fresh
instance gets) or Postgres (what production runs; a database of its own per half on the same server).
Each run's time is split from its own event log: launch (RUN_STARTING .. RUN_START: the run worker's
process start and its load of the definitions), steps (RUN_START .. the last step's end) and the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LAST_DAY = date(2026, 11, 27)
TABLES = ["bank_statements", "bank_entries", "bank_balances", "bank_entry_links", "transaction_matches",
          "transactions_in_transit", "balance_checks", "discrepancies", "circuit_breakers", "ingested_files"]
# Differ between any two runs by design: who ran it, and when.
VOLATILE_TYPES = ("timestamp with time zone", "timestamp without time zone")
VOLATILE_NAMES = ("run_id", "first_run_id", "last_run_id", "opened_by_run_id", "breaker_id", "status_note",
                  "source", "mtime_ns")  # and the two halves' drop folders: their names and copy times


def business_days(n: int) -> list[str]:
    import dagster as dg

    from pipelines.partitions import business_day_partitions

    keys = business_day_partitions.get_partition_keys_in_range(
        dg.PartitionKeyRange(business_day_partitions.get_first_partition_key(), LAST_DAY.isoformat()))
    return keys[-n:]


def build(out: Path, days: list[str], accounts: int, entries: int) -> tuple[str, dict[str, Decimal]]:
    from bench.day_world import day_world, load_ledger, write_files
    from embedded.postgres import embedded_url
    from recon.credit.tables import TABLES as CREDIT_TABLES
    from recon.ledger.tables import TABLES as LEDGER_TABLES
    from recon.reserves.tables import TABLES as RESERVE_TABLES

    openings: dict[str, Decimal] = {}
    worlds = []
    for key in days:
        day = date.fromisoformat(key)
        w = day_world(day, accounts, entries, seed=day.toordinal())
        write_files(w, out / "drop", openings)
        worlds.append(w)
    for copy in ("serial", "queued"):
        shutil.copytree(out / "drop", out / f"drop-{copy}")
    shutil.rmtree(out / "drop")
    base = embedded_url(out / "home" / "pg")
    import sqlalchemy as sa

    from embedded.postgres import to_sqlalchemy_url

    admin = sa.create_engine(to_sqlalchemy_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in ("year_serial", "year_queued"):
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    for name in ("year_serial", "year_queued"):
        engine = sa.create_engine(admin.url.set(database=name))
        load_ledger(engine, worlds, [*LEDGER_TABLES.values(), *RESERVE_TABLES.values(), *CREDIT_TABLES.values()])
        engine.dispose()
    return admin.url.render_as_string(hide_password=False), openings


def storage_yaml(url: str, which: str, storage: str) -> str:
    """The instance's storage: "" (SQLite under DAGSTER_HOME) or Postgres in a database of its own."""
    if storage == "sqlite":
        return ""
    import sqlalchemy as sa

    name = f"dagster_{which}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    # dagster-postgres builds its engine from this URL; with SQLAlchemy 2.1 it needs the psycopg2 scheme.
    pg = sa.make_url(url).set(drivername="postgresql+psycopg2", database=name).render_as_string(hide_password=False)
    return f"storage:\n  postgres:\n    postgres_url: \"{pg}\"\n"


def env_for(out: Path, url: str, which: str, storage: str = "sqlite") -> dict[str, str]:
    import sqlalchemy as sa

    db = sa.make_url(url).set(database=f"year_{which}").render_as_string(hide_password=False)
    home = out / f"dagster-{which}"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(storage_yaml(url, which, storage))
    # The daemon's StartRun call waits for the code server to spawn the run worker: over a minute (Dagster's
    # default limit) on a loaded machine, after which the run is failed unstarted.
    return {**os.environ, "DAGSTER_GRPC_TIMEOUT_SECONDS": "600",
            "RECON_HOME": str(out / "home"), "DAGSTER_HOME": str(home), "RECON_DATABASE_URL": db,
            "RECON_STATEMENTS_DIR": str(out / f"drop-{which}"), "RECON_LEDGER_KIND": "sql",
            "RECON_LEDGER_URL": db, "RECON_LEDGER_DIR": "", "RECON_CHAIN_CONFIG": "",
            "RECON_RESERVES_CONFIG": "", "RECON_CREDIT_CONFIG": "", "RECON_WEBHOOK_URL": ""}


_SERIAL = """
import json, sys, time
from pipelines.runner import run_daily
t = time.perf_counter(); ok = 0
for day in sys.argv[1].split(","):
    ok += run_daily(day).success
print(json.dumps({"wall_s": time.perf_counter() - t, "succeeded": ok}))
"""


def serial(env: dict[str, str], days: list[str], profile: Path | None = None) -> dict:
    """With `profile`, the serial process is sampled by py-spy into a raw flame file there."""
    command = [sys.executable, "-c", _SERIAL, ",".join(days)]
    spy = shutil.which("py-spy") or str(ROOT / ".tools" / "bin" / "py-spy")
    if profile and Path(spy).exists():
        profile.mkdir(parents=True, exist_ok=True)
        command = [spy, "record", "-r", "20", "-f", "raw", "-o", str(profile / "serial.txt"), "--", *command]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(out.stderr[-4000:])
    # py-spy writes its own lines after the child's: the result is the last JSON line
    return json.loads([line for line in out.stdout.splitlines() if line.startswith("{")][-1])


def queued(env: dict[str, str], days: list[str], concurrency: int, limit_s: float) -> dict:
    """Submit the backfill to the queue, let the daemon launch the runs, wait for all of them."""
    home = Path(env["DAGSTER_HOME"])
    # The daemon's code server imports the definitions; on a loaded machine that outlasts Dagster's
    # default 180 s startup limit, and every run it dequeues then fails without starting.
    (home / "dagster.yaml").write_text(
        (home / "dagster.yaml").read_text()
        + "run_coordinator:\n  module: dagster.core.run_coordinator\n  class: QueuedRunCoordinator\n"
        f"  config:\n    max_concurrent_runs: {concurrency}\n"
        "code_servers:\n  local_startup_timeout: 1200\n")
    bin_dir = Path(sys.executable).parent
    t0 = time.perf_counter()
    # Submitted before the daemon starts: two processes creating a fresh SQLite instance at once race.
    submitted = subprocess.run(
        [str(bin_dir / "dagster"), "job", "backfill", "-w", str(ROOT / "workspace.yaml"),
         "-j", "daily_reconciliation", "--partitions", ",".join(days), "--noprompt"],
        cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    if submitted.returncode:
        raise RuntimeError(f"dagster job backfill failed:\n{submitted.stdout[-2000:]}{submitted.stderr[-3000:]}")
    daemon = subprocess.Popen([str(bin_dir / "dagster-daemon"), "run", "-w", str(ROOT / "workspace.yaml")],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        poll = [sys.executable, "-c", _POLL]
        while True:
            status = json.loads(subprocess.run(poll, cwd=ROOT, env=env, capture_output=True, text=True,
                                               check=True).stdout)
            if status["finished"] >= len(days) or time.perf_counter() - t0 > limit_s:
                break
            time.sleep(10)
        wall = time.perf_counter() - t0
    finally:
        # The daemon and its run workers ignore SIGTERM; SIGINT stops them, SIGKILL what is left.
        os.killpg(daemon.pid, signal.SIGINT)
        try:
            daemon.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
    return {"wall_s": wall, **status}


_POLL = """
import json
from collections import Counter
from dagster import DagsterInstance
records = DagsterInstance.get().get_run_records()
count = Counter(r.dagster_run.status.value for r in records)
done = count["SUCCESS"] + count["FAILURE"] + count["CANCELED"]
spans = [(r.start_time, r.end_time) for r in records if r.start_time and r.end_time]
# the most runs that were running at one moment: the queue's limit as it was honoured
overlap = max((sum(1 for s, e in spans if s <= t < e) for t, _ in spans), default=0)
print(json.dumps({"finished": done, "succeeded": count["SUCCESS"], "max_concurrent_seen": overlap,
                  "statuses": dict(count)}))
"""


_PHASES = """
import json, statistics
from dagster import DagsterInstance
instance = DagsterInstance.get()
rows = []
for r in instance.get_run_records():
    events = instance.all_logs(r.dagster_run.run_id)
    at = {}
    for e in events:
        kind = e.dagster_event.event_type.name if e.dagster_event else None  # RUN_START (stored: PIPELINE_START)
        if kind:
            at.setdefault(kind, []).append(e.timestamp)
    first = lambda k: min(at[k]) if k in at else None
    last = lambda k: max(at[k]) if k in at else None
    start, end = first("RUN_START"), last("RUN_SUCCESS") or last("RUN_FAILURE")
    ends = [t for k in ("STEP_SUCCESS", "STEP_FAILURE") for t in at.get(k, [])]
    rows.append({"launch_s": start - first("RUN_STARTING") if start and "RUN_STARTING" in at else None,
                 "steps_s": max(ends) - first("STEP_START") if ends and "STEP_START" in at else None,
                 "run_s": end - start if start and end else None, "events": len(events)})
def med(k):
    vals = [x[k] for x in rows if x[k] is not None]
    return statistics.median(vals) if vals else None
print(json.dumps({"runs": len(rows), **{f"median_{k}": med(k) for k in ("launch_s", "steps_s", "run_s", "events")}}))
"""


def phases(env: dict[str, str]) -> dict:
    """Medians over the half's runs, from its instance's event log."""
    out = subprocess.run([sys.executable, "-c", _PHASES], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=False)
    return json.loads(out.stdout) if out.returncode == 0 else {"error": out.stderr[-500:]}


def compare(url: str) -> dict[str, dict]:
    import sqlalchemy as sa

    from stores.identifiers import render

    result = {}
    engines = {w: sa.create_engine(sa.make_url(url).set(database=f"year_{w}")) for w in ("serial", "queued")}
    for table in TABLES:
        digests = {}
        for which, engine in engines.items():
            with engine.connect() as conn:
                cols = [c for c, t in conn.execute(sa.text(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'recon' "
                    "AND table_name = :t ORDER BY ordinal_position"), {"t": table})
                    if t not in VOLATILE_TYPES and c not in VOLATILE_NAMES]
                if not cols:
                    break
                row = ", ".join(cols)
                digests[which] = tuple(conn.execute(sa.text(render(
                    "SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) "
                    "FROM (SELECT ROW({row})::text AS r FROM recon.{table}) x", row=row, table=table))).one())
        if len(digests) == 2:
            result[table] = {"rows": digests["serial"][0], "identical": digests["serial"] == digests["queued"]}
    for engine in engines.values():
        engine.dispose()
    return result


def _phase_line(p: dict) -> str:
    if "error" in p:
        return f"(event log not read: {p['error'][-120:]})"
    fmt = {k: "-" if p.get(f"median_{k}") is None else f"{p[f'median_{k}']:.1f}"
           for k in ("launch_s", "steps_s", "run_s")}
    return (f"launch {fmt['launch_s']} s, run {fmt['run_s']} s of which steps {fmt['steps_s']} s, "
            f"{p.get('median_events')} events")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=260)
    ap.add_argument("--accounts", type=int, default=6)
    ap.add_argument("--entries", type=int, default=25, help="bank entries a day (the demo has about 25)")
    ap.add_argument("--concurrency", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="5 business days")
    ap.add_argument("--limit-hours", type=float, default=8, help="stop waiting for the queue after this long")
    ap.add_argument("--profile", help="a folder: sample the serial half with py-spy (a raw flame file)")
    ap.add_argument("--storage", choices=("sqlite", "postgres"), default="sqlite",
                    help="the Dagster instance's storage (runs, event log) for both halves")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "year"))
    ap.add_argument("--json", action="store_true", help="print the cases as one JSON list, no table")
    args = ap.parse_args()
    show = (lambda *a, **k: None) if args.json else print
    n = 5 if args.quick else args.days
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    days = business_days(n)
    from embedded.postgres import stop_embedded

    t0 = time.perf_counter()
    url, _ = build(out, days, args.accounts, args.entries)
    show(f"{n} business days {days[0]} .. {days[-1]}, {args.accounts} accounts, {args.entries} entries a day; "
         f"built in {time.perf_counter() - t0:.0f} s")
    try:
        serial_env = env_for(out, url, "serial", args.storage)
        s = serial(serial_env, days, Path(args.profile) if args.profile else None)
        s["phases"] = phases(serial_env)
        show(f"serial backfill (run_daily day after day, one process): {s['wall_s']:.1f} s, "
             f"{s['succeeded']}/{n} succeeded; per run (median): {_phase_line(s['phases'])}")
        queued_env = env_for(out, url, "queued", args.storage)
        q = queued(queued_env, days, args.concurrency, args.limit_hours * 3600)
        q["phases"] = phases(queued_env)
        show(f"queued backfill ({args.concurrency} concurrent runs, dagster-daemon): {q['wall_s']:.1f} s, "
             f"{q['succeeded']}/{n} succeeded, at most "
             f"{q['max_concurrent_seen']} running at once; per run (median): {_phase_line(q['phases'])}")
        same = compare(url)
    finally:
        stop_embedded(out / "home" / "pg")
    for table, r in same.items():
        show(f"  {table:<26} {r['rows']:>8,} rows  {'identical' if r['identical'] else 'DIFFERENT'}")
    cases = [{"case": f"serial, {n} days", "days": n, "wall_s": s["wall_s"], "s_per_day": s["wall_s"] / n,
              "succeeded": s["succeeded"], "storage": args.storage, "phases": s["phases"]},
             {"case": f"queued x{args.concurrency}, {n} days", "days": n, "wall_s": q["wall_s"],
              "s_per_day": q["wall_s"] / n, "succeeded": q["succeeded"],
              "max_concurrent_seen": q["max_concurrent_seen"], "ratio_to_serial": q["wall_s"] / s["wall_s"],
              "storage": args.storage, "phases": q["phases"],
              "tables_identical": all(r["identical"] for r in same.values()), "tables": same}]
    if n < 260:
        for c in cases:
            c["extrapolated_260_days_s"] = c["s_per_day"] * 260
        show(f"extrapolated to 260 days (linear, from {n}): serial {cases[0]['extrapolated_260_days_s'] / 60:.0f} "
             f"min, queued {cases[1]['extrapolated_260_days_s'] / 60:.0f} min")
    if args.json:
        print(json.dumps(cases))
    return 0 if all(r["identical"] for r in same.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
