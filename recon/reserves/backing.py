"""Backing: reserves against tokens in circulation, per token and per chain, at one cut-off.

reserves(token)    = sum of bank closing balances of its reserve accounts
                     + reserve-ledger totals of the chains configured as reserve not yet at the bank
circulating(token) = sum over its chains of circulating supply (total supply less treasury holdings)
ratio              = reserves / circulating, half-even to 12 places (null when nothing circulates)

A ratio below 1 - tolerance is a `backing_shortfall`: Critical, circuit breaker on the token.
Per chain, the reserve ledger's total against that chain's circulating supply is tiered as balances
are (|diff| / circulating); any tier above ok is a `supply_mismatch`. A missing input makes the
verdict "unknown" (a `source_unavailable` finding), never ok.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

import polars as pl

from recon.discrepancies import Discrepancy
from recon.money import show, show_ratio
from recon.reserves.config import ReservesConfig, TokenBacking
from recon.reserves.schemas import AMOUNT
from recon.reserves.tiers import ACTION_BY_TIER, RATIO_PLACES, divide, tier_of

BACKING_COLUMNS: dict[str, pl.DataType] = {
    "token": pl.String(),
    "scope": pl.String(),
    "circulating": AMOUNT,
    "reserves": AMOUNT,
    "ratio": pl.Decimal(38, 12),
    "shortfall": AMOUNT,
    "pct": pl.Decimal(38, 6),
    "tier": pl.String(),
    "action": pl.String(),
    "inputs": pl.String(),
}


@dataclass
class BackingResult:
    rows: list[dict] = field(default_factory=list)
    findings: list[Discrepancy] = field(default_factory=list)
    complete: bool = True

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=BACKING_COLUMNS)


def bank_reserves(
    token: TokenBacking, bank: pl.DataFrame, business_date: date, max_age_days: int
) -> tuple[Decimal, list[str], dict[str, str]]:
    """Sum of the reserve accounts' latest closing balances in the window; accounts that lack one."""
    oldest = business_date - timedelta(days=max_age_days)
    total, missing, used = Decimal(0), [], {}
    for account in token.reserve_accounts:
        rows = bank.filter(
            (pl.col("account") == account)
            & (pl.col("business_date") <= business_date)
            & (pl.col("business_date") >= oldest)
            & pl.col("closing_balance").is_not_null()
        ).sort("business_date", maintain_order=True)
        if rows.is_empty():
            missing.append(account)
            continue
        last = rows.row(-1, named=True)
        if last["currency"] != token.currency:
            missing.append(f"{account} (in {last['currency']}, not {token.currency})")
            continue
        total += last["closing_balance"]
        used[account] = str(last["business_date"])
    return total, missing, used


def _circulating(token: TokenBacking, supply: pl.DataFrame) -> tuple[dict[str, Decimal], list[str]]:
    found, missing = {}, []
    for chain, asset in token.chain_assets.items():
        rows = supply.filter((pl.col("chain") == chain) & (pl.col("asset") == asset))
        if rows.is_empty() or rows["circulating"].null_count():
            missing.append(chain)
        else:
            found[chain] = cast(Decimal, rows["circulating"].sum())
    return found, missing


def _ledger_totals(reserve_ledger: pl.DataFrame, config: ReservesConfig) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for row in reserve_ledger.iter_rows(named=True):
        chain = config.chain_by_id(row["chain_id"])
        if chain is not None and row["total_reserve"] is not None:
            totals[chain.chain] = totals.get(chain.chain, Decimal(0)) + row["total_reserve"]
    return totals


def check_backing(
    config: ReservesConfig,
    supply: pl.DataFrame,
    bank: pl.DataFrame,
    reserve_ledger: pl.DataFrame | None,
    business_date: date,
) -> BackingResult:
    """Per token (scope "all") and per redemption chain; `reserve_ledger` None means it was unreadable."""
    result = BackingResult()
    ledger = _ledger_totals(reserve_ledger, config) if reserve_ledger is not None else None
    for token in config.tokens:
        _token_backing(token, config, supply, bank, ledger, business_date, result)
        if token.token == config.redemption_asset:
            _per_chain(token, config, supply, ledger, result)
    return result


def _unknown(result: BackingResult, token: str, scope: str, what: list[str], inputs: str) -> None:
    result.complete = False
    result.rows.append({"token": token, "scope": scope, "tier": "unknown", "action": "record",
                        "inputs": inputs})
    result.findings.append(Discrepancy(
        type="source_unavailable", scope_type="token", scope_id=token, natural_key=f"backing:{scope}",
        severity="unknown", summary=f"backing of {token} ({scope}) unknown: missing {', '.join(what)}",
        details={"missing": what},
    ))


def _token_backing(token: TokenBacking, config: ReservesConfig, supply: pl.DataFrame, bank: pl.DataFrame,
                   ledger: dict[str, Decimal] | None, business_date: date, result: BackingResult) -> None:
    at_bank, missing_bank, used = bank_reserves(token, bank, business_date, config.bank_balance_max_age_days)
    circulating, missing_chains = _circulating(token, supply)
    missing = [f"bank balance {a}" for a in missing_bank] + [f"supply on {c}" for c in missing_chains]
    in_transit = Decimal(0)
    for chain in token.ledger_reserve_chains:
        if ledger is None or chain not in ledger:
            missing.append(f"reserve ledger of {chain}")
        else:
            in_transit += ledger[chain]
    inputs = json.dumps({"bank_statement_dates": used, "ledger_chains": list(token.ledger_reserve_chains)})
    if missing:
        _unknown(result, token.token, "all", missing, inputs)
        return
    reserves = at_bank + in_transit
    total = sum(circulating.values(), Decimal(0))
    ratio = divide(reserves, total, RATIO_PLACES) if total else None
    shortfall = max(total - reserves, Decimal(0))
    short = ratio is not None and ratio < 1 - token.tolerance
    pct = divide(shortfall * 100, total, Decimal("1e-6")) if total else None
    tier = "critical" if short else "ok"
    result.rows.append({"token": token.token, "scope": "all", "circulating": total, "reserves": reserves,
                        "ratio": ratio, "shortfall": shortfall, "pct": pct, "tier": tier,
                        "action": ACTION_BY_TIER[tier], "inputs": inputs})
    if short:
        result.findings.append(Discrepancy(
            type="backing_shortfall", scope_type="token", scope_id=token.token, natural_key="backing",
            severity="critical", action="circuit_breaker", currency=token.currency, amount=shortfall,
            summary=f"{token.token} backed {show_ratio(ratio)} : 1 — reserves "
                    f"{show(reserves, token.currency)} against {show(total, token.token)} in circulation",
            details={"ratio": ratio, "reserves": reserves, "at_bank": at_bank, "in_transit": in_transit,
                     "circulating": total, "by_chain": circulating, "tolerance": token.tolerance},
        ))


def _per_chain(token: TokenBacking, config: ReservesConfig, supply: pl.DataFrame,
               ledger: dict[str, Decimal] | None, result: BackingResult) -> None:
    circulating, _ = _circulating(token, supply)
    for chain in config.chains:
        name = chain.chain
        if name not in token.chain_assets:
            continue
        if ledger is None or name not in ledger or name not in circulating:
            what = [w for w, ok in ((f"reserve ledger of {name}", ledger is not None and name in ledger),
                                    (f"supply on {name}", name in circulating)) if not ok]
            _unknown(result, token.token, name, what, "{}")
            continue
        reserve, supply_here = ledger[name], circulating[name]
        diff = reserve - supply_here
        tier, pct = tier_of(diff, supply_here, config.tiers)
        ratio = divide(reserve, supply_here, RATIO_PLACES) if supply_here else None
        result.rows.append({"token": token.token, "scope": name, "circulating": supply_here,
                            "reserves": reserve, "ratio": ratio, "shortfall": max(-diff, Decimal(0)),
                            "pct": pct, "tier": tier, "action": ACTION_BY_TIER[tier], "inputs": "{}"})
        if tier != "ok":
            result.findings.append(Discrepancy(
                type="supply_mismatch", scope_type="chain", scope_id=name, natural_key=token.token,
                severity=tier, action=ACTION_BY_TIER[tier], currency=token.currency, amount=diff,
                summary=f"{name}: reserve ledger {show(reserve)} against "
                        f"{show(supply_here, token.token)} circulating (diff {show(diff)}, "
                        f"{show_ratio(pct)} %)",
                details={"reserve_ledger": reserve, "circulating": supply_here, "diff": diff, "pct": pct},
            ))
