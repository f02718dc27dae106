"""Runs that are stopped, killed or doubled, through the installed `recon run daily` in a subprocess:
recon.runs says what happened, and the day after a re-run is the complete run's, row for row."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.faults.conftest import Reconciled

RECON = str(Path(sys.executable).parent / "recon")
_LOCKS = "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'"
_STAGING = "SELECT count(*) AS n FROM pg_class WHERE relname LIKE '\\_stage%' OR relname LIKE '\\_found%'"


def _start(r: Reconciled) -> subprocess.Popen[bytes]:
    return subprocess.Popen([RECON, "run", "daily", "--date", r.day], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=dict(os.environ))


def _run_row(r: Reconciled, proc: subprocess.Popen[bytes], until_source: str, timeout: float = 180) -> dict:
    """The subprocess's recon.runs row, once it has recorded `until_source`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = r.wh.rows("SELECT run_id, status, sources FROM recon.runs WHERE summary ->> 'runner_pid' = :pid",
                         pid=str(proc.pid))
        if rows and until_source in rows[0]["sources"]:
            return rows[0]
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:] if proc.stderr else "exited"
        time.sleep(0.2)
    raise AssertionError(f"the run never read {until_source}")


def _status(r: Reconciled, run_id: str) -> str:
    return r.wh.rows("SELECT status FROM recon.runs WHERE run_id = :r", r=run_id)[0]["status"]


def test_sigterm_stops_the_run_and_records_it_interrupted(reconciled: Reconciled) -> None:
    before = reconciled.complete()
    proc = _start(reconciled)
    row = _run_row(reconciled, proc, "chain_config")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=120) != 0
    assert _status(reconciled, row["run_id"]) == "interrupted"
    assert reconciled.wh.rows(_LOCKS)[0]["n"] == 0
    # Whatever the stopped run wrote was whole partitions: the day as the complete run left it, or less
    # far along; a run now gives the complete run's rows.
    reconciled.run()
    assert reconciled.state() == before


def test_kill_9_at_two_points_then_a_run_gives_the_complete_rows(reconciled: Reconciled) -> None:
    before = reconciled.complete()
    killed = []
    for point in ("chain_config", "ledger.reserve_ledger"):
        proc = _start(reconciled)
        killed.append(_run_row(reconciled, proc, point)["run_id"])
        proc.kill()
        proc.wait(timeout=60)
        assert _status(reconciled, killed[-1]) == "running"  # nobody could say otherwise yet
    reconciled.run()
    assert [_status(reconciled, k) for k in killed] == ["interrupted", "interrupted"]
    assert reconciled.state() == before
    assert reconciled.wh.rows(_STAGING)[0]["n"] == 0
    assert reconciled.wh.rows(_LOCKS)[0]["n"] == 0


def test_two_runs_of_one_day_at_once_neither_duplicate_nor_deadlock(reconciled: Reconciled) -> None:
    before = reconciled.complete()
    procs = [_start(reconciled), _start(reconciled)]
    codes = [p.wait(timeout=600) for p in procs]
    assert codes == [0, 0], [p.stderr.read().decode()[-2000:] for p in procs if p.stderr]
    assert reconciled.state() == before
    dupes = reconciled.wh.rows("SELECT count(*) - count(DISTINCT (discrepancy_key)) AS n FROM recon.discrepancies")
    assert dupes[0]["n"] == 0
