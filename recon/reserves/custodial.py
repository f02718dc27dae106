"""Custodial users' off-chain balances against their on-chain balances; the chain is the truth.

difference = on_chain - off_chain. |difference| above the asset's tolerance (default 1e-8) is a
`holder_balance_mismatch`. The plan says what a reconcile would do per user:
    update           off-chain balance set to the chain's
    create           the chain holds a balance for an address no user has off-chain (user_id = address)
    refuse_negative  the chain read says negative: never written
    unknown          the address was not read on chain: nothing proven, nothing changed
    ok               within tolerance
Addresses compare case-insensitively (EVM checksums; Stellar keys are upper-case anyway).
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from recon.discrepancies import Discrepancy
from recon.money import show
from recon.reserves.config import ReservesConfig
from recon.reserves.schemas import AMOUNT, CHAIN_BALANCES, CUSTODIAL_BALANCES, conform

PLAN_COLUMNS: dict[str, pl.DataType] = {
    "user_id": pl.String(), "chain": pl.String(), "asset": pl.String(), "address": pl.String(),
    "off_chain": AMOUNT, "on_chain": AMOUNT, "difference": AMOUNT, "action": pl.String(),
}
CHANGES = ("update", "create")


def custodial_plan(config: ReservesConfig, off_chain: pl.DataFrame, on_chain: pl.DataFrame) -> pl.DataFrame:
    """One row per user and asset (and per chain balance no user has), with the action to take."""
    off = conform(off_chain, CUSTODIAL_BALANCES, "custodial_balances").with_columns(
        pl.col("address").str.to_lowercase().alias("_addr"))
    on = conform(on_chain, CHAIN_BALANCES, "chain_balances").with_columns(
        pl.col("holder").str.to_lowercase().alias("_addr")).group_by("chain", "asset", "_addr").agg(
        pl.col("holder").first(), pl.col("balance").sum().alias("on_chain"))
    joined = off.join(on, on=["chain", "asset", "_addr"], how="full", coalesce=True)
    rows = []
    for r in joined.sort("chain", "asset", "user_id", "_addr", nulls_last=True).iter_rows(named=True):
        off_bal, on_bal = r["balance"], r["on_chain"]
        user = r["user_id"] or r["holder"]
        address = r["address"] or r["holder"]
        diff = on_bal - off_bal if on_bal is not None and off_bal is not None else None
        action = _action(config, r["asset"], off_bal, on_bal, diff)
        if action == "create":
            diff = on_bal
        rows.append({"user_id": user, "chain": r["chain"], "asset": r["asset"], "address": address,
                     "off_chain": off_bal, "on_chain": on_bal, "difference": diff, "action": action})
    return pl.DataFrame(rows, schema=PLAN_COLUMNS)


def _action(config: ReservesConfig, asset: str, off: Decimal | None, on: Decimal | None,
            diff: Decimal | None) -> str:
    if on is None:
        return "unknown"
    if on < 0:
        return "refuse_negative"
    if off is None:
        return "create" if on > config.holder_tolerance_for(asset) else "ok"
    assert diff is not None
    return "update" if abs(diff) > config.holder_tolerance_for(asset) else "ok"


def custodial_findings(plan: pl.DataFrame) -> list[Discrepancy]:
    """A finding for every user whose books differ from the chain (and every refused chain read)."""
    out = []
    for r in plan.filter(pl.col("action").is_in([*CHANGES, "refuse_negative"])).iter_rows(named=True):
        if r["action"] == "refuse_negative":
            summary = f"{r['chain']}: chain reports a negative {r['asset']} balance for {r['address']}"
        elif r["action"] == "create":
            summary = (f"{r['chain']}: {r['address']} holds {show(r['on_chain'])} {r['asset']} on chain "
                       "and has no off-chain balance")
        else:
            summary = (f"{r['chain']}: {r['user_id']} has {show(r['off_chain'])} {r['asset']} off chain, "
                       f"{show(r['on_chain'])} on chain")
        out.append(Discrepancy(
            type="holder_balance_mismatch", scope_type="chain", scope_id=r["chain"],
            natural_key=f"{r['asset']}:{r['user_id']}", severity="minor", currency=r["asset"],
            amount=r["difference"], summary=summary,
            details={"address": r["address"], "off_chain": r["off_chain"], "on_chain": r["on_chain"],
                     "action": r["action"]},
        ))
    return out
