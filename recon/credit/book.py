"""The whole credit book at a cut-off: every line's position from the frames the assets read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import polars as pl

from recon.credit.inputs import contract_holdings, credit_lines, holdings
from recon.credit.market import market_at
from recon.credit.model import CreditLine, LtvPosition, Market
from recon.credit.position import evaluate
from recon.credit.rules import CreditRules


@dataclass(frozen=True)
class Book:
    lines: list[CreditLine]
    positions: list[LtvPosition]

    def by_band(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.positions:
            counts[p.band] = counts.get(p.band, 0) + 1
        return counts


def evaluate_book(lines_frame: pl.DataFrame, balances: pl.DataFrame, escrow: pl.DataFrame,
                  prices: pl.DataFrame, given_vol: Mapping[str, Decimal], cutoff: datetime,
                  rules: CreditRules, failed_accounts: Mapping[str, str] | None = None,
                  price_error: str | None = None, collateral_assets: set[str] | None = None,
                  collateral_error: str | None = None,
                  contract_balances: Mapping[tuple[str, str], Decimal] | None = None,
                  failed_contracts: Mapping[str, str] | None = None) -> Book:
    """`failed_accounts` maps a Stellar account whose read failed to why; its lines are unknown.

    `contract_balances` are the chain's balances of (Soroban contract, asset) pairs the escrow names;
    a line whose contract is in `failed_contracts` (or was not read at all) is unknown.

    `price_error` (the price source could not be read) leaves every line holding collateral unknown;
    `collateral_error` (e.g. the ledger's escrow table unreadable) leaves every line unknown.
    """
    failed = failed_accounts or {}
    lines = credit_lines(lines_frame)
    held = holdings(lines, balances, escrow, collateral_assets, contract_balances)
    read = contract_balances or {}
    contracts = contract_holdings(escrow)
    positions = []
    for line in lines:
        errors = [f"{a}: {failed[a]}" for a in line.collateral_accounts if a in failed]
        errors += [(failed_contracts or {}).get(c) or f"contract {c}'s {a} balance was not read"
                   for c, a in contracts.get(line.credit_line_id, []) if (c, a) not in read]
        errors += [collateral_error] if collateral_error else []
        assets = [h.asset for h in held[line.credit_line_id]]
        market = {a: Market(None, None, None, f"price source unavailable: {price_error}") for a in assets} \
            if price_error else market_at(prices, given_vol, assets, line.currency, cutoff, rules)
        positions.append(evaluate(line, held[line.credit_line_id], market, rules,
                                  read_error="; ".join(errors) or None))
    return Book(lines, positions)
