"""`liquidation_not_executed`: a line in partial or full liquidation must show its collateral sale within
`liquidation_deadline_hours` of entering liquidation.

The liquidation started at the cut-off of the first of the consecutive daily positions (recon.ltv_positions)
in partial or full liquidation that end at today's. The sale is shown when, for every asset the first
position said to sell (`sell_quantity`), either the ledger's collateral_sales since the start add up to
it, or the quantity held now is at most the quantity then less it (sold on chain). Not shown: significant
while the deadline runs, critical (circuit breaker on the line) once it has passed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import polars as pl

from recon.discrepancies import Discrepancy

LIQUIDATING = ("partial_liquidation", "full_liquidation")


@dataclass(frozen=True)
class DayPosition:
    """One line's position of one business day, as recon.ltv_positions holds it."""

    partition_key: str
    band: str
    cutoff: datetime
    assets: str | list  # the assets json (text or parsed): quantity and sell_quantity per asset


def _quantities(assets: str | list, key: str) -> dict[str, Decimal]:
    items = json.loads(assets or "[]") if isinstance(assets, str) else assets
    return {a["asset"]: Decimal(str(a[key])) for a in items}


def check_liquidations(history: Mapping[str, Sequence[DayPosition]], sales: pl.DataFrame, cutoff: datetime,
                       deadline_hours: int) -> list[Discrepancy]:
    """`history`: per line in liquidation today, its daily positions in partition order, today's last."""
    out = []
    for line_id, days in sorted(history.items()):
        run = []
        for day in reversed(days):
            if day.band not in LIQUIDATING:
                break
            run.append(day)
        if not run:
            continue
        start, now = run[-1], run[0]
        to_sell = {a: q for a, q in _quantities(start.assets, "sell_quantity").items() if q > 0}
        held_then, held_now = _quantities(start.assets, "quantity"), _quantities(now.assets, "quantity")
        # One time zone for both sides: a Postgres timestamptz may come back as Etc/UTC.
        since, until = start.cutoff.astimezone(UTC), cutoff.astimezone(UTC)
        # A sale on the first day in liquidation counts: the band was reached during that day.
        mine = sales.with_columns(pl.col("sold_at").dt.convert_time_zone("UTC")).filter(
            (pl.col("credit_line_id") == line_id) & (pl.col("sold_at") > since - timedelta(days=1))
            & (pl.col("sold_at") <= until))
        sold = {a: sum(mine.filter(pl.col("asset") == a)["quantity"].drop_nulls().to_list(), Decimal(0))
                for a in to_sell}
        in_ledger = all(sold[a] >= q for a, q in to_sell.items())
        on_chain = all(held_now.get(a, Decimal(0)) <= held_then.get(a, Decimal(0)) - q for a, q in to_sell.items())
        if in_ledger or on_chain:
            continue
        due = since + timedelta(hours=deadline_hours)
        late = until > due
        out.append(Discrepancy(
            "liquidation_not_executed", "credit_line", line_id, natural_key=f"since:{start.partition_key}",
            severity="critical" if late else "significant", action="circuit_breaker" if late else "record",
            summary=(f"credit line {line_id} in {now.band.replace('_', ' ')} since {start.partition_key}: no "
                     f"collateral sale shown ({', '.join(f'{q} {a}' for a, q in sorted(to_sell.items()))} to "
                     f"sell); {'overdue since' if late else 'due by'} {due:%Y-%m-%d %H:%M} UTC"),
            details={"since": start.partition_key, "band": now.band, "due": due.isoformat(),
                     "to_sell": {a: str(q) for a, q in to_sell.items()},
                     "sold_in_ledger": {a: str(q) for a, q in sold.items()},
                     "held_at_start": {a: str(q) for a, q in held_then.items()},
                     "held_now": {a: str(q) for a, q in held_now.items()}}))
    return out
