"""Positions as rows of recon.ltv_positions, and the discrepancies they raise."""

from __future__ import annotations

import json
from collections.abc import Sequence

import polars as pl

from recon.credit.model import CreditLine, LtvPosition
from recon.credit.numbers import ZERO
from recon.discrepancies import Discrepancy
from recon.ledger.tables import MONEY
from recon.money import show, show_ratio

POSITION_SCHEMA: dict[str, pl.DataType] = {
    "credit_line_id": pl.String(), "user_id": pl.String(), "line_status": pl.String(),
    "currency": pl.String(), "principal": MONEY, "accrued_interest": MONEY, "debt": MONEY,
    "market_value": MONEY, "collateral_value": MONEY, "yield_cushion_value": MONEY,
    "collateral_value_with_cushion": MONEY, "ltv": MONEY, "ltv_with_cushion": MONEY, "target_ltv": MONEY,
    "effective_target_ltv": MONEY,
    "threshold_watch": MONEY, "threshold_margin_call": MONEY, "threshold_partial_liquidation": MONEY,
    "threshold_full_liquidation": MONEY, "band": pl.String(), "liquidation_value": MONEY,
    "topup_value": MONEY, "reason": pl.String(), "assets": pl.String(),
}

# Margin call: draws on the line stop until a person clears the suspension (collateral topped up or
# debt repaid); partial or full liquidation: the line is frozen by a circuit breaker while it is sold down.
BREACH = {
    "margin_call": ("significant", "suspend_payouts"),
    "partial_liquidation": ("critical", "circuit_breaker"),
    "full_liquidation": ("critical", "circuit_breaker"),
}


def _assets_json(p: LtvPosition) -> str:
    return json.dumps([{
        "asset": a.asset, "quantity": str(a.quantity), "yield_quantity": str(a.yield_quantity),
        "price": str(a.price), "annual_vol": str(a.volatility), "haircut": str(a.haircut),
        "market_value": str(a.market_value), "collateral_value": str(a.collateral_value),
        "cushion_value": str(a.cushion_value), "sell_quantity": str(a.sell_quantity),
        "thresholds": [str(t) for t in a.thresholds.as_tuple()],
    } for a in p.assets], sort_keys=True)


def positions_frame(lines: Sequence[CreditLine], positions: Sequence[LtvPosition]) -> pl.DataFrame:
    by_id = {ln.credit_line_id: ln for ln in lines}
    rows = []
    for p in positions:
        ln = by_id[p.credit_line_id]
        t = p.thresholds.as_tuple() if p.thresholds else (None, None, None, None)
        rows.append({
            "credit_line_id": p.credit_line_id, "user_id": ln.user_id, "line_status": ln.status,
            "currency": p.currency, "principal": ln.principal, "accrued_interest": ln.accrued_interest,
            "debt": p.debt, "market_value": p.market_value, "collateral_value": p.collateral_value,
            "yield_cushion_value": p.yield_cushion_value,
            "collateral_value_with_cushion": p.collateral_value_with_cushion, "ltv": p.ltv,
            "ltv_with_cushion": p.ltv_with_cushion, "target_ltv": p.target_ltv,
            "effective_target_ltv": p.effective_target_ltv,
            "threshold_watch": t[0], "threshold_margin_call": t[1], "threshold_partial_liquidation": t[2],
            "threshold_full_liquidation": t[3], "band": p.band, "liquidation_value": p.liquidation_value,
            "topup_value": p.topup_value, "reason": p.reason, "assets": _assets_json(p),
        })
    return pl.DataFrame(rows, schema=POSITION_SCHEMA)


def ltv_discrepancies(positions: Sequence[LtvPosition]) -> list[Discrepancy]:
    """ltv_breach for margin call or worse; source_unavailable when a line with debt cannot be valued."""
    out = []
    for p in positions:
        scope = ("credit_line", p.credit_line_id)
        if p.band in BREACH:
            severity, action = BREACH[p.band]
            ltv = "n/a (no collateral)" if p.ltv is None else show_ratio(p.ltv)
            out.append(Discrepancy(
                "ltv_breach", *scope, natural_key="ltv", severity=severity, action=action,
                currency=p.currency, amount=p.liquidation_value or p.topup_value,
                summary=f"credit line {p.credit_line_id} in {p.band.replace('_', ' ')}: LTV {ltv}, "
                        f"debt {show(p.debt, p.currency)}, collateral value "
                        f"{show(p.collateral_value, p.currency)}",
                details={"band": p.band, "ltv": p.ltv, "debt": p.debt, "collateral_value": p.collateral_value,
                         "liquidation_value": p.liquidation_value, "topup_value": p.topup_value,
                         "target_ltv": p.target_ltv, "reason": p.reason},
            ))
        elif p.band == "unknown" and p.debt > ZERO:
            out.append(Discrepancy(
                "source_unavailable", *scope, natural_key="ltv_inputs", severity="unknown", action="record",
                currency=p.currency, amount=p.debt,
                summary=f"credit line {p.credit_line_id}: LTV unknown ({p.reason})",
                details={"debt": p.debt, "reason": p.reason},
            ))
    return out
