"""Audit of the per-chain reserve ledger against its redemption log.

Per chain, real (not test-mode, not refused) redemptions in time order form a chain:
    reserve_after = reserve_before - amount
    reserve_before = previous reserve_after + top-ups booked in between (the first: initial + top-ups)
    neither is ever negative, and an amount above the reserve at that moment must have been refused.
Test-mode redemptions leave the reserve unchanged and count in no real figure.
The ledger's current reserve = initial - real redemptions + top-ups (up to the cut-off).
Each break is a `reserve_ledger_inconsistent` finding; a tx hash used by two real redemptions is a
`redemption_unverified` one. After a break the chain continues from the recorded reserve_after, so
one bad row is reported once, not again for every row after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

import polars as pl

from recon.discrepancies import Discrepancy
from recon.money import show
from recon.reserves.config import ReservesConfig
from recon.reserves.schemas import REDEMPTIONS, RESERVE_LEDGER, RESERVE_OPERATIONS, conform
from recon.sources import NotConfigured


@dataclass
class ChainAudit:
    chain: str
    chain_id: int
    initial: Decimal
    top_ups: Decimal
    real_count: int
    real_amount: Decimal
    test_count: int
    test_amount: Decimal
    refused_count: int
    expected_reserve: Decimal
    ledger_reserve: Decimal | None


@dataclass
class LogAudit:
    findings: list[Discrepancy] = field(default_factory=list)
    chains: list[ChainAudit] = field(default_factory=list)
    # Keys of the rows with a finding, so the per-redemption output can say which.
    broken: dict[str, list[str]] = field(default_factory=dict)


def redemption_key(row: dict) -> str:
    if row.get("redemption_id"):
        return str(row["redemption_id"])
    return f"{row['chain_id']}:{row['tx_hash']}:{row['redeemed_at']}"


def is_real(row: dict) -> bool:
    return not row["test_mode"] and (row["status"] or "completed") != "refused"


def audit_log(config: ReservesConfig, reserve_ledger: pl.DataFrame, redemptions: pl.DataFrame,
              operations: pl.DataFrame) -> LogAudit:
    """Audit every row given; read the log and operations up to the reserve ledger's last update.

    The chains must be configured (each with its reserve at launch): books are never audited against a guess."""
    if config.redemption_chains is None:
        raise NotConfigured("reserves.redemption_chains is not configured: the books' starting reserves are unknown")
    ledger = conform(reserve_ledger, RESERVE_LEDGER, "reserve_ledger")
    log = conform(redemptions, REDEMPTIONS, "redemptions").with_columns(pl.col("test_mode").fill_null(False))
    ops = conform(operations, RESERVE_OPERATIONS, "reserve_operations").filter(
        (pl.col("operation") == "top_up") & pl.col("chain_id").is_not_null())
    out = LogAudit()
    chain_ids = {c.chain_id for c in config.redemption_chains}
    chain_ids |= set(ledger["chain_id"].drop_nulls()) | set(log["chain_id"].drop_nulls())
    for chain_id in sorted(chain_ids):
        rows = log.filter(pl.col("chain_id") == chain_id).sort(["redeemed_at", "redemption_id"],
                                                                 nulls_last=True)
        tops = ops.filter(pl.col("chain_id") == chain_id).sort("at")
        totals = ledger.filter(pl.col("chain_id") == chain_id)["total_reserve"].drop_nulls()
        _audit_chain(config, chain_id, rows, tops, totals[0] if totals.len() == 1 else None,
                     totals.len(), out)
    _duplicate_hashes(config, log, out)
    return out


# Books that do not add up suspend payouts on the chain; reserve lost or paid out twice stops it.
SEVERITY_BY_CHECK = {
    "incomplete": "significant",
    "non_positive_amount": "significant",
    "arithmetic": "significant",
    "chain_break": "significant",
    "test_changed_reserve": "significant",
    "current_reserve": "significant",
    "ledger_rows": "significant",
    "negative_reserve": "critical",
    "not_refused": "critical",
}
ACTION_BY_SEVERITY = {"significant": "suspend_payouts", "critical": "circuit_breaker"}


def _flag(out: LogAudit, chain: str, key: str, check: str, summary: str, amount: Decimal | None,
          details: dict) -> None:
    severity = SEVERITY_BY_CHECK[check]
    out.broken.setdefault(key, []).append(check)
    out.findings.append(Discrepancy(
        type="reserve_ledger_inconsistent", scope_type="chain", scope_id=chain, natural_key=f"{check}:{key}",
        severity=severity, action=ACTION_BY_SEVERITY[severity], amount=amount, summary=summary,
        details={"check": check, **details},
    ))


def _audit_chain(config: ReservesConfig, chain_id: int, rows: pl.DataFrame, tops: pl.DataFrame,
                 ledger_reserve: Decimal | None, ledger_rows: int, out: LogAudit) -> None:
    known = config.chain_by_id(chain_id)
    chain = known.chain if known else f"chain-{chain_id}"
    initial = known.initial_reserve if known else Decimal(0)
    top_list = list(tops.select("at", "amount").iter_rows())
    running, t = initial, 0
    real_n = test_n = refused_n = 0
    real_amt = test_amt = Decimal(0)
    for row in rows.iter_rows(named=True):
        key = redemption_key(row)
        if row["status"] == "refused":
            refused_n += 1
            continue
        before, after, amount = row["reserve_before"], row["reserve_after"], row["amount"]
        if row["test_mode"]:
            test_n += 1
            test_amt += amount or 0
            if before != after:
                _flag(out, chain, key, "test_changed_reserve",
                      f"{chain}: test-mode redemption {key} moved the reserve {show(before)} -> {show(after)}",
                      amount, {"reserve_before": before, "reserve_after": after})
            continue
        while t < len(top_list) and row["redeemed_at"] is not None and top_list[t][0] <= row["redeemed_at"]:
            running += top_list[t][1]
            t += 1
        real_n += 1
        real_amt += amount or 0
        _check_row(out, chain, key, row, running)
        running = after if after is not None else running - (amount or 0)
    top_total = sum((a for _, a in top_list), Decimal(0))
    expected = initial - real_amt + top_total
    out.chains.append(ChainAudit(chain, chain_id, initial, top_total, real_n, real_amt, test_n, test_amt,
                                 refused_n, expected, ledger_reserve))
    _check_current(out, chain, expected, ledger_reserve, ledger_rows, real_amt, top_total, initial)


def _check_row(out: LogAudit, chain: str, key: str, row: dict, running: Decimal) -> None:
    before, after, amount = row["reserve_before"], row["reserve_after"], row["amount"]
    base = {"reserve_before": before, "reserve_after": after, "amount": amount, "tx_hash": row["tx_hash"]}
    if None in (before, after, amount):
        _flag(out, chain, key, "incomplete", f"{chain}: redemption {key} lacks amount or reserve figures",
              amount, base)
        return
    if amount <= 0:
        _flag(out, chain, key, "non_positive_amount", f"{chain}: redemption {key} of {show(amount)}",
              amount, base)
    if after != before - amount:
        _flag(out, chain, key, "arithmetic",
              f"{chain}: redemption {key}: {show(before)} - {show(amount)} is not {show(after)}",
              after - (before - amount), base)
    if before != running:
        _flag(out, chain, key, "chain_break",
              f"{chain}: redemption {key} starts from {show(before)}, the reserve was {show(running)}",
              before - running, {**base, "expected_before": running})
    if before < 0 or after < 0:
        _flag(out, chain, key, "negative_reserve", f"{chain}: redemption {key} leaves a negative reserve",
              after, base)
    if amount > max(before, Decimal(0)):
        _flag(out, chain, key, "not_refused",
              f"{chain}: redemption {key} of {show(amount)} exceeded the reserve {show(before)} "
              "and was not refused",
              amount - before, base)


def _check_current(out: LogAudit, chain: str, expected: Decimal, ledger_reserve: Decimal | None,
                   ledger_rows: int, real_amt: Decimal, top_total: Decimal, initial: Decimal) -> None:
    details = {"initial": initial, "real_redemptions": real_amt, "top_ups": top_total,
               "expected": expected, "ledger": ledger_reserve, "ledger_rows": ledger_rows}
    if ledger_rows != 1:
        _flag(out, chain, "ledger", "ledger_rows",
              f"{chain}: the reserve ledger has {ledger_rows} rows for this chain, expected one",
              None, details)
        return
    assert ledger_reserve is not None
    if ledger_reserve != expected:
        _flag(out, chain, "ledger", "current_reserve",
              f"{chain}: reserve ledger says {show(ledger_reserve)}, initial {show(initial)} - redemptions "
              f"{show(real_amt)} + top-ups {show(top_total)} = {show(expected)}",
              ledger_reserve - expected, details)
    if ledger_reserve < 0:
        _flag(out, chain, "ledger", "negative_reserve", f"{chain}: reserve ledger is negative",
              ledger_reserve, details)


def _duplicate_hashes(config: ReservesConfig, log: pl.DataFrame, out: LogAudit) -> None:
    real = log.filter(~pl.col("test_mode") & (pl.col("status").fill_null("completed") != "refused")
                      & pl.col("tx_hash").is_not_null())
    real = real.with_columns(pl.col("tx_hash").str.to_lowercase().alias("_hash"))
    dups = real.filter(pl.col("_hash").is_duplicated()).sort("_hash", "redeemed_at")
    for (hash_,), group in dups.group_by("_hash", maintain_order=True):
        chains = sorted({_chain_name(config, c) for c in group["chain_id"]})
        keys = [redemption_key(r) for r in group.iter_rows(named=True)]
        for key in keys:
            out.broken.setdefault(key, []).append("duplicate_hash")
        out.findings.append(Discrepancy(
            type="redemption_unverified", scope_type="chain", scope_id=chains[0],
            natural_key=f"duplicate_hash:{hash_}", severity="critical", action="circuit_breaker",
            amount=cast(Decimal, group["amount"].sum()),
            summary=f"tx {hash_} backs {group.height} redemptions ({', '.join(keys)})",
            details={"redemptions": keys, "chains": chains},
        ))


def _chain_name(config: ReservesConfig, chain_id: int) -> str:
    chain = config.chain_by_id(chain_id)
    return chain.chain if chain else f"chain-{chain_id}"
