"""balance_drift in each intraday window (recon/drift.py): the window's figures per account go to
recon.intraday_positions (with the basis its bank position used), and the verdict over the last N
consecutive windows is recorded under its own detector, so only this check opens or clears it."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from assets.partitions import WINDOW_FMT, intraday_window_partitions
from recon.drift import HISTORY, DriftRules, find_drift, window_figures
from recon.intraday import ledger_future_value, typed
from recon.sql import postgres_sql
from stores.pg_discrepancies import RecordResult
from stores.warehouse import Warehouse

DETECTOR = "balance_drift"
_BASELINES = {"account": pl.String(), "currency": pl.String(), "closed_on": pl.Date(),
              "baseline_diff": pl.Decimal(38, 18)}


def windows_to(start: datetime, rules: DriftRules) -> list[str]:
    """The keys of the last `rules.windows` consecutive windows, ending with the one starting at `start`."""
    keys, at = [start.strftime(WINDOW_FMT)], start
    while len(keys) < rules.windows:
        prev = intraday_window_partitions.get_prev_partition_window(at)
        if prev is None:
            break
        keys.insert(0, prev.start.strftime(WINDOW_FMT))
        at = prev.start
    return keys


def record_drift(wh: Warehouse, key: str, day: date, window_start: datetime, window_end: datetime,
                 run_id: str, checks: pl.DataFrame, position: pl.DataFrame, accounts: pl.DataFrame,
                 transactions: pl.DataFrame | None, rules: DriftRules) -> tuple[pl.DataFrame, RecordResult, int]:
    """Write the window's figures, judge drift, record findings. Returns the figures, what was recorded and
    how many accounts' drift is unknown (then nothing is cleared)."""
    dates = [d for d in position["closed_on"].unique().to_list() if d is not None]
    baselines = typed(wh.query(postgres_sql("select_daily_baselines"), dates=dates), _BASELINES) if dates \
        else pl.DataFrame(schema=_BASELINES)
    future = ledger_future_value(accounts, transactions, day) if transactions is not None else None
    figures = window_figures(checks, position, future, baselines)
    rows = figures.with_columns(pl.lit(key).alias("partition_key"), pl.lit(day).alias("business_date"),
                                pl.lit(run_id).alias("run_id"))
    wh.write("intraday_positions", rows, ["partition_key", "account", "currency"], {"partition_key": key})
    windows = windows_to(window_start, rules)
    history = typed(wh.query(postgres_sql("select_drift_history"), windows=windows), HISTORY)
    verdicts, found = find_drift(history, windows, checks)
    if len(windows) < rules.windows:  # the partitions start later than the rule reaches back
        verdicts, found = dict.fromkeys(verdicts), found.clear()
    unknown = sum(1 for v in verdicts.values() if v is None)
    recorded = wh.record_discrepancies(DETECTOR, key, found, run_id, complete=not unknown, cutoff=window_end)
    return figures, recorded, unknown
