"""Annualised volatility from a price history, in Decimal only.

Sample points are taken every 24 hours back from the cut-off (t_0 = cut-off, t_i = cut-off - i days,
i = 0..window): the last price observed in (t_i - 24h, t_i]. A daily log return is ln(p_i / p_{i+1})
for consecutive points that both exist. Volatility is the sample standard deviation (n - 1) of those
returns times sqrt(365) (crypto trades every day). ln() and sqrt() are Decimal's own, computed in a
34-digit half-even context (recon.credit.numbers.CTX); the result is rounded half-even to 8 places.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from recon.credit.numbers import CTX, ZERO, ratio

DAYS_PER_YEAR = Decimal(365)
_DAY = timedelta(days=1)


def daily_points(history: Sequence[tuple[datetime, Decimal]], cutoff: datetime,
                 window_days: int) -> list[Decimal | None]:
    """Price at t_0..t_window (newest first); None where no price was seen in that day."""
    ordered = sorted((t, p) for t, p in history if t <= cutoff)
    times = [t for t, _ in ordered]
    points: list[Decimal | None] = []
    for i in range(window_days + 1):
        at = cutoff - i * _DAY
        idx = bisect.bisect_right(times, at) - 1
        points.append(ordered[idx][1] if idx >= 0 and times[idx] > at - _DAY else None)
    return points


def log_returns(points: Sequence[Decimal | None]) -> list[Decimal]:
    out = []
    for newer, older in itertools.pairwise(points):
        if newer is not None and older is not None and newer > ZERO and older > ZERO:
            out.append(CTX.divide(newer, older).ln(CTX))
    return out


def annualised_volatility(history: Sequence[tuple[datetime, Decimal]], cutoff: datetime,
                          window_days: int = 30, min_returns: int = 20) -> Decimal | None:
    """Annualised volatility, or None when fewer than `min_returns` daily returns exist."""
    returns = log_returns(daily_points(history, cutoff, window_days))
    n = len(returns)
    if n < max(min_returns, 2):
        return None
    mean = CTX.divide(sum(returns, ZERO), Decimal(n))
    squares = sum((CTX.power(CTX.subtract(r, mean), 2) for r in returns), ZERO)
    variance = CTX.divide(squares, Decimal(n - 1))
    daily = variance.sqrt(CTX)
    return ratio(CTX.multiply(daily, DAYS_PER_YEAR.sqrt(CTX)))
