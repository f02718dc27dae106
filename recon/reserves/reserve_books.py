"""The reserve accounts' books themselves, operation by operation, and the money behind each movement.

`reserve_book_invalid` (replayed per reserve in time order, total / locked / available as of each
operation):
    non_positive_top_up        a top-up of zero or less                          significant, suspend payouts
    release_over_lock          a release larger than what its reference holds    significant, suspend payouts
    withdrawal_over_available  a withdrawal above total - locked at that moment  critical, circuit breaker
    negative_available         a lock that takes available below zero            critical, circuit breaker
`reserve_movement_unmatched`: a top-up or withdrawal (amount > 0) with no movement that carried it, once
older than the movement window: for a fiat reserve a bank entry of its currency whose AcctSvcrRef or
EndToEndId is the operation's reference (credit for a top-up, debit for a withdrawal); for a crypto
reserve a chain transfer whose hash is the reference. A movement of another amount is unmatched too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import polars as pl

from recon.discrepancies import Discrepancy
from recon.reserves.schemas import RESERVE_ACCOUNTS, RESERVE_OPERATIONS, conform
from recon.reserves.tiers import fmt

SEVERITY = {"non_positive_top_up": ("significant", "suspend_payouts"),
            "release_over_lock": ("significant", "suspend_payouts"),
            "withdrawal_over_available": ("critical", "circuit_breaker"),
            "negative_available": ("critical", "circuit_breaker")}
# Bank entries and chain transfers the matching reads (recon.bank_entries / recon.chain_transfers columns).
BANK_MOVES: dict[str, pl.DataType] = {"currency": pl.String(), "amount": pl.Decimal(38, 18),
                                      "direction": pl.String(), "acct_svcr_ref": pl.String(),
                                      "end_to_end_id": pl.String()}
CHAIN_MOVES: dict[str, pl.DataType] = {"tx_hash": pl.String(), "amount": pl.Decimal(38, 18)}


def op_key(row: dict) -> str:
    return f"{row['operation']}:{row['operation_id'] or row['reference']}"


def check_books(accounts: pl.DataFrame, operations: pl.DataFrame, as_of: datetime) -> list[Discrepancy]:
    accts = conform(accounts, RESERVE_ACCOUNTS, "reserve_accounts")
    ops = conform(operations, RESERVE_OPERATIONS, "reserve_operations").filter(pl.col("at") <= as_of)
    found: list[Discrepancy] = []
    for acct in accts.sort("reserve_id").iter_rows(named=True):
        rows = ops.filter(pl.col("reserve_id") == acct["reserve_id"]).sort("at", "operation_id", nulls_last=True)
        found += _replay(acct, rows)
    return found


def _replay(acct: dict, ops: pl.DataFrame) -> list[Discrepancy]:
    rid, currency = acct["reserve_id"], acct["currency"]
    total: Decimal = acct["initial_total"]
    held: dict[str, Decimal] = {}  # reference -> locked amount outstanding
    locked = Decimal(0)  # sum of held, kept as it changes (summing it per operation is quadratic)
    out: list[Discrepancy] = []
    below_zero = False

    def flag(check: str, row: dict, amount: Decimal, summary: str, **details: object) -> None:
        severity, action = SEVERITY[check]
        out.append(Discrepancy(
            type="reserve_book_invalid", scope_type="reserve", scope_id=rid, natural_key=f"{check}:{op_key(row)}",
            severity=severity, action=action, currency=currency, amount=amount, summary=f"{rid}: {summary}",
            details={"check": check, "operation_id": row["operation_id"], "reference": row["reference"],
                     "at": row["at"], "operation_amount": row["amount"], **details}))

    for row in ops.iter_rows(named=True):
        kind, amount, ref = row["operation"], row["amount"], row["reference"]
        available = total - locked
        figures = {"total_before": total, "locked_before": locked, "available_before": available}
        if kind == "top_up":
            if amount <= 0:
                flag("non_positive_top_up", row, amount, f"top-up {op_key(row)} of {fmt(amount)}", **figures)
                continue
            total += amount
        elif kind == "withdrawal":
            if amount > available:
                flag("withdrawal_over_available", row, amount - available,
                     f"withdrawal {op_key(row)} of {fmt(amount)} with {fmt(available)} available "
                     f"({fmt(total)} total, {fmt(locked)} locked)", **figures)
                below_zero = True
            total -= amount
        elif kind == "lock":
            held[ref] = held.get(ref, Decimal(0)) + amount
            locked += amount
        elif kind == "release":
            holding = held.get(ref, Decimal(0))
            if ref in held and amount > holding:
                flag("release_over_lock", row, amount - holding,
                     f"release {op_key(row)} of {fmt(amount)} against {fmt(holding)} locked under {ref}",
                     **figures, locked_under_reference=holding)
            held[ref] = max(holding - amount, Decimal(0))
            locked += held[ref] - holding
        now_available = total - locked
        if now_available < 0 and not below_zero:
            flag("negative_available", row, now_available,
                 f"available {fmt(now_available)} after {op_key(row)} ({fmt(total)} total)", **figures,
                 available_after=now_available)
        below_zero = now_available < 0
    return out


@dataclass
class MovementResult:
    findings: list[Discrepancy] = field(default_factory=list)
    matched: int = 0
    in_transit: int = 0


def match_movements(accounts: pl.DataFrame, operations: pl.DataFrame, bank: pl.DataFrame, chain: pl.DataFrame,
                    as_of: datetime, window: timedelta) -> MovementResult:
    accts = {r["reserve_id"]: r for r in conform(accounts, RESERVE_ACCOUNTS, "reserve_accounts")
             .iter_rows(named=True)}
    ops = conform(operations, RESERVE_OPERATIONS, "reserve_operations").filter(
        (pl.col("at") <= as_of) & pl.col("operation").is_in(["top_up", "withdrawal"]) & (pl.col("amount") > 0))
    bank = conform(bank, BANK_MOVES, "bank_entries")
    chain = conform(chain, CHAIN_MOVES, "chain_transfers").with_columns(pl.col("tx_hash").str.to_lowercase())
    out = MovementResult()
    for row in ops.sort("at").iter_rows(named=True):
        acct = accts.get(row["reserve_id"])
        if acct is None:
            continue  # an unknown reserve is already reserve_ledger_inconsistent
        ref = row["reference"]
        if acct["reserve_type"] == "crypto":
            moves, where = chain.filter(pl.col("tx_hash") == ref.lower()), "chain transfer with hash"
        else:
            direction = "CRDT" if row["operation"] == "top_up" else "DBIT"
            moves = bank.filter(((pl.col("acct_svcr_ref") == ref) | (pl.col("end_to_end_id") == ref))
                                & (pl.col("currency") == acct["currency"]) & (pl.col("direction") == direction))
            where = f"bank {direction.lower()} entry with reference"
        amounts = [a for a in moves["amount"].to_list() if a is not None]
        if row["amount"] in amounts:
            out.matched += 1
            continue
        if not amounts and row["at"] > as_of - window:
            out.in_transit += 1
            continue
        reason = f"the {where} {ref} carries {', '.join(fmt(a) for a in amounts)}" if amounts \
            else f"no {where} {ref}"
        out.findings.append(Discrepancy(
            type="reserve_movement_unmatched", scope_type="reserve", scope_id=row["reserve_id"],
            natural_key=op_key(row), severity="significant", action="record", currency=acct["currency"],
            amount=row["amount"],
            summary=f"{row['reserve_id']}: {row['operation'].replace('_', '-')} {op_key(row)} of "
                    f"{fmt(row['amount'])} on {row['at']:%Y-%m-%d}: {reason}",
            details={"reference": ref, "at": row["at"], "movement_amounts": amounts,
                     "reason": "amount_differs" if amounts else "no_movement"}))
    return out


def operation_log(accounts: pl.DataFrame, operations: pl.DataFrame, as_of: datetime) -> pl.DataFrame:
    """Every operation up to `as_of` with its reserve's currency: what recon.v_reserve_analytics counts."""
    accts = conform(accounts, RESERVE_ACCOUNTS, "reserve_accounts").select("reserve_id", "currency", "reserve_type")
    ops = conform(operations, RESERVE_OPERATIONS, "reserve_operations").filter(pl.col("at") <= as_of)
    return (ops.join(accts, on="reserve_id", how="left")
            .with_columns(pl.coalesce("operation_id", pl.format("{}:{}:{}", "operation", "reference", "at"))
                          .alias("operation_key"))
            .select("operation_key", "reserve_id", "operation", "currency", "reserve_type", "amount", "reference",
                    "at")
            .unique("operation_key", keep="last", maintain_order=True))
