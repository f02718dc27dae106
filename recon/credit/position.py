"""One credit line's LTV position at the cut-off: value the collateral, classify, size a liquidation.

Order of verdicts (fail closed): a failed collateral read or an asset that cannot be valued (stale or
missing price, no volatility) gives "unknown", never healthy; then zero debt is healthy; then debt with
no collateral is full liquidation; else LTV = debt / collateral value (half-even, 8 places) is banded.
The yield cushion (accrued yield on staked collateral, valued with the asset's haircut) absorbs a
drawdown before the line changes band: the band, the sale and the top-up are decided on collateral value
+ cushion (`ltv_with_cushion`); the LTV on collateral alone (`ltv`) and the cushion are shown apart.
A partial liquidation that would leave less than `liquidation_min_remaining_value` at market sells all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from recon.credit import liquidation as liq
from recon.credit.bands import blended_thresholds, classify
from recon.credit.model import AssetValuation, CreditLine, Holding, LtvPosition, Market
from recon.credit.numbers import CTX, ONE, ZERO, quantity, ratio, value
from recon.credit.rules import UNKNOWN, CreditRules

_MARGIN_OR_WORSE = ("margin_call", "partial_liquidation", "full_liquidation")


def evaluate(line: CreditLine, holdings: Sequence[Holding], market: Mapping[str, Market],
             rules: CreditRules, read_error: str | None = None) -> LtvPosition:
    debt = value(line.debt)
    base = LtvPosition(line.credit_line_id, line.currency, debt, UNKNOWN, line.target_ltv)
    if read_error:
        return replace(base, reason=f"collateral read failed: {read_error}")
    held = [h for h in holdings if h.quantity != ZERO or h.yield_accrued != ZERO]
    problems = _problems(held, market)
    if problems:
        return replace(base, reason="; ".join(problems))
    assets = tuple(_value(h, market[h.asset], rules) for h in held)
    position = _totals(base, assets, rules)
    if debt <= ZERO:
        return replace(position, band="healthy", ltv=ZERO, ltv_with_cushion=ZERO)
    banded = position.collateral_value_with_cushion or ZERO
    if banded <= ZERO:
        target = min(line.target_ltv, position.thresholds.watch)  # type: ignore[union-attr]
        return replace(position, band="full_liquidation", reason="debt with no collateral",
                       effective_target_ltv=target, topup_value=liq.topup_value(debt, ZERO, target))
    band = classify(ratio(CTX.divide(debt, banded)), position.thresholds)  # type: ignore[arg-type]
    # Volatility can pull the watch edge under the agreed target; selling to the target would then leave
    # the line in breach, so a sale or top-up aims at the lower of the two.
    target = min(line.target_ltv, position.thresholds.watch)  # type: ignore[union-attr]
    return _size(replace(position, band=band, effective_target_ltv=target), target, banded,
                 rules.liquidation_min_remaining_value)


def _problems(held: Sequence[Holding], market: Mapping[str, Market]) -> list[str]:
    out = []
    for h in held:
        m = market.get(h.asset)
        if h.quantity < ZERO or h.yield_accrued < ZERO:
            out.append(f"{h.asset}: negative quantity")
        elif m is None or m.price is None:
            out.append(f"{h.asset}: {m.problem if m and m.problem else 'no price'}")
        elif m.problem:
            out.append(f"{h.asset}: {m.problem}")
        elif m.volatility is None:
            out.append(f"{h.asset}: no volatility")
    return out


def _value(h: Holding, m: Market, rules: CreditRules) -> AssetValuation:
    risk = rules.for_asset(h.asset)
    assert m.price is not None and m.volatility is not None
    haircut = risk.haircut.haircut(m.volatility)
    keep = CTX.subtract(ONE, haircut)
    return AssetValuation(
        asset=h.asset, quantity=h.quantity, yield_quantity=h.yield_accrued, price=m.price,
        volatility=m.volatility, haircut=haircut,
        market_value=value(CTX.multiply(h.quantity, m.price)),
        collateral_value=value(CTX.multiply(CTX.multiply(h.quantity, m.price), keep)),
        cushion_value=value(CTX.multiply(CTX.multiply(h.yield_accrued, m.price), keep)),
        thresholds=risk.adjusted_thresholds(m.volatility),
    )


def _totals(base: LtvPosition, assets: tuple[AssetValuation, ...], rules: CreditRules) -> LtvPosition:
    collateral = sum((a.collateral_value for a in assets), ZERO)
    cushion = sum((a.cushion_value for a in assets), ZERO)
    with_cushion = collateral + cushion
    weights = [(a.thresholds, a.collateral_value) for a in assets]
    thresholds = blended_thresholds(weights) if weights else rules.default.thresholds
    return replace(
        base, assets=assets, collateral_value=collateral, yield_cushion_value=cushion,
        collateral_value_with_cushion=with_cushion,
        market_value=sum((a.market_value for a in assets), ZERO), thresholds=thresholds,
        ltv=ratio(CTX.divide(base.debt, collateral)) if collateral > ZERO else None,
        ltv_with_cushion=ratio(CTX.divide(base.debt, with_cushion)) if with_cushion > ZERO else None,
    )


def _size(p: LtvPosition, target: Decimal, banded: Decimal, min_remaining: Decimal) -> LtvPosition:
    """Liquidation proceeds and per-asset quantities to sell; a top-up for margin call or worse."""
    if p.band not in _MARGIN_OR_WORSE:
        return p
    topup = liq.topup_value(p.debt, banded, target)
    market = p.market_value or ZERO
    if p.band == "partial_liquidation":
        fraction = liq.partial_fraction(p.debt, banded, market, target)
        if CTX.multiply(market, CTX.subtract(ONE, fraction)) < min_remaining:
            fraction = ONE  # what would be left is dust: sell it all
    elif p.band == "full_liquidation":
        fraction = liq.full_fraction(p.debt, market)
    else:
        return replace(p, topup_value=topup)
    assets = tuple(replace(a, sell_quantity=quantity(CTX.multiply(a.quantity, fraction))) for a in p.assets)
    proceeds = value(sum((CTX.multiply(a.sell_quantity, a.price) for a in assets), ZERO))
    return replace(p, assets=assets, liquidation_value=proceeds, topup_value=topup)
