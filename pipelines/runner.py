"""Run the jobs in process, for people and cron users without the UI (and for the demo)."""

from __future__ import annotations

import _thread
import contextlib
import os
import signal
import sys
import threading
import uuid
from collections.abc import Iterator, Mapping

import dagster as dg
import sqlalchemy as sa

from assets.source_kit import RUN_LOCK_CLASS, stop_requested
from embedded.postgres import recon_home
from pipelines.jobs import DAILY_JOB, INTRADAY_JOB
from recon.sql import postgres_sql
from stores.warehouse import Warehouse

# What the sources were before recon.toml: set as variables, these now override the file (an empty one
# is ignored), so only tests that want exactly these values set them.
DEFAULT_ENV = {
    "RECON_DATABASE_URL": "embedded",
    "RECON_WEBHOOK_URL": "",
    "RECON_STATEMENTS_DIR": "",
    "RECON_CHAIN_CONFIG": "",
    "RECON_LEDGER_KIND": "files",
    "RECON_LEDGER_URL": "",
    "RECON_LEDGER_DIR": "",
    "RECON_RESERVES_CONFIG": "",
    "RECON_CREDIT_CONFIG": "",
}


def apply_default_env(overrides: Mapping[str, str] | None = None) -> None:
    """The sources come from the project configuration (pipelines/config); `overrides` are variables."""
    # Runs land in the instance `make dev` opens, so the UI shows them.
    os.environ.setdefault("DAGSTER_HOME", str(recon_home() / "dagster"))
    for name, value in (overrides or {}).items():
        os.environ[name] = value


def instance() -> dg.DagsterInstance:
    """The persistent instance under DAGSTER_HOME (apply_default_env sets it), so the UI shows these runs."""
    os.makedirs(os.environ["DAGSTER_HOME"], exist_ok=True)
    return dg.DagsterInstance.get()


_BUILT: dict[str, dg.Definitions] = {}


def current_definitions() -> dg.Definitions:
    """The definitions for the configuration as it is now (recon.toml and the variables), rebuilt when it
    changed since the last run in this process."""
    from pipelines.config.load import load_config
    from pipelines.definitions import build_definitions

    config = load_config()
    key = repr(config)
    if key not in _BUILT:
        _BUILT.clear()
        _BUILT[key] = build_definitions(config)
    return _BUILT[key]


def run_job(name: str, partition_key: str, raise_on_error: bool = False,
            loggers: Mapping[str, dg.LoggerDefinition] | None = None) -> dg.ExecuteInProcessResult:
    """Run a job in process, with its recon.runs row from the first moment to its end: succeeded, failed,
    or interrupted (SIGTERM or Ctrl-C stop it cleanly; a kill -9 is found by the next run).
    `loggers` replace Dagster's console logger (the CLI sends the debug log to a file)."""
    apply_default_env()
    job = current_definitions().resolve_job_def(name)
    run_config: dict[str, object] | None = None
    if loggers:
        job = job.with_logger_defs(loggers)
        run_config = {"loggers": {n: {} for n in loggers}}
    run_id = str(uuid.uuid4())
    with RunGuard(run_id, partition_key) as guard, sigterm_as_interrupt():
        try:
            result = job.execute_in_process(run_config=run_config, partition_key=partition_key,
                                            instance=instance(), run_id=run_id, raise_on_error=raise_on_error,
                                            tags={"recon/started_by": "recon run"})
        except KeyboardInterrupt:
            guard.finish("interrupted", "stopped by a signal")
            raise
        guard.finish_from(result)
        return result


class RunGuard:
    """The run's row in recon.runs, and a session lock held while this process runs it (the next run
    tells a live run from a killed one by that lock). Never stops a run: without a store there is no row."""

    def __init__(self, run_id: str, partition_key: str) -> None:
        self.run_id, self.partition_key = run_id, partition_key
        self.wh: Warehouse | None = None
        self.conn: sa.Connection | None = None

    def __enter__(self) -> RunGuard:
        try:
            self.wh = Warehouse.connect(upgrade=True)
            self.conn = self.wh.engine.connect()
            self.conn.execute(sa.text(postgres_sql("lock_run_partition")),
                              {"c": RUN_LOCK_CLASS, "r": self.run_id})
            self.conn.commit()
            kind = "daily" if len(self.partition_key) == 10 else "intraday"
            self.wh.start_run(kind, self.partition_key, {}, {}, run_id=self.run_id)
            with self.wh.engine.begin() as conn:
                conn.execute(sa.text(postgres_sql("update_run_summary")),
                             {"m": f'{{"runner_pid": {os.getpid()}}}', "r": self.run_id})
        except Exception as exc:  # the run itself reports an unreachable store
            self.wh = None
            print(f"recon.runs not recorded: {exc}", file=sys.stderr)
        return self

    def finish(self, status: str, why: str) -> None:
        """The runner has the last word: a step may fail or a signal arrive after the manifest said succeeded."""
        if self.wh is not None:
            self.wh.finish_run(self.run_id, status, {"ended": why})

    def finish_from(self, result: dg.ExecuteInProcessResult) -> None:
        interrupted = any("interrupted" in (e.message or "") for e in result.all_events
                          if e.is_step_failure or e.event_type_value == "PIPELINE_FAILURE")
        if interrupted or stop_requested.is_set() or result.dagster_run.status == dg.DagsterRunStatus.CANCELED:
            self.finish("interrupted", "stopped by a signal")
        elif not result.success:
            failed = sorted({e.step_key for e in result.all_events if e.is_step_failure and e.step_key})
            self.finish("failed", f"failed steps: {', '.join(failed) or 'none'}")
        else:
            self.finish("succeeded", "every step ran")

    def __exit__(self, *exc: object) -> None:
        if isinstance(exc[1], BaseException):
            self.finish("interrupted" if isinstance(exc[1], KeyboardInterrupt) else "failed", repr(exc[1])[:500])
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.execute(sa.text(postgres_sql("unlock_run_partition")),
                                  {"c": RUN_LOCK_CLASS, "r": self.run_id})
                self.conn.close()
        if self.wh is not None:
            self.wh.engine.dispose()


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM stops a run: the step running is interrupted (no retry) and no further step starts.

    Dagster swaps the SIGTERM handler while it runs (between steps it only notes an interrupt), so
    the signal is seen through the wakeup fd: a watcher sets the kit's stop flag, which every
    source-reading step checks, and interrupts the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))
    old_fd = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    stop_requested.clear()

    def watch() -> None:
        while data := os.read(read_fd, 16):
            if signal.SIGTERM in data and not stop_requested.is_set():
                stop_requested.set()
                _thread.interrupt_main()

    threading.Thread(target=watch, name="sigterm-watch", daemon=True).start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(old_fd)
        signal.signal(signal.SIGTERM, previous)
        os.close(write_fd)


def run_daily(business_date: str, raise_on_error: bool = False) -> dg.ExecuteInProcessResult:
    return run_job(DAILY_JOB, business_date, raise_on_error)


def run_intraday(window_key: str, raise_on_error: bool = False) -> dg.ExecuteInProcessResult:
    return run_job(INTRADAY_JOB, window_key, raise_on_error)
