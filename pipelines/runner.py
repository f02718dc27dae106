"""Run the jobs in process, for people and cron users without the UI (and for the demo)."""

from __future__ import annotations

import os
from collections.abc import Mapping

import dagster as dg

from pipelines.jobs import DAILY_JOB, INTRADAY_JOB
from resources.pg_embedded import recon_home

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
    """`loggers` replace Dagster's console logger (the CLI sends the debug log to a file)."""
    apply_default_env()
    job = current_definitions().resolve_job_def(name)
    run_config = None
    if loggers:
        job = job.with_logger_defs(loggers)
        run_config = {"loggers": {n: {} for n in loggers}}
    return job.execute_in_process(run_config=run_config, partition_key=partition_key, instance=instance(),
                                  raise_on_error=raise_on_error, tags={"recon/started_by": "recon run"})


def run_daily(business_date: str, raise_on_error: bool = False) -> dg.ExecuteInProcessResult:
    return run_job(DAILY_JOB, business_date, raise_on_error)


def run_intraday(window_key: str, raise_on_error: bool = False) -> dg.ExecuteInProcessResult:
    return run_job(INTRADAY_JOB, window_key, raise_on_error)
