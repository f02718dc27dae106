"""balance_drift: a ledger-bank difference that persists or grows in one direction across consecutive
intraday windows, even while every window stays within Minor.

Per window and account the difference is taken value date with value date: what either side booked
with a value date after the day is in transit, not drift, and is left out of both sides
(value_diff = (ledger - its future-value postings) - (bank - its future-value entries)). The drift is
what the day added to the difference the last statement closed with (the daily balance check of that
statement's business date): drift = value_diff - baseline, so a difference the end-of-day check already
reported is not reported again.

An account drifts when, over the last `windows` consecutive windows (oldest first), every drift is
non-zero with one sign, its size never shrinks (persists or grows), and every window's difference points
the same way (an old difference closing is recovery, not drift). A window that is missing or unknown
makes the verdict unknown: it opens nothing and clears nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

import polars as pl

from recon.discrepancies import Discrepancy, discrepancy_frame
from recon.money import show

DEFAULT_WINDOWS = 3
HISTORY = {"partition_key": pl.String(), "account": pl.String(), "currency": pl.String(),
           "basis": pl.String(), "value_diff": pl.Decimal(38, 18), "baseline_diff": pl.Decimal(38, 18),
           "drift": pl.Decimal(38, 18)}


@dataclass(frozen=True)
class DriftRules:
    windows: int = DEFAULT_WINDOWS  # consecutive intraday windows, the current one included

    def __post_init__(self) -> None:
        if self.windows < 2:
            raise ValueError(f"balance drift needs at least 2 consecutive windows, not {self.windows}")


def _sign(x: Decimal) -> int:
    return (x > 0) - (x < 0)


def drifting(drifts: Sequence[Decimal | None], diffs: Sequence[Decimal | None]) -> bool | None:
    """Oldest window first. None (unknown) when any window's figure is missing."""
    if any(d is None for d in (*drifts, *diffs)):
        return None
    direction = _sign(drifts[0])  # type: ignore[arg-type]
    if direction == 0:
        return False
    one_way = all(_sign(d) == direction for d in (*drifts, *diffs))  # type: ignore[arg-type]
    never_shrinks = all(abs(b) >= abs(a) for a, b in pairwise(drifts))  # type: ignore[arg-type]
    return one_way and never_shrinks


def find_drift(history: pl.DataFrame, windows: Sequence[str],
               accounts: pl.DataFrame) -> tuple[dict[tuple[str, str], bool | None], pl.DataFrame]:
    """history (HISTORY) of the windows (oldest first); accounts (account, currency) checked now.
    Returns each account's verdict (None: unknown) and the balance_drift findings."""
    verdicts: dict[tuple[str, str], bool | None] = {}
    found = []
    rows = {(r["partition_key"], r["account"], r["currency"]): r for r in history.iter_rows(named=True)}
    for account, currency in accounts.select("account", "currency").unique().sort("account", "currency").rows():
        seen = [rows.get((w, account, currency)) for w in windows]
        drifts = [r["drift"] if r else None for r in seen]
        diffs = [r["value_diff"] if r else None for r in seen]
        verdict = drifting(drifts, diffs)
        verdicts[(account, currency)] = verdict
        if verdict:
            found.append(drift_finding(account, currency, windows, seen))  # type: ignore[arg-type]
    return verdicts, discrepancy_frame(found)


def drift_finding(account: str, currency: str, windows: Sequence[str], seen: Sequence[dict]) -> Discrepancy:
    last = seen[-1]
    side = "below" if last["drift"] < 0 else "above"
    steps = ", ".join(show(r["drift"], currency) for r in seen)
    details = {"windows": list(windows), "drift": [r["drift"] for r in seen],
               "value_diff": [r["value_diff"] for r in seen], "baseline_diff": last["baseline_diff"],
               "basis": [r["basis"] for r in seen], "direction": f"ledger {side} bank"}
    return Discrepancy(
        "balance_drift", "account", account, f"drift:{currency}", "minor",
        f"{account}: ledger drifting {side} the bank for {len(windows)} windows to {windows[-1]} "
        f"(drift {steps}; value date with value date, against the last statement's difference "
        f"{show(last['baseline_diff'], currency)})",
        "record", currency, abs(last["drift"]), details)


FIGURES = {"account": pl.String(), "currency": pl.String(), "basis": pl.String(),
           "bank_balance": pl.Decimal(38, 18), "bank_cutoff": pl.Datetime("us", "UTC"),
           "report_key": pl.String(), "statement_date": pl.Date(), "movements": pl.Int64(),
           "bank_future_value": pl.Decimal(38, 18), "ledger_balance": pl.Decimal(38, 18),
           "ledger_future_value": pl.Decimal(38, 18), "value_diff": pl.Decimal(38, 18),
           "baseline_diff": pl.Decimal(38, 18), "drift": pl.Decimal(38, 18)}


def window_figures(checks: pl.DataFrame, position: pl.DataFrame, ledger_future: pl.DataFrame | None,
                   baselines: pl.DataFrame) -> pl.DataFrame:
    """One window's figures per checked account (FIGURES). checks: the window's balance checks; position:
    recon/intraday.py's POSITION; ledger_future: (account, currency, amount), None when the ledger's
    postings could not be read (every value_diff unknown); baselines: (account, currency, closed_on,
    baseline_diff)."""
    key = ["account", "currency"]
    pos = position.rename({"balance": "bank_position", "closed_on": "statement_date"})
    lfv = (ledger_future.rename({"amount": "lfv"}) if ledger_future is not None
           else pl.DataFrame(schema={"account": pl.String(), "currency": pl.String(), "lfv": pl.Decimal(38, 18)}))
    frame = (checks.select(*key, "ledger_balance", "bank_balance").join(pos, on=key, how="left")
             .join(lfv, on=key, how="left")
             .join(baselines.rename({"closed_on": "statement_date"}), on=[*key, "statement_date"], how="left"))
    ledger_fv = pl.col("lfv").fill_null(0) if ledger_future is not None else pl.lit(None, pl.Decimal(38, 18))
    value_diff = (pl.col("ledger_balance") - ledger_fv) - (pl.col("bank_balance") - pl.col("bank_future_value"))
    return frame.with_columns(
        pl.col("basis").fill_null("none"), pl.col("movements").fill_null(0),
        ledger_fv.alias("ledger_future_value"), value_diff.alias("value_diff"),
    ).with_columns((pl.col("value_diff") - pl.col("baseline_diff")).alias("drift")).select(
        [pl.col(c).cast(t) for c, t in FIGURES.items()])
