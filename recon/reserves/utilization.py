"""Reserve accounts replayed from the reserve operations log: totals, locks, utilisation levels.

Per reserve account (one per currency and type, crypto or fiat):
    total     = initial_total + top-ups - withdrawals
    locked    = sum over references of (locks - releases)
    available = total - locked
    utilisation = locked / total (0 when total is 0), half-even to 8 places; the level is decided on
    exact figures (locked >= threshold * total), never on the rounded ratio.
Levels: healthy < 50 %, moderate < 75 %, warning < 90 %, critical >= 90 %, emergency >= 95 %.
A lock with an outstanding amount past its time to live is a `stale_reserve_lock`; a level of warning
or worse is a `utilization_level`; books that do not replay (release without lock, unknown reserve or
operation, reported figures that differ from the replay) are `reserve_ledger_inconsistent`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast

import polars as pl

from recon.discrepancies import Discrepancy
from recon.money import show, show_ratio
from recon.reserves.config import ReservesConfig, UtilizationLevels
from recon.reserves.schemas import RESERVE_ACCOUNTS, RESERVE_OPERATIONS, conform
from recon.reserves.tables import OPERATIONS
from recon.reserves.tiers import divide

LEVELS = ("healthy", "moderate", "warning", "critical", "emergency")
# warning and worse are findings; emergency (almost nothing left to redeem from) stops the reserve.
FINDING_BY_LEVEL = {"warning": ("minor", "record"), "critical": ("significant", "record"),
                    "emergency": ("critical", "circuit_breaker")}
STATUS_COLUMNS: dict[str, pl.DataType] = {
    "reserve_id": pl.String(), "currency": pl.String(), "reserve_type": pl.String(),
    "total": pl.Decimal(38, 18), "locked": pl.Decimal(38, 18), "available": pl.Decimal(38, 18),
    "utilization": pl.Decimal(38, 8), "level": pl.String(), "open_locks": pl.Int64(),
    "stale_locks": pl.Int64(),
}


def level_of(locked: Decimal, total: Decimal, levels: UtilizationLevels) -> str:
    if total <= 0:
        return "healthy" if locked <= 0 else "emergency"
    for name, bound in (("emergency", levels.emergency), ("critical", levels.critical),
                        ("warning", levels.warning), ("moderate", levels.moderate)):
        if locked >= bound * total:
            return name
    return "healthy"


def utilization_of(locked: Decimal, total: Decimal) -> Decimal:
    return divide(locked, total, Decimal("1e-8")) if total > 0 else Decimal(0)


@dataclass
class UtilizationResult:
    rows: list[dict] = field(default_factory=list)
    findings: list[Discrepancy] = field(default_factory=list)
    analytics: pl.DataFrame = field(default_factory=pl.DataFrame)

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=STATUS_COLUMNS)

    @property
    def overall(self) -> str:
        return max((r["level"] for r in self.rows), key=LEVELS.index, default="healthy")

    def at_level(self, *levels: str) -> list[str]:
        return [r["reserve_id"] for r in self.rows if r["level"] in levels]

    @property
    def highest(self) -> Decimal:
        return max((r["utilization"] for r in self.rows), default=Decimal(0))


def check_utilization(config: ReservesConfig, accounts: pl.DataFrame, operations: pl.DataFrame,
                      as_of: datetime) -> UtilizationResult:
    accts = conform(accounts, RESERVE_ACCOUNTS, "reserve_accounts")
    ops = conform(operations, RESERVE_OPERATIONS, "reserve_operations").filter(pl.col("at") <= as_of)
    out = UtilizationResult(analytics=analytics(ops, accts))
    known = set(accts["reserve_id"])
    for row in ops.filter(~pl.col("reserve_id").is_in(known) | ~pl.col("operation").is_in(OPERATIONS)) \
            .iter_rows(named=True):
        what = "unknown reserve" if row["reserve_id"] not in known else f"unknown operation {row['operation']}"
        _inconsistent(out, row["reserve_id"], f"op:{row['operation_id'] or row['reference']}",
                      f"reserve operation {row['operation_id'] or row['reference']}: {what}", row["amount"])
    for acct in accts.sort("reserve_id").iter_rows(named=True):
        _one_reserve(config, acct, ops.filter(pl.col("reserve_id") == acct["reserve_id"]), as_of, out)
    return out


def _sum(ops: pl.DataFrame, kind: str) -> Decimal:
    return cast(Decimal, ops.filter(pl.col("operation") == kind)["amount"].sum()) or Decimal(0)


def _one_reserve(config: ReservesConfig, acct: dict, ops: pl.DataFrame, as_of: datetime,
                 out: UtilizationResult) -> None:
    rid = acct["reserve_id"]
    total = acct["initial_total"] + _sum(ops, "top_up") - _sum(ops, "withdrawal")
    locked, open_locks, stale = Decimal(0), 0, 0
    by_ref = ops.filter(pl.col("operation").is_in(["lock", "release"])).sort("at")
    for (ref,), group in by_ref.group_by("reference", maintain_order=True):
        outstanding = _sum(group, "lock") - _sum(group, "release")
        if outstanding < 0 and not group.filter(pl.col("operation") == "lock").is_empty():
            continue  # a release larger than its lock: reserve_book_invalid (reserve_books.py) says it
        if outstanding < 0 or group.filter(pl.col("operation") == "lock").is_empty():
            _inconsistent(out, rid, f"release:{ref}", f"{rid}: release of {ref} exceeds what was locked "
                          f"by {show(-outstanding)}", -outstanding)
            continue
        if outstanding == 0:
            continue
        locked += outstanding
        open_locks += 1
        first = group.filter(pl.col("operation") == "lock").row(0, named=True)
        ttl = first["ttl_seconds"] if first["ttl_seconds"] is not None else config.default_lock_ttl_seconds
        expires = first["at"] + timedelta(seconds=ttl)
        if expires < as_of:
            stale += 1
            out.findings.append(Discrepancy(
                type="stale_reserve_lock", scope_type="reserve", scope_id=rid, natural_key=str(ref),
                severity="minor", currency=acct["currency"], amount=outstanding,
                summary=f"{rid}: lock {ref} of {show(outstanding, acct['currency'])} unreleased since "
                        f"{first['at']:%Y-%m-%d %H:%M} (time to live {ttl} s)",
                details={"locked_at": first["at"], "ttl_seconds": ttl, "expired_at": expires},
            ))
    level = level_of(locked, total, config.levels)
    utilization = utilization_of(locked, total)
    out.rows.append({"reserve_id": rid, "currency": acct["currency"], "reserve_type": acct["reserve_type"],
                     "total": total, "locked": locked, "available": total - locked,
                     "utilization": utilization, "level": level, "open_locks": open_locks,
                     "stale_locks": stale})
    if level in FINDING_BY_LEVEL:
        severity, action = FINDING_BY_LEVEL[level]
        out.findings.append(Discrepancy(
            type="utilization_level", scope_type="reserve", scope_id=rid, natural_key="level",
            severity=severity, action=action, currency=acct["currency"], amount=locked,
            summary=f"{rid}: {show_ratio(utilization * 100)} % locked ({show(locked, acct['currency'])} of "
                    f"{show(total, acct['currency'])}): {level}",
            details={"level": level, "utilization": utilization, "total": total, "locked": locked},
        ))
    for name, reported, replayed in (("total", acct["reported_total"], total),
                                     ("locked", acct["reported_locked"], locked)):
        if reported is not None and reported != replayed:
            _inconsistent(out, rid, f"reported_{name}", f"{rid}: reports {name} {show(reported)}, the "
                          f"operations log gives {show(replayed)}", reported - replayed)


def _inconsistent(out: UtilizationResult, rid: str, key: str, summary: str, amount: Decimal | None) -> None:
    out.findings.append(Discrepancy(
        type="reserve_ledger_inconsistent", scope_type="reserve", scope_id=rid or "unknown", natural_key=key,
        severity="significant", amount=amount, summary=summary,
    ))


def analytics(ops: pl.DataFrame, accounts: pl.DataFrame) -> pl.DataFrame:
    """Per day, operation and currency: how many operations and how much."""
    currency = accounts.select("reserve_id", "currency")
    return (ops.join(currency, on="reserve_id", how="left")
            .with_columns(pl.col("at").dt.date().alias("period"))
            .group_by("period", "operation", "currency")
            .agg(pl.len().alias("operations"), pl.col("amount").sum().alias("amount"))
            .sort("period", "operation", "currency"))
