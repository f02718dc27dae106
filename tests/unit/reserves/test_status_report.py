"""The reserve status report built from the rows a daily run stored: figures, shares, and what is not known."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

from recon.reserves.config import RedemptionChain, ReservesConfig
from recon.reserves.status_report import build_status, render_text

DAY = "2026-11-13"
CONFIG = ReservesConfig(redemption_chains=(RedemptionChain("ethereum", 1, D("100000")),
                                           RedemptionChain("base", 8453, D("100000"))))
UPDATED = datetime(2026, 11, 13, 18, tzinfo=UTC)


def chain(name: str, chain_id: int, reserve: str | None, real: tuple[int, str], test: tuple[int, str],
          rows: int = 1) -> dict:
    return {"chain": name, "chain_id": chain_id, "ledger_reserve": None if reserve is None else D(reserve),
            "last_updated": UPDATED if reserve else None, "notes": f"{name} books", "ledger_rows": rows,
            "initial_reserve": D("100000"), "top_ups": D("0"),
            "expected_reserve": D("100000") - D(real[1]), "real_count": real[0], "real_amount": D(real[1]),
            "test_count": test[0], "test_amount": D(test[1]), "refused_count": 0, "findings": 0, "run_id": "r"}


STATS = [{"chain": "ethereum", "amount_scale": 2, "largest_amount": D("250.50"), "users": 2,
          "last_redeemed_at": UPDATED}]
RECENT = [{"redeemed_at": UPDATED, "chain": "ethereum", "user_address": "0xB", "amount": D("250.50"),
           "reserve_before": D("99900"), "reserve_after": D("99649.50"), "test_mode": False,
           "status": "completed", "tx_hash": "0x3", "onchain": "verified"},
          {"redeemed_at": UPDATED, "chain": "ethereum", "user_address": "0xA", "amount": D("7"),
           "reserve_before": D("99900"), "reserve_after": D("99900"), "test_mode": True,
           "status": "completed", "tx_hash": "0x2", "onchain": "skipped"}]


def test_figures_shares_and_statistics() -> None:
    chains = [chain("base", 8453, "100000", (0, "0"), (0, "0")),
              chain("ethereum", 1, "99649.50", (2, "350.50"), (1, "7"))]
    report = build_status(DAY, CONFIG, None, chains, STATS, RECENT, [])
    eth, base = report["chains"]  # in the configuration's order
    assert report["total_reserve"] == "199649.5" and report["missing"] == []
    # 99649.50 / 199649.50 * 100 = 49.91222..., half-even to 2 places; the two shares need not add to 100.
    assert (eth["share_pct"], base["share_pct"]) == ("49.91", "50.09")
    assert (eth["reserve"], eth["notes"], eth["last_updated"], eth["consistent"]) == (
        "99649.5", "ethereum books", UPDATED.isoformat(), True)
    # 350.50 / 2 at the amounts' own scale (2); a chain with no real redemption has no average, not 0.
    assert (eth["average_real"], eth["largest_real"], eth["users"]) == ("175.25", "250.5", 2)
    assert (base["average_real"], base["largest_real"], base["users"]) == (None, None, 0)
    assert report["totals"] == {"real_count": 2, "real_amount": "350.5", "test_count": 1, "test_amount": "7",
                                "refused_count": 0}
    assert [(r["before"], r["after"], r["test_mode"]) for r in report["recent_redemptions"]] == [
        ("99900", "99649.5", False), ("99900", "99900", True)]
    text = render_text(report)
    assert "99,900 USDT -> 99,649.5 USDT" in text and " TEST" in text and "49.91 %" in text
    assert "199,649.5 USDT" in text and "Not known" not in text


def test_an_unknown_reserve_leaves_the_total_and_shares_unknown() -> None:
    # Two ledger rows for base: its reserve is unknown, so no total or share is made up from ethereum alone.
    chains = [chain("base", 8453, None, (0, "0"), (0, "0"), rows=2),
              chain("ethereum", 1, "99649.50", (2, "350.50"), (1, "7"))]
    report = build_status(DAY, CONFIG, None, chains, STATS, RECENT, [])
    assert report["total_reserve"] is None
    assert all(c["share_pct"] is None for c in report["chains"])
    assert report["missing"] == ["base: reserve unknown (the reserve ledger had 2 rows for it, not one)"]
    assert "total" in render_text(report) and "unknown" in render_text(report)


def test_missing_configuration_and_unrecorded_chains_are_said() -> None:
    eth = [chain("ethereum", 1, "99649.50", (2, "350.50"), (1, "7"))]
    report = build_status(DAY, CONFIG, None, eth, STATS, RECENT, [])
    assert report["chains"][1] == {"chain": "base", "configured": True, "recorded": False, "reserve": None,
                                   "share_pct": None}
    assert report["total_reserve"] is None  # a configured chain with no recorded reserve: total unknown
    assert report["missing"] == [f"base: configured, but no reserve ledger audit recorded for {DAY}"]
    # No configuration at all: the store's chains are still shown, and the configuration's absence is said.
    bare = build_status(DAY, None, "not configured (RECON_RESERVES_CONFIG is not set)", eth, STATS, RECENT, [])
    assert bare["total_reserve"] == "99649.5" and bare["unit"] is None
    assert bare["missing"] == ["reserves configuration: not configured (RECON_RESERVES_CONFIG is not set)"]
    unset = build_status(DAY, ReservesConfig(), None, eth, STATS, RECENT, [])
    assert unset["missing"][0] == "reserves configuration: redemption_chains is not configured"
