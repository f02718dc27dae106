"""Run the jobs in process, for people and cron users without the UI (and for the demo)."""

from __future__ import annotations

import os
from collections.abc import Mapping

import dagster as dg

from pipelines.jobs import DAILY_JOB, INTRADAY_JOB
from resources.pg_embedded import recon_home

# Variables the definitions bind through EnvVar; empty means "not configured" to every resource.
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
    for name, value in DEFAULT_ENV.items():
        os.environ.setdefault(name, value)
    # Runs land in the instance `make dev` opens, so the UI shows them.
    os.environ.setdefault("DAGSTER_HOME", str(recon_home() / "dagster"))
    for name, value in (overrides or {}).items():
        os.environ[name] = value


def instance() -> dg.DagsterInstance:
    """The persistent instance under DAGSTER_HOME (apply_default_env sets it), so the UI shows these runs."""
    os.makedirs(os.environ["DAGSTER_HOME"], exist_ok=True)
    return dg.DagsterInstance.get()


def run_job(name: str, partition_key: str, raise_on_error: bool = False,
            loggers: Mapping[str, dg.LoggerDefinition] | None = None) -> dg.ExecuteInProcessResult:
    """`loggers` replace Dagster's console logger (the CLI sends the debug log to a file)."""
    apply_default_env()
    from pipelines.definitions import defs

    job = defs.resolve_job_def(name)
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
