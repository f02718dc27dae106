"""From the ledger's and the chain's frames to the computation's inputs: lines and their holdings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

import polars as pl

from recon.credit.model import CreditLine, Holding
from recon.credit.numbers import ZERO


def _latest(frame: pl.DataFrame, key: list[str], at: str) -> pl.DataFrame:
    """The newest row per key at or before the cut-off (the ledger read already applied the cut-off)."""
    return frame.sort(at).unique(subset=key, keep="last", maintain_order=True).sort(key)


def credit_lines(frame: pl.DataFrame) -> list[CreditLine]:
    """Lines to evaluate: every line not closed, and a closed line that still shows debt."""
    out = []
    for r in _latest(frame, ["credit_line_id"], "updated_at").iter_rows(named=True):
        line = CreditLine(
            credit_line_id=r["credit_line_id"], currency=r["currency"],
            principal=r["outstanding_principal"], accrued_interest=r["accrued_interest"] or ZERO,
            target_ltv=r["target_ltv"], user_id=r["user_id"], credit_limit=r["credit_limit"],
            status=(r["status"] or "").lower(),
            collateral_accounts=tuple(a.strip() for a in (r["collateral_accounts"] or "").split(",")
                                      if a.strip()),
            creditor_reference=r["creditor_reference"],
        )
        if line.status != "closed" or line.debt > ZERO:
            out.append(line)
    return out


def latest_escrow(escrow: pl.DataFrame) -> pl.DataFrame:
    return _latest(escrow, ["credit_line_id", "asset", "contract_id"], "as_of") if escrow.height else escrow


def _contract(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def contract_holdings(escrow: pl.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """Per line, the (contract_id, asset) pairs whose balance is read from the chain (Soroban)."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in latest_escrow(escrow).iter_rows(named=True):
        if (contract := _contract(r["contract_id"])) is not None:
            out[r["credit_line_id"]].append((contract, r["asset"]))
    return dict(out)


def holdings(lines: list[CreditLine], balances: pl.DataFrame, escrow: pl.DataFrame,
             assets: set[str] | None = None,
             contract_balances: Mapping[tuple[str, str], Decimal] | None = None) -> dict[str, list[Holding]]:
    """Per line, per collateral asset: on-chain balances of its accounts, escrow and accrued yield.

    `balances` has account, asset, balance (Decimal); `escrow` is the collateral_escrow table.
    Only `assets` count as collateral when given (an account's other trustlines are not pledged).
    An escrow row naming a contract counts the contract's balance read from the chain
    (`contract_balances`), never the ledger's figure; one not read adds nothing (its line is unknown).
    """
    read = contract_balances or {}
    on_chain: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for r in balances.iter_rows(named=True):
        on_chain[(r["account"], r["asset"])] += r["balance"]
    held: dict[str, dict[str, list[Decimal]]] = {ln.credit_line_id: defaultdict(lambda: [ZERO] * 3)
                                                 for ln in lines}
    for ln in lines:
        for (account, asset), amount in on_chain.items():
            if account in ln.collateral_accounts and (assets is None or asset in assets):
                held[ln.credit_line_id][asset][0] += amount
    for r in latest_escrow(escrow).iter_rows(named=True):
        if r["credit_line_id"] in held:
            cell = held[r["credit_line_id"]][r["asset"]]
            contract = _contract(r["contract_id"])
            cell[1] += r["escrowed_amount"] if contract is None else read.get((contract, r["asset"]), ZERO)
            cell[2] += r["accrued_yield"] or ZERO
    return {line_id: [Holding(a, *v) for a, v in sorted(per.items())] for line_id, per in held.items()}
