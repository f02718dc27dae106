"""Ledger vs bank balance per account: four tiers, their actions, and the bank side end of day or intraday.

diff = ledger - bank; pct = |diff| / |bank| * 100 (base: the bank balance). Tiers are decided on the
exact ratio (no rounding); the pct shown is rounded half-even to 10 decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import polars as pl

from recon.discrepancies import AMOUNT_DTYPE, Discrepancy, discrepancy_frame
from recon.money import show

ACTIONS = {"ok": "none", "minor": "record", "significant": "suspend_payouts",
           "critical": "circuit_breaker", "unknown": "record"}
_PCT_PLACES = Decimal("0.0000000001")


@dataclass(frozen=True)
class Tiers:
    """Upper bounds in percent of the bank balance, inclusive; above `significant_pct` is critical."""

    ok_pct: Decimal = Decimal("0.01")
    minor_pct: Decimal = Decimal("0.05")
    significant_pct: Decimal = Decimal("0.5")
    # Ledger above bank by more than this (in the currency) is critical whatever the pct.
    rounding_tolerance: Decimal = Decimal("0.01")


@dataclass(frozen=True)
class BalanceRules:
    default: Tiers = field(default_factory=Tiers)
    per_currency: Mapping[str, Tiers] = field(default_factory=dict)
    per_account: Mapping[str, Tiers] = field(default_factory=dict)

    def tiers(self, account: str, currency: str) -> Tiers:
        return self.per_account.get(account) or self.per_currency.get(currency) or self.default


@dataclass(frozen=True)
class Verdict:
    tier: str
    action: str
    diff: Decimal | None
    pct: Decimal | None
    reason: str


def classify(ledger: Decimal | None, bank: Decimal | None, tiers: Tiers,
             currency: str | None = None) -> Verdict:
    if ledger is None or bank is None:
        side = "bank" if bank is None else "ledger"
        return Verdict("unknown", ACTIONS["unknown"], None, None, f"no {side} balance")
    diff = ledger - bank
    if bank == 0:
        tier = "ok" if ledger == 0 else "critical"
        return Verdict(tier, ACTIONS[tier], diff, Decimal(0) if tier == "ok" else None,
                       "both zero" if tier == "ok" else "bank balance is zero, ledger is not")
    scaled = abs(diff) * 100  # pct <= bound  <=>  |diff| * 100 <= bound * |bank|, exactly
    pct = (scaled / abs(bank)).quantize(_PCT_PLACES, rounding=ROUND_HALF_EVEN)
    if diff > tiers.rounding_tolerance:
        return Verdict("critical", ACTIONS["critical"], diff, pct,
                       f"ledger exceeds bank by {show(diff, currency)} "
                       f"(tolerance {show(tiers.rounding_tolerance, currency)})")
    for tier, bound in (("ok", tiers.ok_pct), ("minor", tiers.minor_pct),
                        ("significant", tiers.significant_pct)):
        if scaled <= bound * abs(bank):
            return Verdict(tier, ACTIONS[tier], diff, pct, f"{pct}% of the bank balance (<= {bound}%)")
    return Verdict("critical", ACTIONS["critical"], diff, pct,
                   f"{pct}% of the bank balance (> {tiers.significant_pct}%)")


def intraday_bank_balance(last_closing: Decimal | None, booked_since: Iterable[Decimal]) -> Decimal | None:
    """Last statement balance plus the signed booked movements (CAMT.054) since; none without a statement."""
    if last_closing is None:
        return None
    return last_closing + sum(booked_since, Decimal(0))


def intraday_bank_balances(last_closing: pl.DataFrame, movements: pl.DataFrame) -> pl.DataFrame:
    """Frame form of intraday_bank_balance: last_closing (account, currency, balance) plus the signed sum
    of booked movements (account, currency, direction, amount) since; accounts without a statement are
    left out, so their check is unknown."""
    moved = movements.group_by("account", "currency").agg(
        pl.when(pl.col("direction") == "DBIT").then(-pl.col("amount")).otherwise(pl.col("amount"))
        .cast(AMOUNT_DTYPE).sum().alias("moved"))
    return last_closing.join(moved, on=["account", "currency"], how="left").select(
        "account", "currency",
        (pl.col("balance").cast(AMOUNT_DTYPE) + pl.col("moved").fill_null(0)).cast(AMOUNT_DTYPE).alias("balance"))


CHECK_SCHEMA: dict[str, pl.DataType] = {
    "account": pl.String(), "currency": pl.String(), "ledger_balance": AMOUNT_DTYPE,
    "bank_balance": AMOUNT_DTYPE, "diff": AMOUNT_DTYPE, "pct": pl.Decimal(38, 10),
    "tier": pl.String(), "action": pl.String(),
}


def check_balances(ledger: pl.DataFrame, bank: pl.DataFrame, rules: BalanceRules,
                   ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """ledger and bank: (account, currency, balance). Returns (checks, discrepancies), one check per pair."""
    both = ledger.rename({"balance": "ledger_balance"}).join(
        bank.rename({"balance": "bank_balance"}), on=["account", "currency"], how="full", coalesce=True,
    ).sort("account", "currency")
    checks, found = [], []
    for row in both.iter_rows(named=True):
        account, currency = row["account"], row["currency"]
        v = classify(row["ledger_balance"], row["bank_balance"], rules.tiers(account, currency),
                     currency)
        checks.append({**row, "diff": v.diff, "pct": v.pct, "tier": v.tier, "action": v.action})
        if v.tier == "ok":
            continue
        details = {"ledger_balance": row["ledger_balance"], "bank_balance": row["bank_balance"],
                   "diff": v.diff, "pct": v.pct, "tier": v.tier}
        if v.tier == "unknown":
            side = "bank" if row["bank_balance"] is None else "ledger"
            found.append(Discrepancy("source_unavailable", "account", account, f"balance:{side}:{currency}", "unknown",
                                     f"{account} {currency}: {v.reason}; balance tier unknown, not OK",
                                     v.action, currency, None, details))
        else:
            found.append(Discrepancy("balance_mismatch", "account", account, f"balance:{currency}", v.tier,
                                     f"{account}: ledger {show(row['ledger_balance'], currency)} vs "
                                     f"bank {show(row['bank_balance'], currency)} ({v.tier}: {v.reason})",
                                     v.action, currency, abs(v.diff) if v.diff is not None else None, details))
    return pl.DataFrame(checks, schema=CHECK_SCHEMA), discrepancy_frame(found)
