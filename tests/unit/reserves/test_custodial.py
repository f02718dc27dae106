"""Off-chain custodial balances against the chain, the chain being the truth."""

from __future__ import annotations

from recon.reserves import schemas
from recon.reserves.config import ReservesConfig
from recon.reserves.custodial import custodial_findings, custodial_plan

from .reserve_books import D, frame

A, B, C, E = ("0x" + c * 40 for c in "abce")


def off(*rows: tuple) -> object:
    return frame([{"user_id": u, "chain": "ethereum", "asset": "USDT", "address": a, "balance": D(b)}
                  for u, a, b in rows], schemas.CUSTODIAL_BALANCES)


def on(*rows: tuple) -> object:
    return frame([{"chain": "ethereum", "asset": "USDT", "holder": a, "balance": D(b)} for a, b in rows],
                 schemas.CHAIN_BALANCES)


def test_plan_actions() -> None:
    plan = custodial_plan(
        ReservesConfig(),
        off(("alice", A.upper().replace("0X", "0x"), "10"),  # checksum case vs lower case: same address
            ("bob", B, "5"), ("carol", C, "1"), ("dave", E, "3")),
        on((A, "10.00000001"),  # exactly the tolerance: within it
           (B, "4.99999998"),  # 2e-8 off: beyond it
           ("0x" + "d" * 40, "7"),  # on chain, unknown off chain
           (E, "-1")),  # a broken read: never written
    )
    actions = {r["user_id"]: (r["action"], r["difference"]) for r in plan.iter_rows(named=True)}
    assert actions == {
        "alice": ("ok", D("0.00000001")),
        "bob": ("update", D("-0.00000002")),
        "carol": ("unknown", None),  # not read on chain: nothing proven
        "dave": ("refuse_negative", D(-4)),
        "0x" + "d" * 40: ("create", D(7)),
    }
    assert sorted(f.natural_key for f in custodial_findings(plan)) == [
        "USDT:0x" + "d" * 40, "USDT:bob", "USDT:dave"]


def test_tolerance_per_asset() -> None:
    config = ReservesConfig(holder_tolerance_by_asset={"USDT": D("0.01")})
    plan = custodial_plan(config, off(("bob", B, "5")), on((B, "5.005")))
    assert plan["action"].to_list() == ["ok"]


def test_consistent_books_are_quiet() -> None:
    plan = custodial_plan(ReservesConfig(), off(("alice", A, "10")), on((A, "10")))
    assert custodial_findings(plan) == []
