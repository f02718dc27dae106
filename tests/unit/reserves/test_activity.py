"""Reserve floors and redemption activity: each limit fires just above itself and stays quiet at it."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from recon.reserves import schemas
from recon.reserves.activity_config import RedemptionMonitoring, ReserveFloor, activity_config_from_dict
from recon.reserves.config import RedemptionChain, ReservesConfig
from recon.reserves.floors import check_floors
from recon.reserves.redemption_activity import check_failures, check_rate

from .reserve_books import T0, D, frame, ledger, redemption, redemptions

CONFIG = ReservesConfig(redemption_asset="USDT", redemption_chains=(RedemptionChain("ethereum", 1, D(100000)),
                                                                    RedemptionChain("base", 8453, D(100000))))
END = T0 + timedelta(hours=12)  # the cut-off: windows end here
LOW = RedemptionMonitoring(min_count=2, min_amount=D(1000), user_min_count=2, user_min_amount=D(1000))


def supply(*rows: tuple[str, str]) -> pl.DataFrame:
    return frame([{"chain": c, "asset": "USDT", "circulating": D(v)} for c, v in rows], schemas.CHAIN_SUPPLY)


def req(rid: str, amount: str, hours_before_end: float, user: str = "0x" + "aa" * 20, status: str | None = None,
        test: bool = False, chain_id: int = 1) -> dict:
    minute = int((END - T0).total_seconds() // 60 - hours_before_end * 60)
    return redemption(rid, amount, "0", "0", minute, chain_id=chain_id, user=user, status=status, test=test)


def test_floor_absolute_and_share() -> None:
    floors = {"ethereum": ReserveFloor(min_reserve=D(1000)), "base": ReserveFloor(min_share=D("0.9"))}
    books = ledger((1, "999.99"), (8453, "900"))
    result = check_floors(CONFIG, floors, books, supply(("ethereum", "5000"), ("base", "1000")))
    # ethereum one cent under its absolute floor; base exactly at 90 % of its circulating: not low.
    assert [(f.scope_id, f.amount) for f in result.findings] == [("ethereum", D("0.01"))]
    result = check_floors(CONFIG, floors, ledger((1, "1000"), (8453, "899.99")),
                          supply(("ethereum", "5000"), ("base", "1000")))
    assert [(f.scope_id, f.amount, f.details["share"]) for f in result.findings] == \
        [("base", D("0.01"), D("0.89999000"))]


def test_floor_without_supply_is_unknown_not_ok() -> None:
    floors = {"base": ReserveFloor(min_share=D("0.5"))}
    result = check_floors(CONFIG, floors, ledger((8453, "1")), supply())
    assert result.findings == [] and "base" in result.unknown
    # two ledger rows for a chain: its reserve is not known either
    assert "base" in check_floors(CONFIG, floors, ledger((8453, "1"), (8453, "2")), supply(("base", "9"))).unknown


def test_rate_against_a_quiet_baseline_needs_the_minimum() -> None:
    # Two in the window at the minimum of 2: quiet; a third makes it a run (baseline median 0).
    rows = [req("a", "10", 1), req("b", "10", 2)]
    assert check_rate(CONFIG, LOW, redemptions(*rows), END, "d") == []
    rows.append(req("c", "10", 3, user="0x" + "bb" * 20))
    found = check_rate(CONFIG, LOW, redemptions(*rows), END, "d")
    assert [(f.natural_key, f.details["over"]) for f in found] == [("chain:d", ["count"])]


def test_rate_against_its_baseline_median() -> None:
    # 2 redemptions of 400 on each of the 30 days before: median 2 / 800, limit 6 / 2400 at multiple 3.
    history = [req(f"h{d}-{i}", "400", 24 * d + i) for d in range(1, 31) for i in (1, 2)]
    today = [req(f"t{i}", "400", 0.1 * i) for i in range(6)]
    assert check_rate(CONFIG, LOW, redemptions(*history, *today), END, "d") == []
    today.append(req("t6", "1", 0.05))  # 7 > 6, amount 2401 > 2400: both over, per chain and for the user
    found = check_rate(CONFIG, LOW, redemptions(*history, *today), END, "d")
    assert sorted((f.natural_key, tuple(f.details["over"])) for f in found) == [
        ("chain:d", ("count", "amount")), (f"user:{'0x' + 'aa' * 20}:d", ("count", "amount"))]
    assert found[0].details["baseline_count"] == D(2) and found[0].details["baseline_amount"] == D(800)


def test_test_mode_is_not_a_request_and_refused_is() -> None:
    rows = [req("a", "10", 1, test=True), req("b", "10", 2, test=True), req("c", "10", 3, test=True)]
    assert check_rate(CONFIG, LOW, redemptions(*rows), END, "d") == []
    rows = [req("a", "10", 1, status="refused"), req("b", "10", 2, status="refused"), req("c", "10", 3)]
    assert len(check_rate(CONFIG, LOW, redemptions(*rows), END, "d")) == 2  # the chain and the user


def test_failure_share_above_the_limit() -> None:
    m = RedemptionMonitoring()  # 5 %
    ok = [req(f"r{i}", "10", 0.1 * i) for i in range(19)]
    # 1 refused of 20 is exactly 5 %: not above; 2 of 21 is.
    assert check_failures(CONFIG, m, redemptions(*ok, req("x", "10", 1, status="refused")), END, "d") == []
    found = check_failures(CONFIG, m, redemptions(*ok, req("x", "10", 1, status="refused"),
                                                  req("y", "7", 2, status="failed")), END, "d")
    assert [(f.scope_id, f.details["failed"], f.details["requests"], f.amount) for f in found] == \
        [("ethereum", 2, 21, D(17))]
    # yesterday's refusals are not today's
    assert check_failures(CONFIG, m, redemptions(req("x", "10", 25, status="refused")), END, "d") == []


def test_config_reads_strings_and_refuses_floats() -> None:
    cfg = activity_config_from_dict({"floors": {"base": {"min_share": "0.2"}},
                                     "redemption_monitoring": {"rate_multiple": "4", "min_count": 9}})
    assert cfg.floors["base"] == ReserveFloor(None, D("0.2")) and cfg.monitoring.rate_multiple == D(4)
    try:
        activity_config_from_dict({"floors": {"base": {"min_reserve": 1.5}}})
    except ValueError as exc:
        assert "string" in str(exc)
    else:
        raise AssertionError("a float amount was accepted")
