"""Price and volatility of each collateral asset at the cut-off, from a price history.

The price used is the last one observed at or before the cut-off; older than `max_price_age` it is
stale and the asset cannot be valued. Volatility: the rules' given value first, then one the price
source gives, else computed from the history (recon.credit.volatility).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

import polars as pl

from recon.credit.model import Market
from recon.credit.numbers import ZERO
from recon.credit.rules import CreditRules
from recon.credit.volatility import annualised_volatility
from recon.ledger.tables import MONEY, TIMESTAMP, LedgerTable

PRICE_SCHEMA = {"asset": pl.String(), "quote": pl.String(), "price": MONEY, "observed_at": TIMESTAMP}
VOLATILITY_SCHEMA = {"asset": pl.String(), "annual_vol": MONEY}


def market_at(prices: pl.DataFrame, given_vol: Mapping[str, Decimal], assets: Iterable[str],
              currency: str, cutoff: datetime, rules: CreditRules) -> dict[str, Market]:
    """Market data per collateral asset key, priced in `currency`."""
    out = {}
    for asset in assets:
        risk = rules.for_asset(asset)
        rows = prices.filter((pl.col("asset") == risk.price_symbol) & (pl.col("quote") == currency)
                             & (pl.col("observed_at") <= cutoff)).sort("observed_at")
        history = list(zip(rows["observed_at"].to_list(), rows["price"].to_list(), strict=True))
        out[asset] = _market(risk.price_symbol, currency, history, risk.volatility
                             if risk.volatility is not None else given_vol.get(risk.price_symbol),
                             cutoff, rules)
    return out


def _market(symbol: str, currency: str, history: list[tuple[datetime, Decimal]], vol: Decimal | None,
            cutoff: datetime, rules: CreditRules) -> Market:
    if not history:
        return Market(None, None, vol, f"no {symbol}/{currency} price at or before the cut-off")
    at, price = history[-1]
    if vol is None:
        vol = annualised_volatility(history, cutoff, rules.vol_window_days, rules.vol_min_returns)
    problem = None
    if cutoff - at > rules.max_price_age:
        problem = f"stale {symbol}/{currency} price from {at.isoformat()} (older than {rules.max_price_age})"
    elif price <= ZERO:
        problem = f"{symbol}/{currency} price {price} is not positive"
    elif vol is None:
        problem = (f"no {symbol} volatility: fewer than {rules.vol_min_returns} daily returns in "
                   f"{rules.vol_window_days} days")
    return Market(price, at, vol, problem)

# The price source's rows, typed exactly like a ledger table (text in, Decimal out, nothing rounded).
PRICES = LedgerTable("prices", PRICE_SCHEMA, required=tuple(PRICE_SCHEMA), as_of_column="observed_at")
VOLATILITY = LedgerTable("volatility", VOLATILITY_SCHEMA, required=tuple(VOLATILITY_SCHEMA), as_of_column=None)
