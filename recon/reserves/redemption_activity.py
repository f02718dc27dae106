"""Redemption activity at a cut-off: an unusual run on the reserve (`redemption_rate`) and a service that
refuses or fails its users (`redemption_failures`).

Requests are the log's rows not in test mode, whatever their status: a refused request is still a
holder trying to leave. The window is `window_hours` ending at the cut-off (start excluded, end
included); its baseline is the median of the same window on each of the `baseline_days` days before,
windows with no redemption counting as zero. A window is unusual when its count or its amount exceeds
max(rate_multiple x baseline, the configured minimum); per chain, and per user on that chain.
The failure share is failed / requests over the 24 hours ending at the cut-off, half-even to 6 places.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import polars as pl

from recon.discrepancies import Discrepancy
from recon.reserves.activity_config import RedemptionMonitoring
from recon.reserves.config import ReservesConfig
from recon.reserves.schemas import REDEMPTIONS, conform
from recon.reserves.tiers import fmt

FAILED_STATUSES = ("refused", "failed", "rejected")
RATE_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Window:
    count: Decimal  # a whole number in a window; a median may be a half
    amount: Decimal


def requests(redemptions: pl.DataFrame, config: ReservesConfig) -> pl.DataFrame:
    """The log's requests (not test mode), with the chain's name and a lower-case user address."""
    log = conform(redemptions, REDEMPTIONS, "redemptions").with_columns(pl.col("test_mode").fill_null(False))
    names = {c.chain_id: c.chain for c in config.chains}
    return log.filter(~pl.col("test_mode") & pl.col("redeemed_at").is_not_null()).with_columns(
        pl.col("chain_id").replace_strict(names, default=None, return_dtype=pl.String())
        .fill_null(pl.format("chain-{}", pl.col("chain_id"))).alias("chain"),
        pl.col("user_address").str.to_lowercase().alias("user"),
        pl.col("status").fill_null("completed").str.to_lowercase().alias("status"))


def _window(rows: pl.DataFrame, start: datetime, end: datetime) -> Window:
    inside = rows.filter((pl.col("redeemed_at") > start) & (pl.col("redeemed_at") <= end))
    return Window(Decimal(inside.height), sum(inside["amount"].drop_nulls().to_list(), Decimal(0)))


def _baseline(rows: pl.DataFrame, end: datetime, m: RedemptionMonitoring) -> Window:
    span = timedelta(hours=m.window_hours)
    past = [_window(rows, end - timedelta(days=k) - span, end - timedelta(days=k))
            for k in range(1, m.baseline_days + 1)]
    return Window(statistics.median([w.count for w in past]) if past else Decimal(0),
                  statistics.median([w.amount for w in past]) if past else Decimal(0))


def check_rate(config: ReservesConfig, m: RedemptionMonitoring, redemptions: pl.DataFrame, end: datetime,
               label: str) -> list[Discrepancy]:
    reqs = requests(redemptions, config)
    start = end - timedelta(hours=m.window_hours)
    found = []
    for (chain,), rows in reqs.group_by("chain", maintain_order=True):
        found += _unusual(rows, m, start, end, str(chain), f"chain:{label}", f"{chain}",
                          m.min_count, m.min_amount)
        now = rows.filter((pl.col("redeemed_at") > start) & (pl.col("redeemed_at") <= end))
        for user in sorted(set(now["user"].drop_nulls())):
            found += _unusual(rows.filter(pl.col("user") == user), m, start, end, str(chain),
                              f"user:{user}:{label}", f"{chain} user {user}", m.user_min_count,
                              m.user_min_amount)
    return sorted(found, key=lambda d: d.key)


def _unusual(rows: pl.DataFrame, m: RedemptionMonitoring, start: datetime, end: datetime, chain: str,
             key: str, who: str, min_count: int, min_amount: Decimal) -> list[Discrepancy]:
    now, base = _window(rows, start, end), _baseline(rows, end, m)
    count_bound = max(m.rate_multiple * base.count, Decimal(min_count))
    amount_bound = max(m.rate_multiple * base.amount, min_amount)
    over = [what for what, hit in (("count", now.count > count_bound), ("amount", now.amount > amount_bound))
            if hit]
    if not over:
        return []
    return [Discrepancy(
        type="redemption_rate", scope_type="chain", scope_id=chain, natural_key=key, severity="significant",
        action="record", amount=now.amount,
        summary=(f"{who}: {fmt(now.count)} redemptions of {fmt(now.amount)} in the {m.window_hours} h to "
                 f"{end:%Y-%m-%d %H:%M} UTC; the {m.baseline_days}-day median is {fmt(base.count)} "
                 f"of {fmt(base.amount)} (limit {fmt(count_bound)} / {fmt(amount_bound)})"),
        details={"window_start": start.isoformat(), "window_end": end.isoformat(), "count": int(now.count),
                 "amount": now.amount, "baseline_count": base.count, "baseline_amount": base.amount,
                 "count_limit": count_bound, "amount_limit": amount_bound, "over": over,
                 "rate_multiple": m.rate_multiple, "baseline_days": m.baseline_days})]


def check_failures(config: ReservesConfig, m: RedemptionMonitoring, redemptions: pl.DataFrame, end: datetime,
                   label: str) -> list[Discrepancy]:
    reqs = requests(redemptions, config)
    day = reqs.filter((pl.col("redeemed_at") > end - timedelta(days=1)) & (pl.col("redeemed_at") <= end))
    found = []
    for (chain,), rows in day.group_by("chain", maintain_order=True):
        failed = rows.filter(pl.col("status").is_in(FAILED_STATUSES))
        share = (Decimal(failed.height) / Decimal(rows.height)).quantize(RATE_PLACES, ROUND_HALF_EVEN)
        if Decimal(failed.height) <= m.failure_rate * rows.height:
            continue
        amount = sum(failed["amount"].drop_nulls().to_list(), Decimal(0))
        by_status = {str(s): n for s, n in failed.group_by("status").len().iter_rows()}
        found.append(Discrepancy(
            type="redemption_failures", scope_type="chain", scope_id=str(chain), natural_key=label,
            severity="significant", action="record", amount=amount,
            summary=(f"{chain}: {failed.height} of {rows.height} redemption requests refused or failed in the "
                     f"24 h to {end:%Y-%m-%d %H:%M} UTC ({fmt(share * 100)} %, limit {fmt(m.failure_rate * 100)} %)"
                     f", {fmt(amount)} not paid"),
            details={"requests": rows.height, "failed": failed.height, "share": share,
                     "limit": m.failure_rate, "failed_amount": amount, "by_status": by_status,
                     "redemptions": sorted(str(r) for r in failed["redemption_id"].drop_nulls())[:50]}))
    return sorted(found, key=lambda d: d.key)
