"""A realistic day end to end: the daily job (`recon run daily`'s entry point) into the embedded Postgres.

    .venv/bin/python bench/bench_day.py [--accounts 200 --entries 1000000] [--quick] [--json]

Builds the day with bench/day_world.py (the bank and ledger) and bench/day_chain.py (two local EVMs,
a Horizon fixture, reserve and credit books) under bench/out/day/, runs the daily job in a child process
(so its peak RSS is the run's own), then the same day again, then an intraday window with --intraday new
notifications. Per step: wall s, rows in (what its sources delivered), rows written (rows of schema recon
its transactions inserted or updated) and the process's peak RSS while it ran (sampled every 50 ms; the
process is shared by all steps, so it includes what earlier steps still hold). The re-run must leave every
output table as it was (a digest of each, run ids and timestamps aside): asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DAY = date(2026, 10, 7)
INTRADAY_WINDOW = "2026-10-08-10:00"  # the morning after: notifications since the day's statements
TARGETS = {"day_s": 120, "day_peak_rss_mb": 4096, "rerun_s": 60, "intraday_s": 10}


def run_child(job: str, partition: str) -> dict:
    """In the child: run the job as `recon run` does, then read the step events back from the instance."""
    t0 = time.perf_counter()
    from bench.day_measure import Sampler, rows_by_xid, rss_kb, written_between
    from pipelines.runner import apply_default_env, instance, run_daily, run_intraday
    from stores.warehouse import Warehouse

    apply_default_env()
    import pipelines.definitions  # noqa: F401 - loading the definitions is timed apart from the run

    instance()  # opening the instance imports Dagster's storage (seconds, once a process): load, not the job
    startup = time.perf_counter() - t0
    engine = Warehouse.connect(upgrade=False).engine
    with Sampler(engine) as sampler:
        t0 = time.perf_counter()
        result = (run_daily if job == "daily" else run_intraday)(partition)
        wall = time.perf_counter() - t0
    steps: dict[str, dict] = {}
    for rec in instance().all_logs(result.run_id):
        ev = rec.dagster_event
        if ev is None or not rec.step_key:
            continue
        step = steps.setdefault(rec.step_key, {"rows": {}})
        kind = ev.event_type_value
        if kind == "STEP_START":
            step["start"] = rec.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            step["end"], step["ok"] = rec.timestamp, kind == "STEP_SUCCESS"
        elif kind == "ASSET_MATERIALIZATION":
            mat = ev.event_specific_data.materialization
            for name, value in mat.metadata.items():
                if isinstance(getattr(value, "value", None), int) and not isinstance(value.value, bool):
                    step["rows"][f"{mat.asset_key.to_user_string()}.{name}"] = value.value
    by_xid = rows_by_xid(engine, sampler.xids[0][1])
    out = []
    for key, s in steps.items():
        if "start" not in s or "end" not in s:
            continue
        written = written_between(by_xid, sampler.xid_at(s["start"], after=False), sampler.xid_at(s["end"], after=True))
        rows_in = sum(v for k, v in s["rows"].items() if k.endswith(".rows_in"))
        out.append({"step": key, "wall_s": s["end"] - s["start"], "ok": s["ok"],
                    "peak_rss_mb": sampler.peak_mb(s["start"], s["end"]), "rows_in": rows_in,
                    "rows_written": sum(written.values()), "written": written, "rows": s["rows"]})
    out.sort(key=lambda s: -s["wall_s"])
    total = written_between(by_xid, sampler.xids[0][1], sampler.xids[-1][1] + 1)
    engine.dispose()
    return {"job": job, "partition": partition, "success": result.success, "wall_s": wall, "startup_s": startup,
            "peak_rss_mb": rss_kb("VmHWM") / 1024, "rows_written": sum(total.values()), "written": total,
            "steps": out}


def _child(env: dict[str, str], job: str, partition: str, profile: Path | None = None) -> dict:
    """The run in a fresh process; with `profile`, sampled by py-spy into a raw flame file there."""
    command = [sys.executable, __file__, "--child", job, partition]
    spy = shutil.which("py-spy") or str(ROOT / ".tools" / "bin" / "py-spy")
    if profile and Path(spy).exists():
        profile.mkdir(parents=True, exist_ok=True)
        n = len(list(profile.glob(f"{job}-*.txt")))
        command = [spy, "record", "-r", "20", "-f", "raw", "-o", str(profile / f"{job}-{n}.txt"), "--", *command]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"{job} {partition} failed:\n{out.stderr[-4000:]}")
    # py-spy writes its own lines after the child's: the result is the last JSON line
    return json.loads(next(line for line in reversed(out.stdout.splitlines()) if line.startswith("{")))


def build(out: Path, accounts: int, entries: int, sizes: object, stack: contextlib.ExitStack
          ) -> tuple[dict[str, str], dict]:
    from bench.day_chain import chain_world
    from bench.day_world import day_world, load_ledger, write_files
    from recon.credit.tables import TABLES as CREDIT_TABLES
    from recon.ledger.tables import TABLES as LEDGER_TABLES
    from recon.reserves.tables import TABLES as RESERVE_TABLES
    from stores.warehouse import Warehouse

    home = out / "home"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    os.environ["RECON_HOME"] = str(home)
    t0 = time.perf_counter()
    world = day_world(DAY, accounts, entries)
    files = write_files(world, out / "drop")
    generated = time.perf_counter() - t0
    wh = Warehouse.connect("embedded")
    t0 = time.perf_counter()
    counts = load_ledger(wh.engine, [world], [*LEDGER_TABLES.values(), *RESERVE_TABLES.values(),
                                            *CREDIT_TABLES.values()])
    loaded = time.perf_counter() - t0
    t0 = time.perf_counter()
    reserve = next(a for a in world.accounts if a.currency == "USD")
    chains = chain_world(stack, wh.engine, out / "chain", DAY, reserve.iban, sizes)  # type: ignore[arg-type]
    chain_built = time.perf_counter() - t0
    env = {**os.environ, "RECON_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"),
           "RECON_DATABASE_URL": "embedded", "RECON_STATEMENTS_DIR": str(out / "drop"),
           "RECON_LEDGER_KIND": "sql", "RECON_LEDGER_URL": wh.engine.url.render_as_string(hide_password=False),
           "RECON_LEDGER_DIR": "", "RECON_WEBHOOK_URL": "", **chains.env}
    drop_mb = sum(p.stat().st_size for p in (out / "drop").iterdir()) / 1e6
    return env, {"accounts": accounts, "entries": entries, **files, **counts, "anomalies": world.anomalies,
                 "shapes": world.shapes, "chain": chains.counts, "drop_mb": drop_mb, "generate_s": generated,
                 "ledger_load_s": loaded, "chain_build_s": chain_built, "world": world, "engine": wh.engine}


def add_notifications(out: Path, world: object, n: int) -> None:
    """n new credits notified the next morning, spread over the accounts, before any statement."""
    from datetime import timedelta
    from decimal import Decimal

    from bench.day_world import _at, write_notification
    from pipelines.demo.scenario import Move

    nxt = DAY + timedelta(days=1)
    per: dict[str, list] = {}
    for k in range(n):
        a = world.accounts[k % len(world.accounts)]  # type: ignore[attr-defined]
        per.setdefault(a.key, []).append(Move(f"N{a.key}{nxt:%y%m%d}{k:06d}", a.key, nxt, "CRDT",
                                              Decimal(1000 + k) / 100, f"E2E-N-{k}", None, "Kestrel GmbH",
                                              notified=True))
    for a in world.accounts:  # type: ignore[attr-defined]
        if a.key in per:
            write_notification(out / "drop", a, nxt, per[a.key], _at(nxt, 9, 30))


def case(label: str, r: dict, target_s: float | None) -> dict:
    return {"case": label, "wall_s": r["wall_s"], "startup_s": r["startup_s"], "peak_rss_mb": r["peak_rss_mb"],
            "success": r["success"], "rows_written": r["rows_written"], "written": r["written"],
            "target_s": target_s, "steps": r["steps"]}


def one_day(accounts: int, entries: int, sizes: object, intraday: int, out: Path, show,
            profile: Path | None = None) -> list[dict]:
    from bench.day_measure import changed_tables, table_digests
    from embedded.postgres import stop_embedded

    with contextlib.ExitStack() as stack:
        env, built = build(out, accounts, entries, sizes, stack)
        world, engine = built.pop("world"), built.pop("engine")
        label = f"{accounts} accounts, {entries:,} entries"
        show(f"\n{label}: {built['statements']} camt.053 + {built['notification_files']} camt.054 files "
             f"({built['drop_mb']:.0f} MB, {built['notified_entries']:,} notified), "
             f"{built['ledger_transactions']:,} ledger rows; generated in {built['generate_s']:.0f} s, "
             f"ledger loaded in {built['ledger_load_s']:.0f} s; shapes {built['shapes']}; "
             f"anomalies {built['anomalies']}")
        show(f"chains, Stellar, reserve and credit books built in {built['chain_build_s']:.0f} s: {built['chain']}")
        try:
            first = _child(env, "daily", DAY.isoformat(), profile)
            before = table_digests(engine)
            again = _child(env, "daily", DAY.isoformat(), profile)
            changed = changed_tables(before, table_digests(engine))
            add_notifications(out, world, intraday)
            window = _child(env, "intraday", INTRADAY_WINDOW, profile)
        finally:
            engine.dispose()
            stop_embedded(Path(env["RECON_HOME"]) / "pg")
    cases = [case(f"day: {label}", first, TARGETS["day_s"]) | {"input": built},
             case(f"re-run of the same day: {label}", again, TARGETS["rerun_s"]) | {"tables_changed": changed},
             case(f"intraday window, {intraday} new notifications after {label}", window, TARGETS["intraday_s"])]
    for c in cases:
        show(f"\n{c['case']}: {c['wall_s']:.1f} s (target <= {c['target_s']} s; loading the definitions "
             f"before it {c['startup_s']:.1f} s), peak RSS {c['peak_rss_mb']:.0f} MB, "
             f"rows written {c['rows_written']:,}, {'ok' if c['success'] else 'FAILED'}")
        show(f"  {'step':<40} {'wall s':>7} {'rows in':>10} {'written':>10} {'peak RSS MB':>11}")
        for s in c["steps"]:
            show(f"  {s['step']:<40} {s['wall_s']:>7.2f} {s['rows_in']:>10,} {s['rows_written']:>10,} "
                 f"{s['peak_rss_mb']:>11.0f}")
    show(f"\nre-run: output tables changed: {changed or 'none'}")
    assert all(c["success"] for c in cases), "a run failed"
    assert not changed, f"the re-run changed {changed}"
    return cases


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=200)
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--holders", type=int, default=10_000, help="per EVM chain (ethereum, base)")
    ap.add_argument("--transfers", type=int, default=20_000, help="token transfers in the day, both EVM chains")
    ap.add_argument("--stellar-accounts", type=int, default=1_000)
    ap.add_argument("--operations", type=int, default=100_000, help="reserve book operations")
    ap.add_argument("--credit-lines", type=int, default=1_000)
    ap.add_argument("--intraday", type=int, default=1000, help="new notifications in the intraday window")
    ap.add_argument("--quick", action="store_true", help="a smaller day: 20 accounts, 50,000 entries, 1,000 "
                    "holders a chain, 2,000 transfers, 200 Stellar accounts, 10,000 operations, 100 lines")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "day"))
    ap.add_argument("--json", action="store_true", help="print the cases as one JSON list, no table")
    ap.add_argument("--profile", help="folder for py-spy samples of each run (raw flame files)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    from bench.day_chain import ChainSizes

    if args.child:
        print(json.dumps(run_child(*args.child), default=str))
        return 0
    show = (lambda *a, **k: None) if args.json else print
    accounts, entries = (20, 50_000) if args.quick else (args.accounts, args.entries)
    sizes = ChainSizes(args.holders, args.transfers, args.stellar_accounts, args.operations, args.credit_lines)
    if args.quick:
        sizes = ChainSizes(1_000, 2_000, 200, 10_000, 100)
    cases = one_day(accounts, entries, sizes, args.intraday, Path(args.out), show,
                    Path(args.profile) if args.profile else None)
    if args.json:
        print(json.dumps(cases, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
