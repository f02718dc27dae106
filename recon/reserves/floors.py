"""`low_reserve`: a redemption chain's reserve below its configured floor, absolute or as a share of the
chain's circulating supply of the redemption asset. Decided on exact figures; the share shown is
reserve / circulating, half-even to 8 places."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import polars as pl

from recon.discrepancies import Discrepancy
from recon.reserves.activity_config import ReserveFloor
from recon.reserves.config import ReservesConfig
from recon.reserves.schemas import CHAIN_SUPPLY, RESERVE_LEDGER, conform
from recon.reserves.tiers import fmt

SHARE_PLACES = Decimal("0.00000001")


@dataclass
class FloorResult:
    findings: list[Discrepancy] = field(default_factory=list)
    # chain -> why its floor could not be checked (an input missing): the verdict is unknown.
    unknown: dict[str, str] = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)


def check_floors(config: ReservesConfig, floors: dict[str, ReserveFloor], reserve_ledger: pl.DataFrame,
                 supply: pl.DataFrame) -> FloorResult:
    ledger = conform(reserve_ledger, RESERVE_LEDGER, "reserve_ledger")
    supply = conform(supply, CHAIN_SUPPLY, "chain_supply")
    out = FloorResult()
    for chain_name, floor in sorted(floors.items()):
        chain = config.chain_by_name(chain_name)
        if chain is None:
            out.unknown[chain_name] = "a floor is configured for a chain that is not a redemption chain"
            continue
        totals = ledger.filter(pl.col("chain_id") == chain.chain_id)["total_reserve"].drop_nulls()
        if totals.len() != 1:
            out.unknown[chain_name] = f"the reserve ledger has {totals.len()} rows for chain id {chain.chain_id}"
            continue
        reserve: Decimal = totals[0]
        circ = supply.filter((pl.col("chain") == chain_name) & (pl.col("asset") == config.redemption_asset))
        circulating: Decimal | None = circ["circulating"][0] if circ.height == 1 else None
        if floor.min_share is not None and circulating is None:
            out.unknown[chain_name] = f"no circulating supply of {config.redemption_asset} read on {chain_name}"
            continue
        _check_chain(out, chain_name, floor, reserve, circulating)
    return out


def _check_chain(out: FloorResult, chain: str, floor: ReserveFloor, reserve: Decimal,
                 circulating: Decimal | None) -> None:
    share = (reserve / circulating).quantize(SHARE_PLACES, ROUND_HALF_EVEN) if circulating else None
    required = [("min_reserve", floor.min_reserve)] if floor.min_reserve is not None else []
    if floor.min_share is not None and circulating is not None:
        required.append(("min_share", floor.min_share * circulating))
    breached = [(name, need) for name, need in required if reserve < need]
    row = {"chain": chain, "reserve": reserve, "circulating": circulating, "share": share,
           "min_reserve": floor.min_reserve, "min_share": floor.min_share,
           "breached": ",".join(n for n, _ in breached) or None}
    out.rows.append(row)
    if not breached:
        return
    need = max(n for _, n in breached)
    parts = []
    if floor.min_reserve is not None and reserve < floor.min_reserve:
        parts.append(f"below its floor of {fmt(floor.min_reserve)}")
    if floor.min_share is not None and circulating is not None and reserve < floor.min_share * circulating:
        parts.append(f"{fmt(share * 100 if share is not None else Decimal(0))} % of the {fmt(circulating)} "
                     f"circulating, below the {fmt(floor.min_share * 100)} % floor")
    out.findings.append(Discrepancy(
        type="low_reserve", scope_type="chain", scope_id=chain, natural_key="floor", severity="significant",
        action="record", amount=need - reserve,
        summary=f"{chain}: reserve {fmt(reserve)} is {' and '.join(parts)}; top up {fmt(need - reserve)}",
        details={**{k: v for k, v in row.items() if v is not None}, "required": need,
                 "shortfall": need - reserve}))
